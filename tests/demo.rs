//! `demo`: the real report of a scenario, from a sandbox, never the user's credentials.

use crate::support::*;

/// The demo output with the run-dependent parts (port) masked.
fn stable(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("127.0.0.1:") {
        out.push_str(&rest[..i + 10]);
        rest = rest[i + 10..].trim_start_matches(|c: char| c.is_ascii_digit());
        out.push_str("PORT");
    }
    out.push_str(rest);
    out
}

#[test]
fn default_demo_reproduces_the_motivating_case() {
    let out = TestEnv::offline().cmd().arg("demo").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("demo_default", stable(&String::from_utf8(out.stdout).unwrap()));
}

#[test]
fn demo_never_reads_the_real_home() {
    let mut env = TestEnv::offline();
    env.kaggle_json("~/.kaggle/kaggle.json", "realuser", "rea1rea1rea1rea1rea1rea1rea1rea1");
    env.env("KAGGLE_API_TOKEN", "KGAT_real0user0token000000000000000");
    let out = env.cmd().args(["demo", "all-good", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("realuser"));
    let report = valid_report(&text);
    assert_eq!(source_ids(&report), ["file:kaggle.json", "anonymous"]);
}

#[test]
fn demo_list_names_the_scenarios() {
    let out = TestEnv::offline().cmd().args(["demo", "--list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for name in ["token-shadows-key (default)", "all-good", "no-credentials", "expired-token", "rules-not-accepted"] {
        assert!(text.contains(name), "{name} missing from:\n{text}");
    }
}

#[test]
fn demo_of_an_unknown_scenario_is_a_usage_error() {
    TestEnv::offline()
        .cmd()
        .args(["demo", "nope"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no scenario named 'nope'"));
}

#[test]
fn demo_json_names_the_scenario() {
    let out = TestEnv::offline().cmd().args(["demo", "--format", "json"]).output().unwrap();
    let report = valid_report(&out.stdout);
    assert_eq!(report["demo"]["scenario"], "token-shadows-key");
    assert_eq!(report["exit_code"], 1);
}
