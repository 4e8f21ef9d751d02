//! Exit codes as docs/ci.md lists them: 0 works, 1 does not, 2 usage, 3 inconclusive,
//! 4 runtime failure.

use crate::support::*;

#[test]
fn exit_0_when_the_effective_credential_works() {
    let env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env.cmd().assert().code(0).stdout(predicates::str::contains("PASS"));
}

#[test]
fn exit_1_when_there_is_no_credential() {
    let env = TestEnv::new();
    let (report, code) = env.json(&[]);
    assert_eq!(code, 1);
    assert_eq!(error_codes(&report), ["no-credential-found"]);
    assert_eq!(report["verdict"]["status"], "fail");
}

#[test]
fn exit_1_when_every_source_is_rejected() {
    let mut env = TestEnv::new();
    env.env("KAGGLE_USERNAME", "alice").env("KAGGLE_KEY", "wrong0key0000000000000000000000");
    env.file("~/.kaggle/access_token", REVOKED_TOKEN);
    let (report, code) = env.json(&[]);
    assert_eq!(code, 1);
    assert_eq!(finding_codes(&report)[0], "every-source-rejected");
}

#[test]
fn exit_2_for_an_unknown_flag_value() {
    TestEnv::offline().cmd().args(["--format", "xml"]).assert().code(2);
}

#[test]
fn exit_2_for_plain_http_to_a_remote_host() {
    TestEnv::offline()
        .cmd()
        .args(["--endpoint", "http://api.kaggle.com/v1"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("refusing to send credentials over plain http"));
}

#[test]
fn exit_2_for_a_malformed_client_version() {
    TestEnv::offline().cmd().args(["--client-version", "latest"]).assert().code(2);
}

#[test]
fn exit_3_when_kaggle_cannot_be_reached() {
    let env = TestEnv::offline();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    let out = env.cmd().args(["--endpoint", &refused_endpoint(), "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let report = valid_report(&out.stdout);
    assert_eq!(outcome(&report, "file:kaggle.json", "whoami"), "network");
    assert_eq!(error_codes(&report), ["connection-refused"]);
}

#[test]
fn exit_4_when_stdout_cannot_be_written() {
    let env = TestEnv::offline();
    // Every write to /dev/full fails with "no space left on device".
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full exists on Linux");
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("kaggle-auth-doctor"))
        .arg("--offline")
        .env_clear()
        .env("HOME", env.path("~/"))
        .current_dir(env.path("./"))
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot write to stdout"), "{stderr}");
}

#[test]
fn exit_4_when_the_report_file_cannot_be_written() {
    let env = TestEnv::offline();
    let missing = env.path("~/no-such-dir/report.json");
    let out = env.cmd().args(["--offline", "--format", "json", "--output"]).arg(&missing).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write the report to"));
}

#[test]
fn a_step_summary_outside_github_actions_is_a_note_not_an_error() {
    let out = TestEnv::offline().cmd().args(["--offline", "--step-summary"]).output().unwrap();
    let plain = TestEnv::offline().cmd().args(["--offline"]).output().unwrap();
    assert_eq!(out.status.code(), plain.status.code(), "the flag changes nothing outside Actions");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--step-summary does nothing outside GitHub Actions"));
}

#[test]
fn help_and_version_exit_0() {
    TestEnv::offline().cmd().arg("--help").assert().code(0).stdout(predicates::str::contains("Exit codes"));
    TestEnv::offline().cmd().arg("--version").assert().code(0);
}
