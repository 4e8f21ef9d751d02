//! Every source id is discovered from its real location, and only there.

use crate::support::*;

fn ids(env: &TestEnv) -> Vec<String> {
    source_ids(&env.json(&[]).0)
}

#[test]
fn anonymous_is_always_the_last_row() {
    let env = TestEnv::new();
    assert_eq!(ids(&env), ["anonymous"]);
}

#[test]
fn notebook_token_is_found_inside_a_kaggle_notebook() {
    let mut env = TestEnv::new();
    let token = env.file("~/nb/token", ALICE_TOKEN);
    env.env("KAGGLE_KERNEL_RUN_TYPE", "Interactive")
        .env("KAGGLE_DATA_PROXY_URL", "http://127.0.0.1:9")
        .env("KAGGLE_API_V1_TOKEN", &token);
    let report = env.json(&[]).0;
    let s = source(&report, "notebook:KAGGLE_API_V1_TOKEN").expect("listed");
    assert_eq!(s["state"], "usable");
    assert_eq!(s["kind"], "token");
    assert_eq!(report["effective"]["source"], "notebook:KAGGLE_API_V1_TOKEN");
}

#[test]
fn notebook_token_outside_a_notebook_is_listed_as_ignored() {
    let mut env = TestEnv::new();
    let token = env.file("~/nb/token", ALICE_TOKEN);
    env.env("KAGGLE_API_V1_TOKEN", &token);
    let report = env.json(&[]).0;
    let s = source(&report, "notebook:KAGGLE_API_V1_TOKEN").expect("listed");
    assert_eq!(s["state"], "unusable");
    assert!(s["reason"].as_str().unwrap().contains("KAGGLE_KERNEL_RUN_TYPE"));
}

#[test]
fn env_api_token_holding_the_value() {
    let mut env = TestEnv::new();
    env.env("KAGGLE_API_TOKEN", ALICE_TOKEN);
    let report = env.json(&[]).0;
    let s = source(&report, "env:KAGGLE_API_TOKEN").unwrap();
    assert_eq!(s["state"], "usable");
    assert_eq!(s["origin"], "env KAGGLE_API_TOKEN");
    assert_eq!(s["username"], "alice");
}

#[test]
fn env_api_token_holding_a_relative_path_reads_the_file_from_the_working_dir() {
    let mut env = TestEnv::new();
    env.file("./secrets/token.txt", &format!("{ALICE_TOKEN}\n"));
    env.env("KAGGLE_API_TOKEN", "secrets/token.txt");
    let report = env.json(&[]).0;
    let s = source(&report, "env:KAGGLE_API_TOKEN").unwrap();
    assert_eq!(s["state"], "usable");
    assert!(s["origin"].as_str().unwrap().contains("token.txt"));
    assert_eq!(outcome(&report, "env:KAGGLE_API_TOKEN", "whoami"), "ok");
}

#[test]
fn access_token_file_in_home() {
    let env = TestEnv::new();
    env.file("~/.kaggle/access_token", &format!("{ALICE_TOKEN}\n"));
    let report = env.json(&[]).0;
    assert_eq!(source(&report, "file:access_token").unwrap()["origin"], "~/.kaggle/access_token");
}

#[test]
fn access_token_txt_file_in_home() {
    let env = TestEnv::new();
    env.file("~/.kaggle/access_token.txt", ALICE_TOKEN);
    let report = env.json(&[]).0;
    assert_eq!(source(&report, "file:access_token.txt").unwrap()["state"], "usable");
}

#[test]
fn access_token_under_kaggle_config_dir_is_not_a_source() {
    let mut env = TestEnv::new();
    env.file("~/cfg/access_token", ALICE_TOKEN);
    env.env("KAGGLE_CONFIG_DIR", env.path("~/cfg"));
    assert_eq!(ids(&env), ["anonymous"]);
}

#[test]
fn env_key_pair() {
    let mut env = TestEnv::new();
    env.env("KAGGLE_USERNAME", "alice").env("KAGGLE_KEY", ALICE_KEY);
    let report = env.json(&[]).0;
    let s = source(&report, "env:KAGGLE_USERNAME+KAGGLE_KEY").unwrap();
    assert_eq!(
        (s["state"].as_str(), s["kind"].as_str(), s["username"].as_str()),
        (Some("usable"), Some("key_pair"), Some("alice"))
    );
}

#[test]
fn lone_kaggle_key_is_listed_with_the_missing_half() {
    let mut env = TestEnv::new();
    env.env("KAGGLE_KEY", ALICE_KEY);
    let report = env.json(&[]).0;
    let s = source(&report, "env:KAGGLE_USERNAME+KAGGLE_KEY").unwrap();
    assert_eq!(s["state"], "unusable");
    assert_eq!(s["reason"], "KAGGLE_KEY set but KAGGLE_USERNAME missing");
}

#[test]
fn kaggle_json_in_dot_kaggle() {
    let env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    let report = env.json(&[]).0;
    assert_eq!(source(&report, "file:kaggle.json").unwrap()["origin"], "~/.kaggle/kaggle.json");
}

#[test]
fn kaggle_json_in_kaggle_config_dir_wins_over_dot_kaggle() {
    let mut env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "bob", BOB_KEY);
    env.kaggle_json("~/cfg/kaggle.json", "alice", ALICE_KEY);
    env.env("KAGGLE_CONFIG_DIR", env.path("~/cfg"));
    let report = env.json(&[]).0;
    let s = source(&report, "file:kaggle.json").unwrap();
    assert_eq!((s["origin"].as_str(), s["username"].as_str()), (Some("~/cfg/kaggle.json"), Some("alice")));
}

#[test]
fn xdg_kaggle_json_is_used_when_dot_kaggle_does_not_exist() {
    let env = TestEnv::new();
    env.kaggle_json("~/.config/kaggle/kaggle.json", "alice", ALICE_KEY);
    let report = env.json(&[]).0;
    assert_eq!(source(&report, "file:kaggle.json").unwrap()["origin"], "~/.config/kaggle/kaggle.json");
}

#[test]
fn xdg_kaggle_json_is_hidden_once_dot_kaggle_exists() {
    let env = TestEnv::new();
    env.kaggle_json("~/.config/kaggle/kaggle.json", "alice", ALICE_KEY);
    std::fs::create_dir_all(env.path("~/.kaggle")).unwrap();
    assert_eq!(ids(&env), ["anonymous"]);
}

#[test]
fn invalid_kaggle_json_names_line_and_column() {
    let env = TestEnv::new();
    env.file("~/.kaggle/kaggle.json", "{\n  \"username\": \"alice\",\n}\n");
    let report = env.json(&[]).0;
    let s = source(&report, "file:kaggle.json").unwrap();
    assert_eq!(s["state"], "unusable");
    assert_eq!(s["reason"], "kaggle.json: invalid JSON at line 3 column 1");
}

#[test]
fn kaggle_token_env_var() {
    let mut env = TestEnv::new();
    env.env("KAGGLE_TOKEN", BOB_TOKEN);
    let report = env.json(&[]).0;
    assert_eq!(source(&report, "env:KAGGLE_TOKEN").unwrap()["kind"], "token");
}

#[test]
fn token_field_inside_kaggle_json() {
    let env = TestEnv::new();
    env.file("~/.kaggle/kaggle.json", &format!(r#"{{"username":"alice","key":"{ALICE_KEY}","token":"{BOB_TOKEN}"}}"#));
    let report = env.json(&[]).0;
    let s = source(&report, "file:kaggle.json#token").unwrap();
    assert_eq!((s["origin"].as_str(), s["username"].as_str()), (Some("~/.kaggle/kaggle.json#token"), Some("bob")));
}

#[test]
fn oauth_credentials_json() {
    let env = TestEnv::new();
    env.file(
        "~/.kaggle/credentials.json",
        &format!(r#"{{"refresh_token":"r3fr3sh","access_token":"{ALICE_TOKEN}","access_token_expiration":"2099-01-01T00:00:00+00:00","username":"alice"}}"#),
    );
    let report = env.json(&[]).0;
    let s = source(&report, "file:credentials.json").unwrap();
    assert_eq!((s["kind"].as_str(), s["state"].as_str()), (Some("oauth"), Some("usable")));
}

#[test]
fn dotenv_in_the_working_dir() {
    let env = TestEnv::new();
    env.file("./.env", &format!("KAGGLE_USERNAME=alice\nKAGGLE_KEY={ALICE_KEY}\n"));
    let report = env.json(&[]).0;
    assert_eq!(source(&report, "dotenv:.env").unwrap()["state"], "usable");
    assert!(finding_codes(&report).contains(&"dotenv-not-loaded".to_string()));
}

#[test]
fn lone_env_key_with_kaggle_json_username_is_the_merged_pair() {
    let mut env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env.env("KAGGLE_KEY", BOB_KEY);
    let report = env.json(&[]).0;
    let merged = source(&report, "merged:kaggle.json+env").expect("merged pair listed");
    assert_eq!(merged["username"], "alice");
    let e = &report["effective"];
    assert_eq!(
        (e["username_source"].as_str(), e["key_source"].as_str()),
        (Some("file:kaggle.json"), Some("env:KAGGLE_USERNAME+KAGGLE_KEY"))
    );
    assert_eq!(outcome(&report, "merged:kaggle.json+env", "whoami"), "unauthorized");
}
