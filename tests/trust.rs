//! Trust: no secret leaks on any path, nothing is written, hostile servers and broken
//! local files end in a classified report — never a hang or a panic.

use std::collections::BTreeMap;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::support::raw::{self, RawRequest, RawServer};
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
    // demo FILE: a scenario that tries to write into this sandbox from the demo's own
    // (both live in the same temp dir), and one that is fine. Written before the snapshot.
    let name = root.file_name().unwrap().to_str().unwrap();
    let escape = serde_json::json!({"name": "x", "description": "x",
        "local": {"files": {format!("~/../../{name}/home/pwned"): "x", "~/ok": {"json": {}, "mode": "4755"}}}});
    let escape_file = env.file("~/escape.json", &escape.to_string());
    let fine_file = env.file("~/fine.json", r#"{"name": "fine", "description": "fine"}"#);
    let before = snapshot(&root);
    for args in [
        vec![],
        vec!["--offline"],
        vec!["demo"],
        vec!["demo", escape_file.to_str().unwrap()],
        vec!["demo", fine_file.to_str().unwrap()],
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
    assert_eq!(code, 3, "a redirect says nothing about the credential");
    let cell = report["matrix"].as_array().unwrap().iter().find(|c| c["source"] == "file:kaggle.json").unwrap();
    assert_eq!(cell["outcome"], "network");
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
        ("redirect-other-host", "network", 3),
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

/// Percent-encodes every byte outside the unreserved set.
fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Every encoding a server could echo `value` in: raw, percent-encoded, base64 with and
/// without padding, URL-safe base64 (padded or not), percent-encoded base64.
fn encodings(value: &str) -> Vec<String> {
    let b64 = base64(value);
    let url = b64.replace('+', "-").replace('/', "_");
    vec![
        value.to_string(),
        percent(value),
        percent(value).to_lowercase(),
        b64.clone(),
        b64.trim_end_matches('=').to_string(),
        url.trim_end_matches('=').to_string(),
        url,
        percent(&b64),
    ]
}

const PROXY_USER: &str = "proxyuser";
const PROXY_PASSWORD: &str = "pr0xy@s3cret:with@signs";

/// Every secret of the standard leak setup plus the proxy password, and the Basic pairs.
fn all_forbidden_encodings() -> Vec<String> {
    let mut all = Vec::new();
    for secret in SECRETS.iter().copied().chain([PROXY_PASSWORD]) {
        all.extend(encodings(secret));
    }
    for pair in [format!("alice:{S_JSON_KEY}"), format!("bob:{S_ENV_KEY}"), format!("{PROXY_USER}:{PROXY_PASSWORD}")] {
        all.extend(encodings(&pair).into_iter().skip(3));
    }
    all
}

/// An echo of every credential any caller sent so far (recent callers too), in every
/// encoding, including the token inside the IntrospectToken body.
fn echo_of_everything(now: &RawRequest, earlier: &[RawRequest]) -> String {
    let mut parts = Vec::new();
    let mut values: Vec<&str> = Vec::new();
    for request in earlier.iter().chain([now]) {
        for name in ["authorization", "proxy-authorization"] {
            let Some(value) = request.header(name) else { continue };
            if values.contains(&value) {
                continue;
            }
            values.push(value);
            parts.push(value.to_string());
            let credential = value.split_once(' ').map_or(value, |(_, c)| c);
            parts.extend(encodings(credential));
            if let Some(pair) = value.strip_prefix("Basic ").and_then(decode64) {
                parts.extend(encodings(&pair));
                parts.extend(pair.split_once(':').map(|(_, key)| encodings(key)).unwrap_or_default());
            }
        }
        let body = String::from_utf8_lossy(&request.body).into_owned();
        if body.contains("token") && !parts.contains(&body) {
            parts.push(body);
        }
    }
    parts.join(" | ")
}

fn decode64(text: &str) -> Option<String> {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let (mut acc, mut bits, mut out) = (0u32, 0, Vec::new());
    for c in text.trim_end_matches('=').bytes() {
        acc = (acc << 6) | A.iter().position(|a| *a == c)? as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A server (or proxy) that echoes everything it was ever sent in every field a report
/// shows: the request id header, `Retry-After`, the error message, whoami's `userName`,
/// introspection's `username` and `scope`.
fn echoing_server() -> RawServer {
    RawServer::start(|request, earlier| {
        let echo = echo_of_everything(request, earlier);
        let current = request.header("authorization").or(request.header("proxy-authorization")).unwrap_or("none");
        let header_echo: String = encodings(current.split_once(' ').map_or(current, |(_, c)| c)).join(",");
        let headers = [("X-Kaggle-RequestId", header_echo.as_str()), ("Retry-After", header_echo.as_str())];
        let text = serde_json::Value::String(echo).to_string();
        let line = &request.line;
        let (status, body) = if line.contains("GetCurrentUser") {
            ("200 OK", format!(r#"{{"userName": {text}, "displayName": {text}}}"#))
        } else if line.contains("IntrospectToken") {
            ("200 OK", format!(r#"{{"active": true, "username": {text}, "scope": {text}}}"#))
        } else if line.contains("ListCompetitions") {
            ("429 Too Many Requests", format!(r#"{{"code": 429, "message": {text}}}"#))
        } else if line.contains("Dataset") {
            ("403 Forbidden", format!(r#"{{"code": 403, "message": {text}}}"#))
        } else {
            ("401 Unauthorized", format!(r#"{{"code": 401, "message": {text}}}"#))
        };
        raw::answer(status, &headers, &body)
    })
}

#[test]
fn no_secret_in_any_encoding_reaches_output_from_an_echoing_server_or_proxy() {
    let server = echoing_server();
    let mut direct = TestEnv::offline();
    every_source_at_once(&mut direct);
    direct.endpoint = Some(server.root());
    // The same server as an HTTP proxy whose password holds `@` and `:`, in front of an
    // API root that does not exist: it echoes Proxy-Authorization back.
    let mut proxied = TestEnv::offline();
    every_source_at_once(&mut proxied);
    proxied.endpoint = Some("http://127.0.0.1:9/v1".into());
    let proxy = format!("http://{PROXY_USER}:{}@127.0.0.1:{}", PROXY_PASSWORD.replace(':', "%3A"), server.port());
    proxied.env("HTTP_PROXY", proxy);
    let forbidden = all_forbidden_encodings();
    let file = direct.path("~/report.out");
    for env in [&direct, &proxied] {
        for args in [
            vec![],
            vec!["-v"],
            vec!["--format", "json", "-v"],
            vec!["--format", "markdown", "-v"],
            vec!["--format", "junit", "-v"],
            vec!["--format", "json", "--output", file.to_str().unwrap()],
            vec!["--client-version", "1.7.4.5", "--competition", "titanic", "-v"],
            vec!["--effective-only", "-v"],
        ] {
            let out = env.cmd().args(&args).env("GITHUB_ACTIONS", "true").timeout(HANG_GUARD).output().unwrap();
            let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            for bad in &forbidden {
                assert!(!all.contains(bad.as_str()), "{args:?} leaks {bad}:\n{all}");
            }
        }
    }
    for bad in &forbidden {
        assert!(!std::fs::read_to_string(&file).unwrap().contains(bad.as_str()));
    }
    // The echo really reached the doctor, every credential and the proxy's too.
    {
        let seen = server.seen.lock().unwrap();
        assert!(seen.iter().any(|r| r.header("authorization").is_some_and(|a| a.starts_with("Basic "))));
        assert!(seen.iter().any(|r| r.header("proxy-authorization").is_some()));
    }
    let (report, _) = direct.json(&["-v"]);
    assert!(report.to_string().contains("[redacted]"), "{report}");
}

/// Characters no report may carry raw: C0/C1 controls, DEL, bidi and other format
/// controls, separators, noncharacters.
const HOSTILE: &[char] = &[
    '\u{1b}',
    '\u{7}',
    '\u{8}',
    '\u{7f}',
    '\u{85}',
    '\u{9b}',
    '\u{61c}',
    '\u{200b}',
    '\u{200f}',
    '\u{202e}',
    '\u{2066}',
    '\u{2028}',
    '\u{feff}',
    '\u{fffe}',
    '\u{ffff}',
    '\u{e0041}',
    '\u{fdd0}',
];

fn hostile_text() -> String {
    let mut text = String::from("h0stile");
    for c in HOSTILE {
        text.push(*c);
        text.push('x');
    }
    text.push_str("[31mred");
    text
}

fn assert_no_raw_hostile(what: &str, text: &str) {
    for c in HOSTILE {
        assert!(!text.contains(*c), "{what}: raw U+{:04X} in:\n{text:?}", *c as u32);
    }
    let stray = text.chars().find(|c| c.is_control() && *c != '\n');
    assert!(stray.is_none(), "{what}: raw control {stray:?}");
}

/// Parses each document with a real parser and scans it for unsafe characters.
fn assert_every_format_is_clean(env: &TestEnv, extra: &[&str]) {
    for format in ["text", "json", "markdown", "junit"] {
        let out = env.cmd().args(["--format", format, "-v"]).args(extra).timeout(HANG_GUARD).output().unwrap();
        let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_no_raw_hostile(&format!("{format} stdout"), &stdout);
        assert_no_raw_hostile(&format!("{format} stderr"), &stderr);
        match format {
            "json" => drop(serde_json::from_str::<serde_json::Value>(&stdout).expect("JSON parses")),
            "junit" => drop(roxmltree::Document::parse(&stdout).expect("JUnit is well-formed XML")),
            "markdown" => assert!(pulldown_cmark::Parser::new(&stdout).count() > 0),
            _ => {}
        }
    }
}

#[test]
fn hostile_text_from_a_server_is_escaped_in_every_format() {
    let text = serde_json::Value::String(hostile_text()).to_string();
    let server = RawServer::start(move |request, _| {
        let body = if request.line.contains("IntrospectToken") {
            format!(r#"{{"active": true, "username": {text}, "scope": {text}}}"#)
        } else if request.line.contains("Hello") {
            format!(r#"{{"userName": {text}}}"#)
        } else {
            format!(r#"{{"code": 403, "message": {text}}}"#)
        };
        let status = if body.contains("403") { "403 Forbidden" } else { "200 OK" };
        raw::answer(status, &[("X-Kaggle-RequestId", "req-1")], &body)
    });
    let mut env = TestEnv::offline();
    env.file("~/.kaggle/access_token", ALICE_TOKEN);
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    env.endpoint = Some(server.root());
    // The hostile text really reached the report (escaped).
    let (report, _) = env.json(&["-v"]);
    assert!(report.to_string().contains("h0stile"), "{report}");
    assert_every_format_is_clean(&env, &[]);
    assert_every_format_is_clean(&env, &["--client-version", "1.7.4.5"]);
}

#[test]
fn hostile_local_values_are_escaped_and_bounded_in_every_format_and_on_stderr() {
    let mut env = TestEnv::new();
    let name = hostile_text();
    // kaggle.json whose only keys are hostile or huge (900 KB) names.
    let huge = "k".repeat(900_000);
    env.file("~/.kaggle/kaggle.json", &serde_json::json!({ name.clone(): 1, huge: 2, "x": 3 }).to_string());
    env.env("KAGGLE_API_TOKEN", format!("KGAT_{name}"));
    env.env("KAGGLE_USERNAME", &name).env("KAGGLE_KEY", "k3yk3yk3yk3y");
    env.env("KAGGLE_COMPETITION", &name);
    assert_every_format_is_clean(&env, &[]);
    for format in ["text", "json", "markdown", "junit"] {
        let out = env.cmd().args(["--format", format, "-v"]).output().unwrap();
        assert!(out.stdout.len() < 200_000, "{format}: {} bytes for a 900 KB key name", out.stdout.len());
    }
    // Environment values in error messages on stderr.
    for (var, value, args) in [
        ("GITHUB_STEP_SUMMARY", format!("/nonexistent/{name}/summary"), vec!["--step-summary", "--offline"]),
        ("REQUESTS_CA_BUNDLE", format!("/nonexistent/{name}.pem"), vec![]),
        ("HTTPS_PROXY", format!("http://u{name}:pr0xyPw{name}@proxy:99999"), vec![]),
    ] {
        let out = env.cmd().env(var, &value).args(args).output().unwrap();
        let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        // A path is echoed (escaped); a proxy URL's password never is.
        assert!(all.contains("h0stile"), "{var}: {all}");
        assert!(!all.contains("pr0xyPw"), "{var}: {all}");
        assert_no_raw_hostile(var, &all);
    }
}

#[test]
fn a_hostile_demo_file_is_escaped_and_bounded() {
    let env = TestEnv::offline();
    let name = hostile_text();
    let scenario = serde_json::json!({ "name": name, "description": "d".repeat(100_000) + &name });
    let file = env.file("~/s.json", &scenario.to_string());
    for format in ["text", "json", "markdown", "junit"] {
        let out = env.cmd().arg("demo").arg(&file).args(["--format", format]).timeout(HANG_GUARD).output().unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_no_raw_hostile(format, &stdout);
        assert!(stdout.len() < 100_000, "{format}: {} bytes", stdout.len());
    }
    // An unknown field whose name is hostile: a serde error, escaped on stderr.
    let bad =
        env.file("~/bad.json", &format!(r#"{{"name": "x", "description": "y", {}: 1}}"#, serde_json::json!(name)));
    let out = env.cmd().arg("demo").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown field"), "{stderr}");
    assert_no_raw_hostile("serde error", &stderr);
}

fn mkfifo(path: &Path) {
    assert!(std::process::Command::new("mkfifo").arg(path).status().unwrap().success());
}

#[test]
fn demo_files_that_block_or_never_end_are_refused() {
    let env = TestEnv::offline();
    let fifo = env.path("~/fifo.json");
    mkfifo(&fifo);
    let dir = env.path("~/dir.json");
    std::fs::create_dir_all(&dir).unwrap();
    let huge = env.path("~/huge.json");
    std::fs::File::create(&huge).unwrap().set_len(2 << 30).unwrap();
    let zero = env.path("~/zero.json");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let proc_file = env.path("~/proc.json");
    std::os::unix::fs::symlink("/proc/self/status", &proc_file).unwrap();
    for (file, why) in [
        (&fifo, "not a regular file"),
        (&dir, "directory"),
        (&huge, "limit"),
        (&zero, "not a regular file"),
        (&proc_file, "invalid scenario"),
    ] {
        let out = env.cmd().arg("demo").arg(file).timeout(HANG_GUARD).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{file:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(why), "{file:?}: {stderr}");
    }
}

#[test]
fn a_step_summary_fifo_never_blocks_the_run() {
    let env = TestEnv::offline();
    let fifo = env.path("~/summary");
    mkfifo(&fifo);
    // Nobody reads it: skipped with a note.
    let out = env.cmd().env("GITHUB_STEP_SUMMARY", &fifo).args(["demo", "--step-summary"]).timeout(HANG_GUARD).output();
    let out = out.unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("step summary skipped"));
    // A reader that never reads (the pipe fills up): the run still ends.
    let _reader = std::fs::OpenOptions::new().read(true).custom_flags(libc_o_nonblock()).open(&fifo).unwrap();
    let out = env.cmd().env("GITHUB_STEP_SUMMARY", &fifo).args(["demo", "--step-summary"]).timeout(HANG_GUARD).output();
    assert_eq!(out.unwrap().status.code(), Some(1));
}

/// H4, more destinations that cannot take the summary: the run still ends, the report
/// still reaches stdout, and stderr names the step summary.
#[test]
fn a_step_summary_that_cannot_be_written_never_costs_the_report() {
    let env = TestEnv::offline();
    let dir = env.path("~/summary-dir");
    std::fs::create_dir_all(&dir).unwrap();
    let file = env.file("~/a-file", "x");
    for target in [dir, file.join("summary.md"), std::path::PathBuf::from("/dev/full")] {
        let mut cmd = env.cmd();
        let out = cmd.env("GITHUB_STEP_SUMMARY", &target).args(["demo", "--step-summary"]).timeout(HANG_GUARD);
        let out = out.output().unwrap();
        assert!(out.status.code().is_some(), "{target:?}: ended by a signal");
        assert!(String::from_utf8_lossy(&out.stdout).contains("Findings"), "{target:?}: the report is lost");
        assert!(String::from_utf8_lossy(&out.stderr).contains("GITHUB_STEP_SUMMARY"), "{target:?}: nothing said");
    }
}

/// O_NONBLOCK on Linux and the BSDs/macOS (the test opens the FIFO's read end without
/// waiting for a writer).
fn libc_o_nonblock() -> i32 {
    if cfg!(target_os = "linux") { 0o4000 } else { 0x4 }
}

#[test]
fn a_demo_file_cannot_reach_outside_its_sandbox() {
    let env = TestEnv::offline();
    // Stand-ins for the user's real files, outside the demo's sandbox.
    let real = env.kaggle_json("~/.kaggle/kaggle.json", "realuser", "rea1rea1rea1rea1rea1rea1rea1rea1");
    let real_dir = real.parent().unwrap().to_str().unwrap().to_string();
    let outside = env.path("~/escaped");
    let files = |path: &str| serde_json::json!({ path: "x" });
    let env_of = |name: &str, value: &str| serde_json::json!({ name: value });
    let cases: Vec<(&str, serde_json::Value, serde_json::Value)> = vec![
        ("~/.. path", files(&format!("~/../../..{}", outside.display())), serde_json::json!({})),
        ("~// absolute", files(&format!("~/{}", outside.display())), serde_json::json!({})),
        ("./.. path", files(&format!("./../../..{}", outside.display())), serde_json::json!({})),
        ("nested ..", files("~/a/../../../escaped"), serde_json::json!({})),
        ("bare ..", files("~/.."), serde_json::json!({})),
        ("no prefix", files(outside.to_str().unwrap()), serde_json::json!({})),
        ("real config dir", serde_json::json!({}), env_of("KAGGLE_CONFIG_DIR", &real_dir)),
        ("real token file", serde_json::json!({}), env_of("KAGGLE_API_TOKEN", real.to_str().unwrap())),
        ("HOME elsewhere", serde_json::json!({}), env_of("HOME", &real_dir)),
        ("config dir via ..", serde_json::json!({}), env_of("KAGGLE_CONFIG_DIR", "$HOME/../../../..")),
        ("another user's home", serde_json::json!({}), env_of("XDG_CONFIG_HOME", "~root/.config")),
        ("HTTP proxy", serde_json::json!({}), env_of("HTTP_PROXY", "http://10.1.2.3:8080")),
        ("HTTPS proxy", serde_json::json!({}), env_of("HTTPS_PROXY", "http://u:p@proxy.example:3128")),
        ("ALL_PROXY", serde_json::json!({}), env_of("ALL_PROXY", "socks5://proxy.example:1080")),
        ("API endpoint", serde_json::json!({}), env_of("KAGGLE_API_ENDPOINT", "https://api.evil.example")),
        ("CA bundle", serde_json::json!({}), env_of("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")),
        ("CURL CA bundle", serde_json::json!({}), env_of("CURL_CA_BUNDLE", "/etc/ssl/cert.pem")),
    ];
    for (what, files, vars) in cases {
        let scenario = serde_json::json!({"name": "x", "description": "x", "local": {"files": files, "env": vars}});
        let file = env.file("~/scenario.json", &scenario.to_string());
        let out = env.cmd().arg("demo").arg(&file).args(["--format", "json"]).timeout(HANG_GUARD).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {stderr}");
        assert!(
            stderr.contains("refused") || stderr.contains("sandbox") || stderr.contains("~/ or ./"),
            "{what}: {stderr}"
        );
        assert!(!outside.exists(), "{what}: wrote outside the sandbox");
        assert!(!String::from_utf8_lossy(&out.stdout).contains("realuser"), "{what}");
    }
    // Loopback URLs and paths inside the sandbox stay allowed.
    let fine = serde_json::json!({"name": "x", "description": "x", "local": {
        "env": {"KAGGLE_DATA_PROXY_URL": "http://127.0.0.1:9", "KAGGLE_CONFIG_DIR": "$HOME/cfg", "NO_PROXY": "*"},
        "files": {"~/cfg/kaggle.json": {"json": {"username": "u", "key": "k"}, "mode": "6755"}}}});
    let file = env.file("~/scenario.json", &fine.to_string());
    let out = env.cmd().arg("demo").arg(&file).args(["--format", "json"]).timeout(HANG_GUARD).output().unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&out.stderr));
}

/// M3: successes that confirm no identity, to every caller alike (outages and odd
/// answers are the classes below, played by the test server's faults).
fn identity_less(kind: &str, request: &RawRequest) -> Vec<u8> {
    let introspect = request.line.contains("IntrospectToken");
    match kind {
        "empty object 200" => raw::answer("200 OK", &[], "{}"),
        "null 200" => raw::answer("200 OK", &[], "null"),
        "204" => raw::answer("204 No Content", &[], ""),
        "empty userName" if introspect => raw::answer("200 OK", &[], r#"{"username": ""}"#),
        "empty userName" => raw::answer("200 OK", &[], r#"{"userName": ""}"#),
        "identity of a number" if introspect => raw::answer("200 OK", &[], r#"{"active": "yes", "username": 7}"#),
        "identity of a number" => raw::answer("200 OK", &[], r#"{"userName": 7}"#),
        "array 200" => raw::answer("200 OK", &[], r#"[{"userName": "alice"}]"#),
        other => panic!("unknown kind {other}"),
    }
}

#[test]
fn successes_that_confirm_no_identity_never_pass() {
    for kind in ["empty object 200", "null 200", "204", "empty userName", "identity of a number", "array 200"] {
        let server = RawServer::start(move |request, _| identity_less(kind, request));
        // A key pair (no introspection: whether a client survives a failed
        // IntrospectToken is the verdict's business, not the probe's), then a token too.
        let mut env = TestEnv::offline();
        env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
        env.endpoint = Some(server.root());
        let (report, code) = env.json(&["--timeout", "20"]);
        assert_eq!(code, 3, "{kind}: inconclusive, not a pass nor a credential failure: {}", report["verdict"]);
        let text = report["findings"].to_string().to_lowercase();
        assert!(!text.contains("new api token") && !text.contains("create a new"), "{kind}: {text}");
        env.file("~/.kaggle/access_token", ALICE_TOKEN);
        let (report, code) = env.json(&["--timeout", "20"]);
        assert_eq!(code, 3, "{kind} with a token: {}", report["verdict"]);
        for (source, endpoint) in
            [("file:access_token", "whoami"), ("file:access_token", "introspect"), ("file:kaggle.json", "whoami")]
        {
            let got = outcome(&report, source, endpoint);
            assert_eq!(got, "server_error", "{kind}: {source} {endpoint}");
        }
        let out = env.cmd().args(["--timeout", "20"]).timeout(HANG_GUARD).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let matrix = text.split("\nMatrix\n").nth(1).and_then(|m| m.split("\n\n").next()).expect("a matrix");
        assert!(!matrix.contains(" 200"), "{kind}: the matrix shows 200 for an answer that is not one:\n{matrix}");
    }
}

#[test]
fn a_broken_ca_bundle_or_proxy_url_is_a_diagnosis_not_a_crash() {
    let mut env = TestEnv::new();
    let https = format!("https://127.0.0.1:{}/v1", env.fake.as_ref().unwrap().port());
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    let fifo = env.path("~/ca-fifo.pem");
    mkfifo(&fifo);
    let dir = env.path("~/ca-dir");
    std::fs::create_dir_all(&dir).unwrap();
    let bad = env.file("~/bad.pem", "this is not PEM\n");
    let half = env.file("~/half.pem", "-----BEGIN CERTIFICATE-----\nnot base64 at all\n");
    for (var, value) in [
        ("REQUESTS_CA_BUNDLE", env.path("~/missing.pem").display().to_string()),
        ("REQUESTS_CA_BUNDLE", dir.display().to_string()),
        ("REQUESTS_CA_BUNDLE", fifo.display().to_string()),
        ("CURL_CA_BUNDLE", "/dev/null".to_string()),
        ("REQUESTS_CA_BUNDLE", "/dev/zero".to_string()),
        ("CURL_CA_BUNDLE", bad.display().to_string()),
        ("REQUESTS_CA_BUNDLE", half.display().to_string()),
        ("HTTPS_PROXY", "http://proxy:99999".to_string()),
        ("HTTP_PROXY", "http://[not-an-ip".to_string()),
        ("HTTP_PROXY", "::::".to_string()),
    ] {
        // A CA file is only opened for https (the clients never load it for plain http): an
        // https root on the fake, where the handshake would fail anyway if the bundle did
        // not stop every request first.
        env.endpoint = var.ends_with("CA_BUNDLE").then(|| https.clone());
        for args in [vec![], vec!["--offline"]] {
            let out = env.cmd().env(var, &value).args(["--format", "json"]).args(&args).timeout(HANG_GUARD).output();
            let out = out.unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            let report: serde_json::Value = serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|e| panic!("{var}={value} {args:?}: no report ({e}); stderr {stderr}"));
            validate(&report);
            let code = out.status.code().unwrap();
            if args.is_empty() && !(var == "HTTP_PROXY" && value == "::::") {
                assert_eq!(code, 3, "{var}={value}: inconclusive, {}", report["verdict"]);
                assert_eq!(outcome(&report, "file:kaggle.json", "whoami"), "network", "{var}={value}");
                let cell = report["matrix"].as_array().unwrap().iter().find(|c| c["endpoint"] == "whoami").unwrap();
                assert!(cell["message"].as_str().unwrap().starts_with("not sent:"), "{var}={value}: {cell}");
            } else {
                assert!(matches!(code, 0 | 1 | 3), "{var}={value} {args:?}: exit {code}, {stderr}");
            }
        }
    }
}

/// What the machine holds when the server misbehaves: the classes differ in what the
/// client asks first (a token is introspected before anything else, OAuth may refresh).
const CREDENTIAL_SETUPS: [&str; 4] = ["key pair", "env token", "token file", "oauth"];

fn lay_out_credentials(env: &mut TestEnv, setup: &str) {
    match setup {
        "key pair" => drop(env.kaggle_json("~/.kaggle/kaggle.json", "alice", S_JSON_KEY)),
        "env token" => {
            env.kaggle_json("~/.kaggle/kaggle.json", "alice", S_JSON_KEY);
            env.env("KAGGLE_API_TOKEN", S_ENV_TOKEN);
        }
        "token file" => drop(env.file("~/.kaggle/access_token", S_FILE_TOKEN)),
        "oauth" => drop(env.file(
            "~/.kaggle/credentials.json",
            &format!(r#"{{"refresh_token":"{S_REFRESH}","access_token":"{S_OAUTH_TOKEN}","access_token_expiration":"2099-01-01T00:00:00+00:00"}}"#),
        )),
        other => panic!("unknown setup {other}"),
    }
}

/// Runs the doctor against a server playing `fault` (`refused`: nothing listens) with
/// `setup`'s credentials, in JSON and in text; returns what is wrong with the outcome.
fn misjudged(fault: &str, setup: &str) -> Vec<String> {
    let world = if fault == "refused" { echo_world("") } else { echo_world(&format!(r#", "fault": "{fault}""#)) };
    let mut env = TestEnv::with_world(&world);
    if fault == "refused" {
        env.endpoint = Some(refused_endpoint());
    }
    lay_out_credentials(&mut env, setup);
    let what = format!("{fault} / {setup}");
    let args = ["--timeout", "3", "--probe-timeout", "1"];
    let out = env.cmd().args(["--format", "json"]).args(args).timeout(HANG_GUARD).output().unwrap();
    let mut wrong = Vec::new();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let Ok(report) = serde_json::from_slice::<serde_json::Value>(&out.stdout) else {
        return vec![format!("{what}: no JSON report; stderr {stderr}")];
    };
    validate(&report);
    if out.status.code() != Some(3) || report["verdict"]["status"] != "inconclusive" {
        wrong.push(format!("{what}: exit {:?}, verdict {}", out.status.code(), report["verdict"]));
    }
    for f in report["findings"].as_array().unwrap() {
        let text = f.to_string().to_lowercase();
        let fix = f["fix"].to_string();
        if text.contains("new api token") || text.contains("create a new") || fix.contains("unset ") {
            wrong.push(format!("{what}: blames a credential: {f}"));
        }
    }
    for cell in report["matrix"].as_array().unwrap().iter().filter(|c| c["source"] != "anonymous") {
        let outcome = cell["outcome"].as_str().unwrap();
        if !["rate_limited", "server_error", "network", "timeout", "not_probed", "skipped"].contains(&outcome) {
            wrong.push(format!("{what}: {} × {} is {outcome}", cell["source"], cell["endpoint"]));
        }
    }
    let text = env.cmd().args(args).timeout(HANG_GUARD).output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    let matrix = text.split("\nMatrix\n").nth(1).and_then(|m| m.split("\n\n").next()).unwrap_or("");
    if matrix.is_empty() || matrix.contains(" 200") {
        wrong.push(format!("{what}: the matrix shows 200 (or nothing) for an answer that is not one:\n{matrix}"));
    }
    wrong
}

/// Every (fault, setup) pair on four threads; fails with every misjudged pair at once.
fn assert_all_inconclusive(faults: &[&str]) {
    let jobs: Vec<(&str, &str)> = faults.iter().flat_map(|f| CREDENTIAL_SETUPS.iter().map(move |s| (*f, *s))).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let wrong = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                while let Some((fault, setup)) = jobs.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
                    let found = misjudged(fault, setup);
                    wrong.lock().unwrap().extend(found);
                }
            });
        }
    });
    let wrong = wrong.into_inner().unwrap();
    assert!(wrong.is_empty(), "{} of {} runs misjudged:\n{}", wrong.len(), jobs.len(), wrong.join("\n"));
}

/// M1: an outage — no answer, a broken answer, a 5xx, a 429, a success that is not one —
/// says nothing about the credential, whatever the credential: inconclusive (exit 3), no
/// fix that replaces or unsets a credential, and no 200 in the matrix.
#[test]
fn outages_are_inconclusive_for_every_kind_of_credential() {
    assert_all_inconclusive(&[
        "hang",
        "drip",
        "reset",
        "refused",
        "empty-reply",
        "truncated-body",
        "status500",
        "html502",
        "maintenance503",
        "retry-after-seconds",
        "retry-after-date",
        "invalid-json",
        "huge-body",
        "garbled-ok",
        "continue-flood",
        "many-headers",
        "not-http",
    ]);
}

/// M4: answers that are HTTP but not Kaggle's word on the credential — redirects anywhere,
/// a proxy's 407, statuses outside HTTP — are inconclusive too, for every credential.
#[test]
fn odd_answers_are_inconclusive_for_every_kind_of_credential() {
    assert_all_inconclusive(&[
        "redirect-other-host",
        "redirect-to-itself",
        "redirect-to-file",
        "redirect-other-port",
        "proxy-auth-required",
        "status999",
        "status600",
    ]);
}

/// M9: the server's `Date` header, however absurd, gives the right direction of clock
/// skew through the whole binary, or nothing when it is not a date — never a panic or an
/// overflowed answer.
#[test]
fn absurd_server_dates_give_the_right_skew_or_none() {
    for (date, expected) in [
        ("Fri, 31 Dec 9999 23:59:59 GMT", Some("behind")),
        // Before 1970 an HTTP date is not read at all: no finding rather than a wrong one.
        ("Mon, 01 Jan 0001 00:00:00 GMT", None),
        ("Wed, 31 Dec 1969 23:59:59 GMT", None),
        ("Thu, 01 Jan 1970 00:00:00 GMT", Some("ahead of")),
        ("Sunday, 06-Nov-94 08:49:37 GMT", Some("ahead of")),
        ("Sun Nov  6 08:49:37 1994", Some("ahead of")),
        ("Mon, 31 Dec 2198 23:59:59 GMT", Some("behind")),
        ("Wed, 31 Dec 2198 23:59:59 GMT", None), // the wrong weekday: not a valid HTTP date
        ("Fri, 31 Dec 99999 23:59:59 GMT", None),
        ("Thu, 01 Jan 1970 00:00:00 +9999", None),
        ("-1", None),
        ("18446744073709551616", None),
        ("", None),
    ] {
        let server = RawServer::start(move |request, _| {
            let body = if request.line.contains("IntrospectToken") {
                r#"{"active": true, "username": "alice"}"#
            } else {
                r#"{"userName": "alice"}"#
            };
            raw::answer("200 OK", &[("Date", date)], body)
        });
        let mut env = TestEnv::offline();
        env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
        env.endpoint = Some(server.root());
        let (report, _) = env.json(&[]);
        let skew = report["findings"].as_array().unwrap().iter().find(|f| f["code"] == "clock-skew").cloned();
        let way = skew.as_ref().and_then(|f| {
            let title = f["title"].as_str().unwrap();
            ["behind", "ahead of"].into_iter().find(|w| title.contains(&format!("minutes {w} Kaggle")))
        });
        assert_eq!(way, expected, "Date: {date:?}: {skew:?}");
    }
}
