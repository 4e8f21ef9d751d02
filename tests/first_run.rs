//! A first-time user's traps (issue 11): a 401 never passes, one cause gives one error
//! with one fix, fixes fit where the user is, token state is visible, the text fits 80
//! columns, and every format agrees on the verdict.

use serde_json::Value;

use crate::findings::too_wide;
use crate::support::*;

/// The text report of `args`, with its exit code.
fn text(env: &TestEnv, args: &[&str]) -> (String, i32) {
    let out = env.cmd().args(args).output().unwrap();
    (String::from_utf8(out.stdout).unwrap(), out.status.code().unwrap())
}

/// The text with line breaks taken out, for sentences that wrap.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn fix_of(report: &Value, i: usize) -> Vec<String> {
    report["findings"][i]["fix"].as_array().unwrap().iter().map(|l| l.as_str().unwrap().to_string()).collect()
}

/// A token that lists competitions but gets 401 on submissions and leaderboard, with a
/// working kaggle.json, run without -c: the motivating case.
fn motivating() -> TestEnv {
    let mut env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env.env("KAGGLE_API_TOKEN", SCOPED_TOKEN);
    env
}

/// A revoked token shadowing a good key.
fn revoked() -> TestEnv {
    let mut env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env.env("KAGGLE_API_TOKEN", REVOKED_TOKEN);
    env
}

#[test]
fn a_401_on_the_default_competition_fails_with_one_error_and_one_fix() {
    let env = motivating();
    let (report, code) = env.json(&[]);
    assert_eq!(code, 1, "a 401 for the credential that is sent never passes");
    assert_eq!(report["verdict"]["status"], "fail");
    assert_eq!(error_codes(&report).len(), 1, "{:?}", finding_codes(&report));
    assert_eq!(fix_of(&report, 0)[0], "unset KAGGLE_API_TOKEN");
    assert_eq!(report["verdict"]["fix"], "unset KAGGLE_API_TOKEN");
    assert!(report["findings"][0]["related"].as_array().unwrap().iter().any(|c| c == "token-scope-insufficient"));
    let subs = report["endpoints"].as_array().unwrap().iter().find(|e| e["id"] == "competitions.submissions");
    assert_eq!(subs.unwrap()["judged"], "unauthorized_only");

    let (out, code) = text(&env, &[]);
    assert_eq!(code, 1);
    assert!(too_wide("motivating", &out, 80).is_empty(), "{:?}", too_wide("motivating", &out, 80));
    let out = flat(&out);
    assert!(out.contains("titanic (default; only a 401 is judged there, not rules or slug — pass -c SLUG)"), "{out}");
    assert!(out.contains("FAIL env:KAGGLE_API_TOKEN is sent and fails on competitions.submissions"), "{out}");
    assert!(out.contains("first: unset KAGGLE_API_TOKEN"), "{out}");
    assert!(out.contains("also: token-scope-insufficient"), "{out}");
}

#[test]
fn forbidden_or_missing_on_an_unnamed_competition_does_not_count_but_does_when_named() {
    // bob has not accepted the rules of titanic, the default competition: 403.
    let world = WORLD.replace(r#""slug": "santa-2025""#, r#""slug": "titanic""#);
    let env = TestEnv::with_world(&world);
    env.kaggle_json("~/.kaggle/kaggle.json", "bob", BOB_KEY);
    let (report, code) = env.json(&[]);
    assert_eq!(code, 0, "{:?}", finding_codes(&report));
    assert_eq!(outcome(&report, "file:kaggle.json", "competitions.submissions"), "forbidden");
    let (report, code) = env.json(&["-c", "titanic"]);
    assert_eq!(code, 1);
    assert_eq!(error_codes(&report), ["competition-rules-not-accepted"], "{:?}", finding_codes(&report));
    assert!(report["verdict"]["fix"].as_str().unwrap().starts_with("sign in as bob"), "{}", report["verdict"]);
}

#[test]
fn a_revoked_token_shadowing_a_good_key_is_one_error_and_visibly_inactive() {
    let env = revoked();
    let (report, code) = env.json(&[]);
    assert_eq!(code, 1);
    assert_eq!(error_codes(&report), ["rejected-token-still-sent"], "{:?}", finding_codes(&report));
    let fix = fix_of(&report, 0);
    assert_eq!(fix[0], "unset KAGGLE_API_TOKEN");
    assert!(!fix.iter().any(|l| l.contains("broader scope")), "no contradicting advice: {fix:?}");
    let related: Vec<&str> =
        report["findings"][0]["related"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert!(related.contains(&"token-inactive") && related.contains(&"token-shadows-working-key"), "{related:?}");
    let token = &source(&report, "env:KAGGLE_API_TOKEN").unwrap()["token"];
    assert_eq!(token["state"], "inactive");

    let (out, _) = text(&env, &["--color", "never"]);
    assert!(too_wide("revoked", &out, 80).is_empty(), "{:?}", too_wide("revoked", &out, 80));
    let row = out.lines().find(|l| l.starts_with("> env:KAGGLE_API_TOKEN") && l.contains("401")).expect(&out);
    assert!(row.contains("inact") && !row.contains(" ok"), "the sent row, marked without colour: {row}");
    assert_eq!(out.matches("error[").count(), 1, "{out}");

    let (junit, _) = text(&env, &["--format", "junit"]);
    let introspect = junit.lines().skip_while(|l| !l.contains("× introspect")).nth(1).unwrap_or_default();
    assert!(introspect.contains("<failure") && introspect.contains("inactive"), "{junit}");
}

#[test]
fn the_recheck_repeats_the_users_flags() {
    let env = revoked();
    let (report, _) = env.json(&["-c", "santa-2025", "--client-version", "2.2.5", "--require", "whoami"]);
    let fix = fix_of(&report, 0);
    let last = fix.last().unwrap();
    assert!(last.starts_with("kaggle-auth-doctor -c santa-2025 --endpoint http://127.0.0.1:"), "{last}");
    assert!(last.ends_with("--client-version 2.2.5 --require whoami"), "{last}");
}

#[test]
fn an_outage_is_inconclusive_not_a_bad_credential() {
    let mut env = TestEnv::offline();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env.endpoint = Some("http://127.0.0.1:1/v1".into());
    let (report, code) = env.json(&[]);
    assert_eq!(code, 3);
    let errors = error_codes(&report);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(!errors.iter().any(|c| c.contains("credential") || c.contains("rejected")), "{errors:?}");
}

#[test]
fn powershell_off_windows_gets_chmod_not_icacls() {
    let env = TestEnv::new();
    group_readable_kaggle_json(&env);
    let (report, _) = env.json(&["--shell", "powershell"]);
    let fixes = fix_lines(&report);
    if cfg!(unix) {
        assert!(fixes.iter().any(|l| l.starts_with("chmod 600")), "{fixes:?}");
        assert!(!fixes.iter().any(|l| l.contains("icacls")), "{fixes:?}");
    }
}

#[test]
fn a_kaggle_notebook_gets_python_cells_and_its_secrets_never_export() {
    let mut env = revoked();
    env.env("KAGGLE_KERNEL_RUN_TYPE", "Interactive").env("KAGGLE_DATA_PROXY_URL", "http://127.0.0.1:1");
    let (report, code) = env.json(&[]);
    assert_eq!(code, 1);
    let fixes = fix_lines(&report);
    assert!(!fixes.iter().any(|l| l.starts_with("export ") || l.starts_with("unset ")), "{fixes:?}");
    assert!(fixes.iter().any(|l| l == "import os; os.environ.pop(\"KAGGLE_API_TOKEN\", None)"), "{fixes:?}");
    let secret = fixes.iter().find(|l| l.contains("UserSecretsClient")).expect("the notebook's Secrets");
    assert!(secret.contains("os.environ.pop(\"KAGGLE_API_V1_TOKEN\", None)"), "the notebook token outranks: {secret}");
}

#[test]
fn ci_with_an_empty_secret_gets_a_workflow_snippet_and_no_claims_about_unprobed_cells() {
    let mut env = TestEnv::new();
    env.env("GITHUB_ACTIONS", "true").env("KAGGLE_API_TOKEN", "");
    let (report, code) = env.json(&["--effective-only"]);
    assert_eq!(code, 1);
    let findings = report["findings"].as_array().unwrap();
    let fixes = fix_lines(&report);
    assert!(!fixes.iter().any(|l| l.starts_with("export KAGGLE_API_TOKEN=")), "{fixes:?}");
    assert!(fixes.iter().any(|l| l.contains("${{ secrets.KAGGLE_API_TOKEN }}")), "{fixes:?}");
    for f in findings {
        let said = format!("{} {}", f["title"], f["detail"]);
        for cell in report["matrix"].as_array().unwrap().iter().filter(|c| c["outcome"] == "not_probed") {
            let claim = format!("{} fails on", cell["source"].as_str().unwrap());
            assert!(!said.contains(&claim), "claims a failure for an unprobed row: {said}");
        }
    }
}

#[test]
fn fail_on_warning_changes_the_verdict_in_every_format() {
    let env = TestEnv::new();
    group_readable_kaggle_json(&env);
    let (plain, code) = env.json(&[]);
    assert_eq!((code, plain["verdict"]["status"].as_str()), (0, Some("pass")));
    let warning = ["--fail-on", "warning"];
    let (report, code) = env.json(&warning);
    assert_eq!(code, 1);
    assert_eq!(report["verdict"]["status"], "fail");
    let (out, _) = text(&env, &warning);
    assert!(out.lines().any(|l| l.starts_with("FAIL --fail-on warning")), "{out}");
    let (quiet, code) = text(&env, &["--fail-on", "warning", "-q"]);
    assert_eq!(code, 1);
    assert!(quiet.contains("kaggle-json-readable-by-others") && quiet.contains("FAIL"), "{quiet:?}");
    let (junit, _) = text(&env, &["--fail-on", "warning", "--format", "junit"]);
    assert!(!junit.contains("failures=\"0\""), "{junit}");
    let (md, _) = text(&env, &["--fail-on", "warning", "--format", "markdown"]);
    assert!(md.starts_with("## ❌ kaggle-auth-doctor: FAIL"), "{md}");
    let (quiet, code) = text(&env, &["-q"]);
    assert_eq!((quiet.as_str(), code), ("", 0), "a passing -q run prints nothing");
}

#[test]
fn the_text_fits_columns_and_term_dumb_gets_no_escape_sequences() {
    let mut env = revoked();
    env.env("COLUMNS", "60").env("TERM", "dumb");
    let (out, _) = text(&env, &[]);
    assert!(too_wide("COLUMNS=60", &out, 60).is_empty(), "{:?}", too_wide("COLUMNS=60", &out, 60));
    assert!(!out.contains('\x1b'), "{out}");
    let mut forced = revoked();
    forced.env("TERM", "dumb").env("CLICOLOR_FORCE", "1");
    let out = forced.cmd().output().unwrap();
    assert!(!out.stdout.contains(&0x1b) && !out.stderr.contains(&0x1b));
}

#[test]
fn an_empty_competition_is_a_usage_error() {
    let out = TestEnv::offline().cmd().args(["--offline", "-c", ""]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--competition needs a slug"));
}

#[test]
fn markdown_ticket_is_short_with_a_sources_table() {
    let env = revoked();
    let (md, _) = text(&env, &["--format", "markdown"]);
    assert!(md.len() < 10_000, "{} bytes", md.len());
    assert!(md.contains("### Sources") && !md.contains("<details>"), "{md}");
    let (full, _) = text(&env, &["--format", "markdown", "-v"]);
    assert!(full.contains("<details><summary>JSON report</summary>"));
}

/// A working kaggle.json that others can read: a warning, never an error.
fn group_readable_kaggle_json(env: &TestEnv) {
    let path = env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let _ = path;
}
