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

/// How many requests a run sends, counted on a server that holds nothing.
fn requests_sent(world: &str, setup: impl Fn(&mut TestEnv), args: &[&str]) -> usize {
    let mut env = TestEnv::with_world(world);
    setup(&mut env);
    env.json(args);
    env.fake.as_ref().unwrap().hits().len()
}

#[test]
fn every_request_of_a_run_is_in_flight_at_once() {
    // The server answers nothing until all the run's requests have arrived: a run that
    // waits for some answers before sending the rest (a second round for the legacy
    // requests, the shaped introspection, …) stalls until its timeout and fails here.
    let shaped = WORLD.replace("\"competitions\": [", "\"introspect_requires_auth\": true, \"competitions\": [");
    let every_kind = |env: &mut TestEnv| {
        env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
        env.file("~/.kaggle/access_token", BOB_TOKEN);
        env.env("KAGGLE_API_TOKEN", REVOKED_TOKEN).env("KAGGLE_TOKEN", BOB_TOKEN);
        env.env("KAGGLE_USERNAME", "bob").env("KAGGLE_KEY", BOB_KEY);
    };
    for (what, world, args) in [
        ("kagglesdk RPC and the 2.2.x-shaped introspection", shaped.as_str(), ["--client-version", "2.2.5"]),
        ("legacy REST and RPC requests of 1.7", WORLD, ["--client-version", "1.7.4.5"]),
        ("legacy REST of 1.6 through no proxy", WORLD, ["--client-version", "1.6.17"]),
        ("the detected client (none installed)", WORLD, ["--competition", "santa-2025"]),
    ] {
        let mut args = args.to_vec();
        args.extend(["--timeout", "20"]);
        let sent = requests_sent(world, every_kind, &args);
        let barrier = world.replacen(r#""server": {"#, &format!(r#""server": {{ "barrier": {sent},"#), 1);
        let mut env = TestEnv::with_world(&barrier);
        every_kind(&mut env);
        let (report, _) = env.json(&args);
        let cells = report["matrix"].as_array().unwrap();
        let stalled: Vec<_> = cells.iter().filter(|c| c["outcome"] == "timeout").map(|c| &c["endpoint"]).collect();
        assert!(stalled.is_empty(), "{what}: requests waited for others: {stalled:?}");
        assert_eq!(env.fake.as_ref().unwrap().hits().len(), sent, "{what}");
    }
}
