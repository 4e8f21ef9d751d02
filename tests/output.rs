//! Terminal output: colour decisions, verbose cells, quiet broken pipes.

use crate::support::*;

const ESC: &str = "\u{1b}[";

fn with_kaggle_json() -> TestEnv {
    let env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env
}

fn stdout(cmd: &mut assert_cmd::Command) -> String {
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

#[test]
fn color_always_paints_and_never_does_not() {
    let env = with_kaggle_json();
    assert!(stdout(env.cmd().args(["--color", "always"])).contains(ESC));
    assert!(!stdout(env.cmd().args(["--color", "never"])).contains(ESC));
}

#[test]
fn auto_color_follows_no_color_and_clicolor_force() {
    let mut env = with_kaggle_json();
    env.env("CLICOLOR_FORCE", "1");
    assert!(stdout(env.cmd().args(["--color", "auto"])).contains(ESC), "CLICOLOR_FORCE forces colour");
    env.env("NO_COLOR", "1");
    assert!(!stdout(env.cmd().args(["--color", "auto"])).contains(ESC), "NO_COLOR wins over CLICOLOR_FORCE");
}

#[test]
fn auto_color_is_off_when_stdout_is_not_a_terminal() {
    assert!(!stdout(with_kaggle_json().cmd().args(["--color", "auto"])).contains(ESC));
}

#[test]
fn verbose_lists_every_probed_cell_with_its_request_id() {
    let text = stdout(with_kaggle_json().cmd().arg("-v"));
    assert!(text.contains("file:kaggle.json × whoami: ok 200 in"), "{text}");
    assert!(text.contains("request id fake-"));
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let bin = assert_cmd::cargo::cargo_bin("kaggle-auth-doctor");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("'{}' demo every-source --color never -v | head -c 10 >/dev/null", bin.display()))
        .env_clear()
        .env("HOME", "/nonexistent")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn a_token_file_with_a_bom_is_unusable_with_the_reason() {
    let env = TestEnv::new();
    env.file("~/.kaggle/access_token", &format!("\u{feff}{ALICE_TOKEN}\n"));
    let report = env.json(&[]).0;
    let s = source(&report, "file:access_token").unwrap();
    assert_eq!(s["state"], "unusable");
    assert!(s["reason"].as_str().unwrap().contains("byte order mark"));
}

#[test]
fn outcomes_are_spelled_as_in_json_in_every_format() {
    let demo = |format: &str| {
        // Version 99 of the model does not exist: its download is a plain 404.
        let model = "keras/gemma/keras/gemma_2b_en/99";
        let args = ["demo", "gated-model", "--model", model, "--color", "never", "-v", "--format", format];
        stdout(TestEnv::offline().cmd().args(args))
    };
    let json = valid_report(demo("json"));
    assert_eq!(outcome(&json, "file:kaggle.json", "models.download"), "not_found");
    let text = demo("text");
    assert!(text.contains("file:kaggle.json × models.download: not_found 404"), "{text}");
    let junit = demo("junit");
    assert!(junit.contains(r#"message="not_found: "#), "{junit}");
    for shown in [text, junit] {
        assert!(!shown.contains("notfound") && !shown.contains("notprobed"), "{shown}");
    }
}

#[test]
fn kinds_and_severities_are_spelled_as_in_json_in_markdown() {
    let demo = |format: &str| stdout(TestEnv::offline().cmd().args(["demo", "--color", "never", "--format", format]));
    let json = valid_report(demo("json"));
    let markdown = demo("markdown");
    for s in json["sources"].as_array().unwrap() {
        let row = format!("`{}` | {} |", s["id"].as_str().unwrap(), s["kind"].as_str().unwrap());
        assert!(markdown.contains(&row), "markdown lacks {row:?}:\n{markdown}");
    }
    for f in json["findings"].as_array().unwrap().iter().filter(|f| f["folded_into"].is_null()) {
        let heading = format!("#### {} `{}`", f["severity"].as_str().unwrap(), f["code"].as_str().unwrap());
        assert!(markdown.contains(&heading), "markdown lacks {heading:?}:\n{markdown}");
    }
}
