//! When several sources exist, the effective one is what kaggle 2.2.x puts on the wire
//! (docs/client-behaviour.md "What goes in the Authorization header").

use crate::support::*;

fn effective(env: &TestEnv) -> String {
    env.json(&[]).0["effective"]["source"].as_str().unwrap_or("none").to_string()
}

#[test]
fn notebook_token_beats_env_token() {
    let mut env = TestEnv::new();
    let token = env.file("~/nb/token", BOB_TOKEN);
    env.env("KAGGLE_KERNEL_RUN_TYPE", "Batch")
        .env("KAGGLE_DATA_PROXY_URL", "http://127.0.0.1:9")
        .env("KAGGLE_API_V1_TOKEN", &token);
    env.env("KAGGLE_API_TOKEN", ALICE_TOKEN);
    assert_eq!(effective(&env), "notebook:KAGGLE_API_V1_TOKEN");
}

#[test]
fn env_token_beats_access_token_file() {
    let mut env = TestEnv::new();
    env.file("~/.kaggle/access_token", BOB_TOKEN);
    env.env("KAGGLE_API_TOKEN", ALICE_TOKEN);
    assert_eq!(effective(&env), "env:KAGGLE_API_TOKEN");
}

#[test]
fn access_token_beats_access_token_txt() {
    let env = TestEnv::new();
    env.file("~/.kaggle/access_token", ALICE_TOKEN);
    env.file("~/.kaggle/access_token.txt", BOB_TOKEN);
    assert_eq!(effective(&env), "file:access_token");
}

#[test]
fn a_rejected_token_is_still_sent_over_a_working_kaggle_json() {
    let mut env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env.env("KAGGLE_API_TOKEN", REVOKED_TOKEN);
    let (report, code) = env.json(&[]);
    assert_eq!(report["effective"]["source"], "env:KAGGLE_API_TOKEN");
    assert_eq!(report["effective"]["auth"], "bearer");
    assert_eq!(report["shadowed"], serde_json::json!(["file:kaggle.json"]));
    assert!(finding_codes(&report).contains(&"token-shadows-working-key".to_string()));
    assert_eq!(code, 1);
}

#[test]
fn env_pair_beats_kaggle_json() {
    let mut env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env.env("KAGGLE_USERNAME", "bob").env("KAGGLE_KEY", BOB_KEY);
    let report = env.json(&[]).0;
    assert_eq!(report["effective"]["source"], "env:KAGGLE_USERNAME+KAGGLE_KEY");
    assert_eq!(report["effective"]["auth"], "basic");
}

#[test]
fn kaggle_token_beats_the_legacy_pair_it_rides_on() {
    let mut env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env.env("KAGGLE_TOKEN", BOB_TOKEN);
    assert_eq!(effective(&env), "env:KAGGLE_TOKEN");
}

#[test]
fn kaggle_token_alone_is_not_enough_for_the_client() {
    let mut env = TestEnv::new();
    env.env("KAGGLE_TOKEN", BOB_TOKEN);
    let (report, code) = env.json(&[]);
    assert_eq!(report["effective"]["auth"], "none");
    assert_eq!(code, 1);
}

#[test]
fn oauth_is_used_only_when_nothing_else_exists() {
    let env = TestEnv::new();
    let creds = format!(r#"{{"refresh_token":"r","access_token":"{BOB_TOKEN}","username":"bob"}}"#);
    env.file("~/.kaggle/credentials.json", &creds);
    assert_eq!(effective(&env), "file:credentials.json");
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    assert_eq!(effective(&env), "file:kaggle.json");
}

#[test]
fn an_empty_file_named_by_kaggle_api_token_ends_the_token_search() {
    let mut env = TestEnv::new();
    env.file("./empty-token", "");
    env.file("~/.kaggle/access_token", REVOKED_TOKEN);
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env.env("KAGGLE_API_TOKEN", "empty-token");
    let (report, code) = env.json(&[]);
    assert_eq!(report["effective"]["source"], "file:kaggle.json");
    assert_eq!(code, 0);
}
