//! Findings for the official client's surprising behaviours, per client version.

use crate::support::*;

fn codes_for(env: &TestEnv, version: &str) -> (serde_json::Value, Vec<String>) {
    let (report, _) = env.json(&["--client-version", version]);
    let codes = finding_codes(&report);
    (report, codes)
}

fn has(codes: &[String], code: &str) -> bool {
    codes.iter().any(|c| c == code)
}

#[test]
fn invalid_token_and_valid_kaggle_json_on_2_2_5_says_the_token_is_sent_and_how_to_fix_it() {
    let mut env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env.env("KAGGLE_API_TOKEN", REVOKED_TOKEN);
    let out = env.cmd().args(["--client-version", "2.2.5"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    // Prose is wrapped to the width: compare it with the line breaks taken out.
    let text = String::from_utf8(out.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("env:KAGGLE_API_TOKEN is rejected by Kaggle, yet kaggle 2.2.5 sends it (Bearer) on every call"),
        "{text}"
    );
    assert!(text.contains("file:kaggle.json is never used"), "{text}");
    assert!(text.contains("$ unset KAGGLE_API_TOKEN"), "{text}");
    let (report, codes) = codes_for(&env, "2.2.5");
    assert!(has(&codes, "rejected-token-still-sent") && has(&codes, "token-shadows-working-key"), "{codes:?}");
    assert_eq!(report["effective"]["believed_source"], "file:kaggle.json");
}

#[test]
fn token_file_login_crashes_kaggle_1_8_0() {
    let env = TestEnv::new();
    env.file("~/.kaggle/access_token", ALICE_TOKEN);
    let (report, codes) = codes_for(&env, "1.8.0");
    assert!(has(&codes, "token-env-deletion-crash"), "{codes:?}");
    assert_eq!(report["effective"]["client_stops"], true);
    assert_eq!(report["exit_code"], 1);
    let f = report["findings"].as_array().unwrap().iter().find(|f| f["code"] == "token-env-deletion-crash").unwrap();
    assert_eq!(f["fix"][0], "python3 -m pip install --upgrade 'kaggle>=1.8.3'");
    let (ok, codes) = codes_for(&env, "1.8.4");
    assert!(!has(&codes, "token-env-deletion-crash"));
    assert_eq!(ok["exit_code"], 0);
}

#[test]
fn introspection_401_crashes_the_client() {
    let world = WORLD.replace("\"competitions\": [", "\"introspect_requires_auth\": true, \"competitions\": [");
    let mut env = TestEnv::with_world(&world);
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env.env("KAGGLE_API_TOKEN", REVOKED_TOKEN);
    let (report, codes) = codes_for(&env, "2.2.5");
    assert!(has(&codes, "introspection-crash"), "{codes:?}");
    assert_eq!(report["effective"]["client_stops"], true);
}

#[test]
fn token_sources_on_kaggle_1_7_are_flagged_as_too_old() {
    let env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env.file("~/.kaggle/access_token", BOB_TOKEN);
    let (report, codes) = codes_for(&env, "1.7.4.5");
    assert!(has(&codes, "client-too-old-for-tokens"), "{codes:?}");
    assert_eq!(report["effective"]["source"], "file:kaggle.json");
}

#[test]
fn kaggle_api_token_naming_a_directory_is_a_path_trap() {
    let mut env = TestEnv::new();
    std::fs::create_dir_all(env.path("./tokdir")).unwrap();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env.env("KAGGLE_API_TOKEN", "tokdir");
    let (report, codes) = codes_for(&env, "2.2.5");
    assert!(has(&codes, "token-path-trap"), "{codes:?}");
    assert_eq!(report["effective"]["client_stops"], true);
}

#[test]
fn trailing_newline_and_bearer_prefix_are_named() {
    let mut env = TestEnv::new();
    env.env("KAGGLE_API_TOKEN", format!("{ALICE_TOKEN}\n"));
    assert!(has(&codes_for(&env, "2.2.5").1, "credential-whitespace"));
    let mut env = TestEnv::new();
    env.env("KAGGLE_API_TOKEN", format!("Bearer {ALICE_TOKEN}"));
    let (report, codes) = codes_for(&env, "2.2.5");
    assert!(has(&codes, "token-has-bearer-prefix"), "{codes:?}");
    assert_eq!(report["exit_code"], 1);
}

#[test]
fn access_token_in_kaggle_config_dir_is_reported_as_ignored() {
    let mut env = TestEnv::new();
    env.file("~/cfg/access_token", ALICE_TOKEN);
    env.env("KAGGLE_CONFIG_DIR", env.path("~/cfg"));
    assert!(has(&codes_for(&env, "2.2.5").1, "token-file-in-config-dir"));
}

#[test]
fn xdg_kaggle_json_hidden_by_dot_kaggle_is_an_error_when_nothing_else_works() {
    let env = TestEnv::new();
    env.kaggle_json("~/.config/kaggle/kaggle.json", "alice", ALICE_KEY);
    std::fs::create_dir_all(env.path("~/.kaggle")).unwrap();
    let (report, _) = codes_for(&env, "2.2.5");
    let f = report["findings"].as_array().unwrap().iter().find(|f| f["code"] == "xdg-kaggle-json-hidden").unwrap();
    assert_eq!(f["severity"], "error");
}

#[test]
fn literal_tilde_in_kaggle_config_dir_is_explained() {
    let mut env = TestEnv::new();
    env.env("KAGGLE_CONFIG_DIR", "~/.kaggle");
    let (report, codes) = codes_for(&env, "2.2.5");
    assert!(has(&codes, "config-dir-missing"), "{codes:?}");
    assert!(report.to_string().contains("literal ~"));
}

#[test]
fn lone_kaggle_key_is_mixed_on_2_2_and_ignored_before() {
    let mut env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env.env("KAGGLE_KEY", BOB_KEY);
    let (report, codes) = codes_for(&env, "2.2.5");
    assert!(has(&codes, "mixed-key-pair"), "{codes:?}");
    assert_eq!(report["effective"]["source"], "merged:kaggle.json+env");
    let (report, codes) = codes_for(&env, "2.0.2");
    assert!(has(&codes, "env-half-pair-ignored"), "{codes:?}");
    assert_eq!(report["effective"]["source"], "file:kaggle.json");
    assert_eq!(report["exit_code"], 0);
}

#[test]
fn kaggle_token_rides_on_the_key_pair() {
    let mut env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env.env("KAGGLE_TOKEN", BOB_TOKEN);
    let (report, codes) = codes_for(&env, "2.2.5");
    assert!(has(&codes, "config-token-overrides-key"), "{codes:?}");
    assert_eq!(report["effective"]["source"], "env:KAGGLE_TOKEN");
    assert_eq!(report["effective"]["believed_source"], "file:kaggle.json");
}

#[test]
fn oauth_flag_matters_only_up_to_2_1_0() {
    let mut env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    let creds =
        format!(r#"{{"refresh_token":"r","access_token":"{BOB_TOKEN}","access_token_expiration":"{}"}}"#, iso_in(3600));
    env.file("~/.kaggle/credentials.json", &creds);
    env.env("KAGGLE_ENABLE_OAUTH", "1");
    let (report, codes) = codes_for(&env, "2.0.2");
    assert!(has(&codes, "oauth-flag-cli-only") && has(&codes, "oauth-precedence"), "{codes:?}");
    assert_eq!(report["effective"]["source"], "file:credentials.json");
    let (report, codes) = codes_for(&env, "2.2.5");
    assert!(!has(&codes, "oauth-flag-cli-only"));
    assert_eq!(report["effective"]["source"], "file:kaggle.json");
}

#[test]
fn an_oauth_token_expired_minutes_ago_is_still_sent() {
    let env = TestEnv::new();
    let creds = format!(
        r#"{{"refresh_token":"r","access_token":"{REVOKED_TOKEN}","access_token_expiration":"{}"}}"#,
        iso_in(-600)
    );
    env.file("~/.kaggle/credentials.json", &creds);
    let (report, codes) = codes_for(&env, "2.2.5");
    assert!(has(&codes, "oauth-expiry-bug"), "{codes:?}");
    assert_eq!(report["effective"]["source"], "file:credentials.json");
    let naive = format!(
        r#"{{"refresh_token":"r","access_token":"{BOB_TOKEN}","access_token_expiration":"2099-01-01T00:00:00"}}"#
    );
    env.file("~/.kaggle/credentials.json", &naive);
    let (report, codes) = codes_for(&env, "2.2.5");
    assert!(has(&codes, "oauth-expiry-bug"), "{codes:?}");
    assert_eq!(report["effective"]["client_stops"], true);
}

#[test]
fn a_refresh_that_can_delete_credentials_json_is_announced() {
    let env = TestEnv::new();
    env.file("~/.kaggle/credentials.json", r#"{"refresh_token":"r"}"#);
    assert!(has(&codes_for(&env, "2.2.5").1, "oauth-refresh-deletes-credentials"));
}

#[test]
fn group_readable_kaggle_json_is_flagged() {
    let env = TestEnv::new();
    let path = env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let (report, codes) = codes_for(&env, "2.2.5");
    assert!(has(&codes, "kaggle-json-readable-by-others"), "{codes:?}");
    assert_eq!(report["exit_code"], 0, "a warning does not fail the run");
}

#[test]
fn cli_token_of_one_user_and_kagglehub_key_of_another_are_called_out() {
    let mut env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env.env("KAGGLE_TOKEN", BOB_TOKEN);
    let (report, _) = env.json(&["--client", "both"]);
    let clients: Vec<&str> =
        report["clients"].as_array().unwrap().iter().map(|c| c["client"].as_str().unwrap()).collect();
    assert_eq!(clients, ["kaggle", "kagglehub"]);
    let f = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "clients-disagree")
        .expect("clients-disagree");
    assert_eq!(f["title"], "the kaggle CLI sends env:KAGGLE_TOKEN as bob, kagglehub sends file:kaggle.json as alice");
    assert_eq!(f["fix"][0], "unset KAGGLE_TOKEN");
}
