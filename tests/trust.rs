//! Trust: no secret leaks on any path, nothing is written, hostile servers and broken
//! local files end in a classified report — never a hang or a panic.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::support::*;

/// A hang guard for a whole run, not a timing assertion: a run that needs this long hangs.
const HANG_GUARD: Duration = Duration::from_secs(60);

// Unique secrets, one per source, all known to the fake so that they are really sent.
const S_ENV_TOKEN: &str = "KGAT_leak0env0token00000000000000000001";
const S_FILE_TOKEN: &str = "KGAT_leak0file0token0000000000000000002";
const S_TXT_TOKEN: &str = "KGAT_leak0txt0token00000000000000000003";
const S_NB_TOKEN: &str = "KGAT_leak0notebook0token0000000000000004";
const S_CONFIG_TOKEN: &str = "KGAT_leak0config0token00000000000000005";
const S_JSON_TOKEN: &str = "KGAT_leak0json0token0000000000000000006";
const S_OAUTH_TOKEN: &str = "KGAT_leak0oauth0token000000000000000007";
const S_REFRESH: &str = "leak0refresh0token0000000000000000008";
const S_ENV_KEY: &str = "leak0env0key000000000000000000009";
const S_JSON_KEY: &str = "leak0json0key00000000000000000010";
const S_DOTENV_TOKEN: &str = "KGAT_leak0dotenv0token00000000000000011";
const SECRETS: [&str; 11] = [
    S_ENV_TOKEN,
    S_FILE_TOKEN,
    S_TXT_TOKEN,
    S_NB_TOKEN,
    S_CONFIG_TOKEN,
    S_JSON_TOKEN,
    S_OAUTH_TOKEN,
    S_REFRESH,
    S_ENV_KEY,
    S_JSON_KEY,
    S_DOTENV_TOKEN,
];

fn echo_world(fault: &str) -> String {
    // Every secret except the keys and the refresh token is a token the fake accepts.
    let tokens: Vec<String> = SECRETS
        .iter()
        .filter(|s| s.starts_with("KGAT_"))
        .map(|t| format!(r#"{{"token": "{t}", "username": "alice"}}"#))
        .collect();
    format!(
        r#"{{"name": "leak", "description": "every secret at once", "server": {{
            "accounts": [{{"username": "alice", "key": "{S_JSON_KEY}"}}, {{"username": "bob", "key": "{S_ENV_KEY}"}}],
            "tokens": [{}] {fault} }} }}"#,
        tokens.join(",")
    )
}

fn every_source_at_once(env: &mut TestEnv) {
    let nb = env.file("~/nb-token", S_NB_TOKEN);
    env.env("KAGGLE_KERNEL_RUN_TYPE", "Interactive")
        .env("KAGGLE_DATA_PROXY_URL", "http://127.0.0.1:9")
        .env("KAGGLE_API_V1_TOKEN", &nb);
    env.env("KAGGLE_API_TOKEN", S_ENV_TOKEN).env("KAGGLE_TOKEN", S_CONFIG_TOKEN);
    env.env("KAGGLE_USERNAME", "bob").env("KAGGLE_KEY", S_ENV_KEY);
    env.file("~/.kaggle/access_token", S_FILE_TOKEN);
    env.file("~/.kaggle/access_token.txt", S_TXT_TOKEN);
    env.file(
        "~/.kaggle/kaggle.json",
        &format!(r#"{{"username":"alice","key":"{S_JSON_KEY}","token":"{S_JSON_TOKEN}"}}"#),
    );
    env.file(
        "~/.kaggle/credentials.json",
        &format!(r#"{{"refresh_token":"{S_REFRESH}","access_token":"{S_OAUTH_TOKEN}","access_token_expiration":"2099-01-01T00:00:00+00:00"}}"#),
    );
    env.file("./.env", &format!("KAGGLE_API_TOKEN={S_DOTENV_TOKEN}\n"));
}

/// Everything a secret could show up as.
fn forbidden_strings() -> Vec<String> {
    let mut all: Vec<String> = SECRETS.iter().map(|s| s.to_string()).collect();
    all.extend(SECRETS.iter().map(|s| format!("Bearer {s}")));
    for (user, key) in [("alice", S_JSON_KEY), ("bob", S_ENV_KEY)] {
        all.push(base64(&format!("{user}:{key}")));
    }
    all
}

fn base64(text: &str) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = text.as_bytes();
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, x)| acc | (u32::from(*x) << (16 - 8 * i)));
        for i in 0..4 {
            out.push(if i <= chunk.len() { A[(n >> (18 - 6 * i) & 63) as usize] as char } else { '=' });
        }
    }
    out
}

fn assert_clean(what: &str, text: &str) {
    for bad in forbidden_strings() {
        assert!(!text.contains(&bad), "{what} leaks {bad}:\n{text}");
    }
}

#[test]
fn no_secret_reaches_any_output_even_from_a_server_that_echoes_them() {
    let mut env = TestEnv::with_world(&echo_world(r#", "fault": "echo-auth""#));
    every_source_at_once(&mut env);
    let file = env.path("~/report.out");
    let runs: Vec<Vec<&str>> = vec![
        vec![],
        vec!["-v"],
        vec!["--format", "json"],
        vec!["--format", "markdown"],
        vec!["--format", "junit"],
        vec!["--format", "json", "--output", file.to_str().unwrap()],
        vec!["--competition", "titanic", "--client-version", "1.7.4.5", "-v"],
        vec!["--format", "nonsense"],
        vec!["--endpoint", "http://127.0.0.1:9/v1", "-v"],
        vec!["--endpoint", "http://api.kaggle.com/v1"],
        vec!["--offline"],
    ];
    for args in runs {
        let out = env.cmd().args(&args).timeout(HANG_GUARD).output().unwrap();
        assert_clean(&format!("stdout of {args:?}"), &String::from_utf8_lossy(&out.stdout));
        assert_clean(&format!("stderr of {args:?}"), &String::from_utf8_lossy(&out.stderr));
    }
    assert_clean("--output file", &std::fs::read_to_string(&file).unwrap());
    // The echo really happened, and was scrubbed.
    let (report, _) = env.json(&["-v"]);
    assert!(report.to_string().contains("you sent Authorization: Bearer [redacted]"), "{report}");
}

#[test]
fn secrets_in_malformed_files_are_not_quoted_back() {
    let env = TestEnv::new();
    env.file("~/.kaggle/kaggle.json", &format!("{{\"username\": \"alice\", \"key\": \"{S_JSON_KEY}\",,}}"));
    env.file("~/.kaggle/credentials.json", &format!("{{\"refresh_token\": \"{S_REFRESH}\""));
    for format in ["text", "json", "markdown", "junit"] {
        let out = env.cmd().args(["--format", format, "-v"]).output().unwrap();
        assert_clean(format, &String::from_utf8_lossy(&out.stdout));
    }
}

#[test]
fn proxy_passwords_are_never_printed() {
    let mut env = TestEnv::offline();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env.env("HTTP_PROXY", "http://proxyuser:pr0xy-s3cret@127.0.0.1:9");
    for format in ["text", "json"] {
        let out = env.cmd().args(["--endpoint", "http://127.0.0.1:9/v1", "--format", format, "-v"]).output().unwrap();
        let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(!all.contains("pr0xy-s3cret"), "{all}");
        assert!(all.contains("[redacted]@127.0.0.1:9"), "the proxy is shown, without its password");
    }
}

/// Every file below `root`: path → (size, mode, mtime, content).
fn snapshot(root: &Path) -> BTreeMap<PathBuf, (u64, u32, std::time::SystemTime, Vec<u8>)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let meta = std::fs::symlink_metadata(&dir).unwrap();
        let content = if meta.is_file() { std::fs::read(&dir).unwrap() } else { Vec::new() };
        out.insert(dir.clone(), (meta.len(), meta.permissions().mode(), meta.modified().unwrap(), content));
        if meta.is_dir() {
            stack.extend(std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()));
        }
    }
    out
}

#[test]
fn nothing_is_created_or_changed_on_any_path() {
    let mut env = TestEnv::with_world(&echo_world(""));
    every_source_at_once(&mut env);
    env.env("KAGGLE_CONFIG_DIR", env.path("~/missing-config-dir"));
    let root = env.home.parent().unwrap().to_path_buf();
    let before = snapshot(&root);
    for args in [
        vec![],
        vec!["--offline"],
        vec!["demo"],
        vec!["--format", "json", "-v"],
        vec!["--format", "bad"],
        vec!["--endpoint", "http://127.0.0.1:9/v1"],
    ] {
        let out = env.cmd().args(&args).timeout(HANG_GUARD).output().unwrap();
        assert!(out.status.code().is_some(), "{args:?} ended by a signal");
        assert_eq!(snapshot(&root), before, "{args:?} changed the sandbox");
    }
    assert!(!env.path("~/missing-config-dir").exists(), "the config dir is not created");
}

#[test]
fn redirects_are_not_followed() {
    let env = TestEnv::with_world(&echo_world(r#", "fault": "redirect-other-host""#));
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", S_JSON_KEY);
    let (report, code) = env.json(&[]);
    assert_eq!(code, 1);
    let cell = report["matrix"].as_array().unwrap().iter().find(|c| c["source"] == "file:kaggle.json").unwrap();
    assert_eq!(cell["outcome"], "http_error");
    assert!(cell["message"].as_str().unwrap().contains("not followed"));
}

fn hostile(fault: &str, args: &[&str]) -> (serde_json::Value, i32, String) {
    let env = TestEnv::with_world(&echo_world(&format!(r#", "fault": "{fault}""#)));
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", S_JSON_KEY);
    let out = env
        .cmd()
        .args(["--format", "json", "--timeout", "3", "--probe-timeout", "1"])
        .args(args)
        .timeout(HANG_GUARD)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a report is always produced");
    validate(&report);
    (report, out.status.code().unwrap(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn hostile_servers_end_in_a_classified_report() {
    for (fault, expected, code) in [
        ("hang", "timeout", 3),
        ("drip", "timeout", 3),
        ("reset", "network", 3),
        ("status500", "server_error", 3),
        ("html502", "server_error", 3),
        ("retry-after-seconds", "rate_limited", 3),
        ("retry-after-date", "rate_limited", 3),
        ("invalid-json", "server_error", 3),
        ("huge-body", "server_error", 3),
        ("redirect-other-host", "http_error", 1),
        ("wrong-content-type", "ok", 0),
        ("terminal-escapes", "unauthorized", 1),
    ] {
        let (report, exit, stderr) = hostile(fault, &[]);
        assert!(!stderr.contains("panicked"), "{fault}: {stderr}");
        assert_eq!(outcome(&report, "file:kaggle.json", "whoami"), expected, "{fault}");
        assert_eq!(exit, code, "{fault}");
        assert!(
            report["matrix"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["outcome"] != "not_probed" || c["source"] != "file:kaggle.json")
        );
    }
}

#[test]
fn retry_after_is_reported() {
    let (report, _, _) = hostile("retry-after-seconds", &[]);
    assert!(finding_codes(&report).contains(&"rate-limited".to_string()));
    assert!(report.to_string().contains("Retry-After 86400"));
}

#[test]
fn terminal_escapes_from_the_server_never_reach_the_terminal() {
    let env = TestEnv::with_world(&echo_world(r#", "fault": "terminal-escapes""#));
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", S_JSON_KEY);
    for args in [vec!["-v"], vec!["--format", "markdown"], vec!["--format", "junit"]] {
        let out = env.cmd().args(&args).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202e}'),
            "{args:?}: {text:?}"
        );
    }
}
