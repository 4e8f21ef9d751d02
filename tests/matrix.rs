//! The matrix of the motivating case: a scoped token gets 401 on submissions and
//! leaderboard while kaggle.json works everywhere.

use crate::support::*;

#[test]
fn motivating_case_cells() {
    let mut env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env.env("KAGGLE_API_TOKEN", SCOPED_TOKEN);
    let (report, code) = env.json(&["--competition", "santa-2025"]);
    let token = "env:KAGGLE_API_TOKEN";
    for (endpoint, expected) in [
        ("whoami", "ok"),
        ("introspect", "ok"),
        ("competitions.get", "ok"),
        ("competitions.list", "ok"),
        ("competitions.submissions", "unauthorized"),
        ("competitions.leaderboard", "unauthorized"),
        ("competitions.files", "ok"),
        ("datasets.list", "ok"),
        ("kernels.list", "ok"),
        ("models.list", "ok"),
    ] {
        assert_eq!(outcome(&report, token, endpoint), expected, "{token} × {endpoint}");
    }
    for cell in report["matrix"].as_array().unwrap().iter().filter(|c| c["source"] == "file:kaggle.json") {
        let expected = if cell["endpoint"] == "introspect" { "skipped" } else { "ok" };
        assert_eq!(cell["outcome"], expected, "{cell}");
    }
    assert_eq!(outcome(&report, "anonymous", "whoami"), "unauthorized");
    let codes = finding_codes(&report);
    assert_eq!(codes[0], "token-shadows-working-key");
    let finding = &report["findings"][0];
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["fix"][0], "unset KAGGLE_API_TOKEN");
    assert_eq!(code, 1);
}

#[test]
fn probed_cells_carry_status_time_and_request_id() {
    let mut env = TestEnv::new();
    env.env("KAGGLE_API_TOKEN", SCOPED_TOKEN);
    let report = env.json(&["--competition", "santa-2025"]).0;
    let cell = report["matrix"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["source"] == "env:KAGGLE_API_TOKEN" && c["endpoint"] == "competitions.submissions")
        .unwrap();
    assert_eq!(cell["status"], 401);
    assert!(cell["elapsed_ms"].is_u64());
    assert!(cell["request_id"].as_str().unwrap().starts_with("fake-"));
    assert_eq!(cell["message"], "The access token's scope does not allow this operation");
}

#[test]
fn token_in_access_token_file_gets_a_move_aside_fix() {
    let env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env.file("~/.kaggle/access_token", REVOKED_TOKEN);
    let report = env.json(&[]).0;
    // The revoked token is still sent: that is the one cause; shadowing folds under it.
    assert_eq!(report["findings"][0]["code"], "rejected-token-still-sent");
    assert!(report["findings"][0]["related"].as_array().unwrap().iter().any(|c| c == "token-shadows-working-key"));
    assert_eq!(report["findings"][0]["fix"][0], "mv ~/.kaggle/access_token ~/.kaggle/access_token.disabled");
}

#[test]
fn the_matrix_runs_with_one_job_too() {
    let mut env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env.env("KAGGLE_API_TOKEN", SCOPED_TOKEN);
    let (report, _) = env.json(&["--competition", "santa-2025", "--jobs", "1"]);
    assert_eq!(outcome(&report, "env:KAGGLE_API_TOKEN", "competitions.leaderboard"), "unauthorized");
    assert_eq!(outcome(&report, "file:kaggle.json", "competitions.leaderboard"), "ok");
}
