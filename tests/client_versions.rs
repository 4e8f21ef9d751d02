//! Client versions and the cases where the client does something before sending: OAuth
//! refresh, kaggle 1.8.0's environment deletion, 1.5/1.6's own proxy, introspection shaped
//! like the client's, kagglehub's version ranges (docs/client-behaviour.md).

use crate::support::*;

const REFRESH: &str = "r3fr3sh0000";

fn credentials_json(env: &TestEnv, refresh: &str, access: &str, expiration: &str) -> std::path::PathBuf {
    env.file(
        "~/.kaggle/credentials.json",
        &format!(
            r#"{{"refresh_token": "{refresh}", "access_token": "{access}", "access_token_expiration": "{expiration}", "username": "bob"}}"#
        ),
    )
}

#[test]
fn a_stale_oauth_token_is_refreshed_first_so_the_stored_one_cannot_pass() {
    let env = TestEnv::new();
    // The stored token works, but the client never sends it: it is stale by its own rule.
    credentials_json(&env, REFRESH, BOB_TOKEN, &iso_in(-2 * 3600));
    let (report, code) = env.json(&["--client-version", "2.2.5"]);
    assert_eq!(outcome(&report, "file:credentials.json", "whoami"), "ok", "the stored token itself works");
    assert_eq!(report["effective"]["oauth_refresh"], "unproven");
    assert_eq!(report["verdict"]["status"], "inconclusive", "{}", report["verdict"]);
    assert_eq!(code, 3);
    let row = source(&report, "file:credentials.json").unwrap();
    assert!(row["client_note"].as_str().unwrap().contains("refreshes it first"), "{row}");
    let hits = env.fake.as_ref().unwrap().hits();
    assert!(hits.iter().all(|h| !h.target.contains("GenerateAccessToken")), "no refresh unless asked");
}

#[test]
fn oauth_refresh_probes_the_minted_token_and_writes_nothing() {
    let env = TestEnv::new();
    let path = credentials_json(&env, REFRESH, REVOKED_TOKEN, &iso_in(-2 * 3600));
    let before = std::fs::read(&path).unwrap();
    let (report, code) = env.json(&["--client-version", "2.2.5", "--oauth-refresh"]);
    let minted = kaggle_auth_doctor::secret::Secret::new(MINTED_TOKEN).fingerprint().to_string();
    assert_eq!(report["effective"]["fingerprint"], minted.as_str());
    assert_eq!(report["effective"]["oauth_refresh"], "minted");
    assert_eq!(outcome(&report, "file:credentials.json", "whoami"), "ok");
    assert_eq!(code, 0, "{}", report["verdict"]);
    assert_eq!(std::fs::read(&path).unwrap(), before, "credentials.json is never rewritten");
    let hits = env.fake.as_ref().unwrap().hits();
    let refresh = hits.iter().filter(|h| h.target.ends_with("users.AccountService/GenerateAccessToken")).count();
    assert_eq!(refresh, 1);
    let out = env.cmd().args(["--client-version", "2.2.5", "--oauth-refresh", "--format", "json"]).output().unwrap();
    let all = [out.stdout, out.stderr].concat();
    for secret in [REFRESH, MINTED_TOKEN] {
        assert!(!String::from_utf8_lossy(&all).contains(secret), "{secret} leaked");
    }
}

#[test]
fn a_refused_refresh_deletes_the_file_and_nothing_is_sent() {
    let env = TestEnv::new();
    credentials_json(&env, "r3fr3sh0unknown", BOB_TOKEN, &iso_in(-2 * 3600));
    let (report, code) = env.json(&["--client-version", "2.2.5", "--oauth-refresh"]);
    assert_eq!(report["effective"]["client_stops"], true);
    let reasons = report["effective"]["reasons"].to_string();
    assert!(reasons.contains("deletes ~/.kaggle/credentials.json"), "{reasons}");
    assert_eq!(code, 1);
    // 1.8-2.1 with the flag move on to the next method instead.
    let mut env = env;
    env.env("KAGGLE_ENABLE_OAUTH", "1");
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    let (report, _) = env.json(&["--client-version", "2.0.2", "--oauth-refresh"]);
    assert_eq!(report["effective"]["source"], "file:kaggle.json");
}

#[test]
fn oauth_timestamps_crash_or_refresh_as_the_client_does() {
    let cases = [
        ("2099-01-01", true),                 // date-only is naive: TypeError
        ("2099-01-01T00:00:00", true),        // naive
        ("next tuesday", true),               // fromisoformat raises
        ("2099-01-01T00:00:00+0100", false),  // +HHMM is aware: fresh
        ("2099-01-01T00:00:00+00:00", false), // fresh
    ];
    for (expiration, crashes) in cases {
        let env = TestEnv::new();
        credentials_json(&env, REFRESH, BOB_TOKEN, expiration);
        let (report, code) = env.json(&["--client-version", "2.2.5"]);
        assert_eq!(report["effective"]["client_stops"], crashes, "{expiration}: {}", report["effective"]);
        assert_ne!(report["verdict"]["status"], if crashes { "pass" } else { "fail" }, "{expiration}");
        assert_eq!(code == 0, !crashes, "{expiration}");
    }
}

#[test]
fn kaggle_1_8_0_crashes_only_when_kaggle_api_token_is_absent() {
    let mut env = TestEnv::new();
    env.file("~/.kaggle/access_token", ALICE_TOKEN);
    let (report, _) = env.json(&["--client-version", "1.8.0"]);
    assert_eq!(report["effective"]["client_stops"], true, "absent: KeyError");
    env.env("KAGGLE_API_TOKEN", "");
    let (report, code) = env.json(&["--client-version", "1.8.0"]);
    assert_eq!(report["effective"]["client_stops"], false, "set but empty: deleted silently");
    assert_eq!(report["effective"]["source"], "file:access_token");
    assert_eq!(code, 0);
    let codes = finding_codes(&report);
    let crash = report["findings"].as_array().unwrap().iter().find(|f| f["code"] == "token-env-deletion-crash");
    assert!(crash.is_none_or(|f| f["severity"] != "error"), "{codes:?}");
}

#[test]
fn kaggle_1_6_sends_through_the_proxy_of_kaggle_json_and_hides_its_password() {
    let env = TestEnv::new();
    let dead = "http://joe:pr0xy0pa55w0rd@127.0.0.1:9";
    env.file("~/.kaggle/kaggle.json", &format!(r#"{{"username": "alice", "key": "{ALICE_KEY}", "proxy": "{dead}"}}"#));
    let (report, code) = env.json(&["--client-version", "1.6.17"]);
    assert_eq!(report["effective"]["client_stops"], true, "{}", report["effective"]);
    assert_eq!(report["effective"]["proxy"], "http://joe:***@127.0.0.1:9");
    assert_eq!(code, 3, "a proxy that carries nothing says nothing about the credential");
    assert!(fix_lines(&report).iter().all(|l| !l.starts_with("export KAGGLE_API_TOKEN")), "{:?}", fix_lines(&report));
    // 1.7+ ignore the field: the pair goes to Kaggle directly.
    let (report, code) = env.json(&["--client-version", "1.7.4.5"]);
    assert_eq!(report["effective"]["client_stops"], false);
    assert!(report["effective"].get("proxy").is_none());
    assert_eq!(code, 0);
    for format in ["json", "text", "markdown", "junit"] {
        let out = env.cmd().args(["--client-version", "1.6.17", "--format", format]).output().unwrap();
        let all = String::from_utf8_lossy(&[out.stdout, out.stderr].concat()).into_owned();
        assert!(!all.contains("pr0xy0pa55w0rd"), "{format}: the proxy password leaked");
    }
}

#[test]
fn kaggle_1_5_never_reads_kaggle_json_from_the_xdg_dir() {
    let env = TestEnv::new();
    env.kaggle_json("~/.config/kaggle/kaggle.json", "alice", ALICE_KEY);
    let (report, _) = env.json(&["--client-version", "1.5.16"]);
    assert_eq!(report["client"]["model"], "1.5.x");
    assert_eq!(report["effective"]["client_stops"], true);
    let (report, code) = env.json(&["--client-version", "1.6.17"]);
    assert_eq!(report["effective"]["source"], "file:kaggle.json");
    assert_eq!(code, 0);
}

#[test]
fn a_version_outside_every_modelled_range_is_said_so() {
    let env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    for (version, model) in [("2.3.1", "2.1.2-2.2.x"), ("1.5.4", "1.5.x")] {
        let (report, _) = env.json(&["--client-version", version]);
        assert_eq!(report["client"]["in_modelled_range"], false, "{version}");
        assert_eq!(report["client"]["model"], model, "{version}: the nearest model");
        let out = env.cmd().args(["--client-version", version]).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(text.contains("is outside the versions checked"), "{text}");
    }
    let (report, _) = env.json(&["--client-version", "2.2.5"]);
    assert_eq!(report["client"]["in_modelled_range"], true);
}

#[test]
fn introspection_is_predicted_from_a_request_shaped_like_the_clients() {
    // A server that demands valid auth on IntrospectToken: the revoked token's own
    // request gets 401, the request 2.2.x sends (KAGGLE_TOKEN in the header) an answer.
    let world = WORLD.replace("\"competitions\": [", "\"introspect_requires_auth\": true, \"competitions\": [");
    let mut env = TestEnv::with_world(&world);
    env.env("KAGGLE_API_TOKEN", REVOKED_TOKEN);
    env.env("KAGGLE_TOKEN", BOB_TOKEN);
    env.env("KAGGLE_USERNAME", "bob").env("KAGGLE_KEY", BOB_KEY);
    let (report, _) = env.json(&["--client-version", "2.2.5"]);
    assert_eq!(outcome(&report, "env:KAGGLE_API_TOKEN", "introspect"), "unauthorized", "the matrix cell");
    assert_eq!(report["effective"]["client_stops"], false, "{}", report["effective"]);
    assert_eq!(report["effective"]["source"], "env:KAGGLE_TOKEN");
    let (report, _) = env.json(&["--client-version", "2.0.2"]);
    assert_eq!(
        report["effective"]["client_stops"], true,
        "2.0.x asks with the revoked token itself: introspection-crash"
    );
}

#[test]
fn legacy_clients_are_probed_with_their_legacy_rest_requests() {
    let env = TestEnv::new();
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    let (report, code) = env.json(&["--client-version", "1.6.17", "--competition", "santa-2025"]);
    assert_eq!(code, 0, "{}", report["verdict"]);
    let form = |endpoint: &str| {
        let cells = report["matrix"].as_array().unwrap();
        let cell = cells.iter().find(|c| c["source"] == "file:kaggle.json" && c["endpoint"] == endpoint).unwrap();
        (cell["form"].as_str().unwrap().to_string(), cell["outcome"].as_str().unwrap().to_string())
    };
    assert_eq!(form("competitions.list"), ("legacy".into(), "ok".into()));
    assert_eq!(form("competitions.submissions"), ("legacy".into(), "ok".into()));
    assert_eq!(form("whoami").0, "rpc", "1.6 has no whoami: the RPC one is kept");
    let targets: Vec<String> = env.fake.as_ref().unwrap().hits().into_iter().map(|h| h.target).collect();
    assert!(targets.iter().any(|t| t.ends_with("/competitions/submissions/list/santa-2025")), "{targets:?}");
    let (report, _) = env.json(&["--client-version", "2.2.5"]);
    let cells = report["matrix"].as_array().unwrap();
    assert!(cells.iter().all(|c| c["form"] == "rpc"), "kagglesdk clients speak RPC only");
}

#[test]
fn legacy_clients_probe_named_resources_with_their_own_requests() {
    let resources = r#""datasets": [{ "ref": "alice/some-dataset", "versions": 2 }],
    "kernels": [{ "ref": "alice/my-notebook", "private": true }],
    "models": [{ "ref": "keras/gemma/pyTorch/v1", "versions": 3, "gated": true, "consented_by": ["alice"] }],
    "competitions": ["#;
    let world = WORLD.replace("\"competitions\": [", resources);
    let flags =
        ["--dataset", "alice/some-dataset", "--kernel", "alice/my-notebook", "--model", "keras/gemma/pyTorch/v1"];
    // (version, the spelling of its kernel pull, of its model framework, of its dataset download)
    for (version, pull, framework, download) in [
        ("1.6.17", "pull?userName=alice&kernelSlug=my-notebook", "pyTorch", "some-dataset?datasetVersionNumber=None"),
        ("1.7.4.5", "pull?username=alice&kernelslug=my-notebook", "py_torch", "some-dataset?raw=false"),
    ] {
        let mut env = TestEnv::with_world(&world);
        env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
        env.env("KAGGLE_USERNAME", "bob").env("KAGGLE_KEY", BOB_KEY);
        let (report, _) =
            env.json(&[&["--client-version", version, "--competition", "santa-2025"], &flags[..]].concat());
        let cell = |source: &str, endpoint: &str| {
            let cells = report["matrix"].as_array().unwrap();
            let cell = cells.iter().find(|c| c["source"] == source && c["endpoint"] == endpoint).unwrap();
            assert_eq!(cell["form"], "legacy", "{version} {source} {endpoint}");
            cell["outcome"].as_str().unwrap().to_string()
        };
        let (alice, bob) = ("file:kaggle.json", "env:KAGGLE_USERNAME+KAGGLE_KEY");
        for endpoint in ["datasets.get", "datasets.download", "kernels.get", "models.get", "models.download"] {
            assert_eq!(cell(alice, endpoint), "ok", "{version} {endpoint}");
        }
        assert_eq!(cell(alice, "competitions.download"), "ok", "{version}: alice accepted the rules");
        assert_eq!(cell(bob, "competitions.download"), "forbidden", "{version}: bob did not");
        assert_eq!(cell(bob, "kernels.get"), "forbidden", "{version}: a private kernel is a 403");
        assert_eq!(cell(bob, "models.get"), "ok", "{version}: a gated model reads fine");
        assert_eq!(cell(bob, "models.download"), "forbidden", "{version}: and refuses the download");
        let targets: Vec<String> = env.fake.as_ref().unwrap().hits().into_iter().map(|h| h.target).collect();
        let expected = [
            "/competitions/data/download-all/santa-2025".to_string(),
            "/datasets/metadata/alice/some-dataset".to_string(),
            format!("/datasets/download/alice/{download}"),
            format!("/kernels/{pull}"),
            format!("/models/keras/gemma/{framework}/v1/get"),
            // No version named: the latest, read first with the same request form.
            format!("/models/keras/gemma/{framework}/v1/3/download"),
        ];
        for path in expected {
            assert!(targets.iter().any(|t| t.ends_with(&path)), "{version}: {path} not in {targets:?}");
        }
    }
}

#[test]
fn a_minted_token_echoed_by_the_server_never_reaches_the_output() {
    let world = WORLD.replacen(r#""server": {"#, r#""server": { "fault": "echo-auth","#, 1);
    let env = TestEnv::with_world(&world);
    credentials_json(&env, REFRESH, REVOKED_TOKEN, &iso_in(-2 * 3600));
    for format in ["text", "json", "markdown", "junit"] {
        let out = env
            .cmd()
            .args(["--client-version", "2.2.5", "--oauth-refresh", "-v", "--format", format])
            .output()
            .unwrap();
        let all = String::from_utf8_lossy(&[out.stdout, out.stderr].concat()).into_owned();
        for secret in [REFRESH, MINTED_TOKEN, REVOKED_TOKEN] {
            assert!(!all.contains(secret), "{format}: {secret} leaked");
        }
    }
}

/// kagglehub 0.3 alone (no kaggle CLI): the matrix is sent the way it sends — its own
/// legacy REST requests (whoami as `GET …/hello`) where it makes one, RPC for the
/// endpoints it never calls (docs/client-behaviour.md, "Legacy REST requests").
#[test]
fn kagglehub_0_3_alone_is_probed_with_its_own_requests() {
    let mut env = TestEnv::new();
    kagglehub_venv(&mut env, "0.3.13");
    env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
    let (report, code) = env.json(&[]);
    assert_eq!(code, 0, "{}", report["verdict"]);
    let (report, _) = env.json(&["--kernel", "alice/my-notebook"]);
    let clients: Vec<&str> =
        report["clients"].as_array().unwrap().iter().map(|c| c["client"].as_str().unwrap()).collect();
    assert_eq!(clients, ["kagglehub"], "only kagglehub is installed");
    assert_eq!(report["clients"][0]["model"], "0.3.x");
    let form = |endpoint: &str| {
        let cell = report["matrix"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["source"] == "file:kaggle.json" && c["endpoint"] == endpoint);
        cell.map(|c| c["form"].as_str().unwrap().to_string()).unwrap_or_default()
    };
    assert_eq!(form("whoami"), "legacy");
    assert_eq!(form("kernels.get"), "legacy");
    assert_eq!(form("competitions.download"), "legacy");
    assert_eq!(form("competitions.list"), "rpc", "kagglehub never lists competitions");
    assert_eq!(outcome(&report, "file:kaggle.json", "whoami"), "ok");
    let hits = env.fake.as_ref().unwrap().hits();
    let sent = |suffix: &str| hits.iter().any(|h| h.target.ends_with(suffix) && h.user.as_deref() == Some("alice"));
    assert!(sent("/hello"), "whoami as kagglehub 0.3 asks it");
    assert!(sent("/kernels/pull?user_name=alice&kernel_slug=my-notebook"));
    // --effective-only probes kagglehub's row, the way it sends.
    let (report, code) = env.json(&["--effective-only"]);
    assert_eq!(code, 0, "{}", report["verdict"]);
    let probed: Vec<&serde_json::Value> =
        report["matrix"].as_array().unwrap().iter().filter(|c| c["elapsed_ms"].is_u64()).collect();
    assert!(probed.iter().all(|c| c["source"] == "file:kaggle.json"), "only the row kagglehub sends: {probed:?}");
    let whoami = probed.iter().find(|c| c["endpoint"] == "whoami").expect("whoami probed");
    assert_eq!((whoami["outcome"].as_str(), whoami["form"].as_str()), (Some("ok"), Some("legacy")));
    // With the kaggle CLI covered too, the matrix is the CLI's again.
    let (report, _) = env.json(&["--client", "both", "--client-version", "2.2.5"]);
    assert_eq!(outcome(&report, "file:kaggle.json", "whoami"), "ok");
    assert!(report["matrix"].as_array().unwrap().iter().all(|c| c["form"] == "rpc"));
}

/// A proxy password in `KAGGLE_PROXY` (which kaggle 1.5/1.6 send through) never shows, in
/// whatever form the URL is written: without a scheme, with `/` or `@` in the password, or
/// a token as the user part.
#[test]
fn a_kaggle_proxy_password_never_shows() {
    for proxy in [
        "pr0xyUser:Passw0rdS3cret@127.0.0.1:9",
        "http://pr0xyUser:pa/ssw0rdS3cret@127.0.0.1:9",
        "http://pr0xyUser:p@ssw0rdS3cret@127.0.0.1:9",
        "http://Passw0rdS3cretT0ken@127.0.0.1:9",
    ] {
        let mut env = TestEnv::new();
        env.env("KAGGLE_USERNAME", "alice").env("KAGGLE_KEY", ALICE_KEY).env("KAGGLE_PROXY", proxy);
        for format in ["text", "json", "markdown", "junit"] {
            let out = env.cmd().args(["--client-version", "1.6.17", "-v", "--format", format]).output().unwrap();
            let all = String::from_utf8_lossy(&[out.stdout, out.stderr].concat()).into_owned();
            for secret in ["Passw0rdS3cret", "ssw0rdS3cret", "S3cretT0ken"] {
                assert!(!all.contains(secret), "{proxy} {format}: the proxy password leaked:\n{all}");
            }
        }
    }
}

/// A venv in the sandbox, first on PATH, with only kagglehub `version` installed (its
/// interpreter is never run: the version is read from the metadata).
fn kagglehub_venv(env: &mut TestEnv, version: &str) {
    env.file("~/venv/pyvenv.cfg", "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.7\n");
    let python = env.file("~/venv/bin/python3", "#!/bin/sh\nexit 1\n");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&python, std::fs::Permissions::from_mode(0o755)).unwrap();
    env.file(
        &format!("~/venv/lib/python3.11/site-packages/kagglehub-{version}.dist-info/METADATA"),
        &format!("Metadata-Version: 2.1\nName: kagglehub\nVersion: {version}\n\n"),
    );
    let bin = env.path("~/venv/bin");
    env.env("PATH", format!("{}:/usr/bin:/bin", bin.display()));
}

/// kagglehub 0.3 uses `KAGGLE_API_ENDPOINT` whenever it is set: empty, without a scheme or
/// with another scheme than http(s), every call raises before any request; 0.4+ ignore it.
#[test]
fn kagglehub_0_3_cannot_send_to_an_endpoint_that_is_not_an_http_url() {
    for endpoint in ["", "file:///etc/passwd", "localhost:9"] {
        for (version, stops) in [("0.3.13", true), ("0.4.3", false)] {
            let mut env = TestEnv::new();
            kagglehub_venv(&mut env, version);
            env.kaggle_json("~/.kaggle/kaggle.json", "alice", ALICE_KEY);
            env.env("KAGGLE_API_ENDPOINT", endpoint);
            let (report, _) = env.json(&["--offline"]);
            let hub = &report["clients"][0];
            assert_eq!((hub["client"].as_str(), hub["version"].as_str()), (Some("kagglehub"), Some(version)));
            assert_eq!(hub["effective"]["client_stops"], stops, "{version} {endpoint:?}: {}", hub["effective"]);
            let ops = hub["operations"].as_array().unwrap();
            assert_eq!(ops.iter().all(|o| o["sends"] == "no-request"), stops, "{version} {endpoint:?}: {ops:?}");
        }
    }
}

/// kaggle.json `key` values that are not strings, with the text the clients send for each
/// (Python's `str()`) and whether Python counts it as true (docs/client-behaviour.md,
/// "kaggle.json values that are not strings").
const NOT_TEXT_KEYS: [(&str, &str, bool); 12] = [
    ("2.50", "2.5", true),
    ("1E16", "1e+16", true),
    ("0.00001", "1e-05", true),
    ("1e999", "inf", true),
    ("true", "True", true),
    ("false", "False", false),
    ("null", "None", false),
    ("0", "0", false),
    ("-0.0", "-0.0", false),
    ("[]", "[]", false),
    (r#"[1, "it's", null, {"a": 1.0}]"#, r#"[1, "it's", None, {'a': 1.0}]"#, true),
    ("98765432109876543210987654321", "98765432109876543210987654321", true),
];

fn fingerprint_of(user: &str, key: &str) -> String {
    kaggle_auth_doctor::secret::Secret::new(key).fingerprint_as_key_of(user).to_string()
}

fn hub_sends(report: &serde_json::Value, operation: &str) -> serde_json::Value {
    let hub = report["clients"].as_array().unwrap().iter().find(|c| c["client"] == "kagglehub").unwrap();
    hub["operations"].as_array().unwrap().iter().find(|o| o["operation"] == operation).unwrap()["fingerprint"].clone()
}

#[test]
fn a_key_of_another_json_type_is_sent_as_pythons_text_of_it_except_by_1_5_and_1_6() {
    for (json, text, _) in NOT_TEXT_KEYS {
        let env = TestEnv::new();
        env.file("~/.kaggle/kaggle.json", &format!(r#"{{"username": "alice", "key": {json}}}"#));
        let wire = fingerprint_of("alice", text);
        for version in ["1.7.4.5", "1.8.0", "2.0.2", "2.2.5"] {
            let (report, _) = env.json(&["--client-version", version]);
            assert_eq!(report["effective"]["fingerprint"], wire.as_str(), "{version} {json}: {}", report["effective"]);
        }
        let (report, _) = env.json(&["--client", "kagglehub"]);
        assert_eq!(hub_sends(&report, "whoami"), wire.as_str(), "kagglehub {json}");
        let row = source(&report, "file:kaggle.json").unwrap();
        assert_eq!(row["state"], "usable", "{json}: {row}");
        assert_eq!(row["fingerprint"], wire.as_str(), "{json}: the row probes what is sent");
        assert!(row["client_note"].as_str().unwrap().contains("not a string"), "{json}: {row}");
        for version in ["1.5.16", "1.6.17"] {
            let (report, code) = env.json(&["--client-version", version]);
            assert_eq!(report["effective"]["client_stops"], true, "{version} {json}");
            let why = report["effective"]["reasons"].as_array().unwrap().last().unwrap().as_str().unwrap();
            assert!(why.contains("TypeError"), "{version} {json}: {why}");
            assert_eq!(code, 1);
        }
    }
}

#[test]
fn a_false_key_in_the_config_dir_sends_the_hard_coded_home_pair_instead() {
    for (json, text, truthy) in NOT_TEXT_KEYS {
        let mut env = TestEnv::new();
        env.env("KAGGLE_CONFIG_DIR", env.path("~/cfg"));
        env.file("~/cfg/kaggle.json", &format!(r#"{{"username": "alice", "key": {json}}}"#));
        env.kaggle_json("~/.kaggle/kaggle.json", "bob", BOB_KEY);
        let expected = if truthy { fingerprint_of("alice", text) } else { fingerprint_of("bob", BOB_KEY) };
        for version in ["1.7.4.5", "2.2.5"] {
            let (report, _) = env.json(&["--client-version", version]);
            assert_eq!(report["effective"]["fingerprint"], expected.as_str(), "{version} {json}");
            let reasons = report["effective"]["reasons"].to_string();
            assert_eq!(reasons.contains("counts as false"), !truthy, "{version} {json}: {reasons}");
        }
        let (report, _) = env.json(&["--client", "kagglehub"]);
        assert_eq!(hub_sends(&report, "dataset_download"), expected.as_str(), "kagglehub {json}");
    }
}

#[test]
fn a_token_of_another_json_type_is_sent_as_bearer_text_by_1_8_and_later_and_null_is_no_token() {
    for (json, sent) in [("1.5", Some("1.5")), ("false", Some("False")), ("0", Some("0")), ("null", None)] {
        let env = TestEnv::new();
        env.file(
            "~/.kaggle/kaggle.json",
            &format!(r#"{{"username": "alice", "key": "{ALICE_KEY}", "token": {json}}}"#),
        );
        let pair = fingerprint_of("alice", ALICE_KEY);
        let bearer = sent.map(|t| kaggle_auth_doctor::secret::Secret::new(t).fingerprint().to_string());
        for version in ["1.8.0", "1.8.4", "2.0.2", "2.2.5"] {
            let (report, _) = env.json(&["--client-version", version]);
            let expected = bearer.clone().unwrap_or_else(|| pair.clone());
            assert_eq!(report["effective"]["fingerprint"], expected.as_str(), "{version} token {json}");
        }
        for version in ["1.6.17", "1.7.4.5"] {
            let (report, _) = env.json(&["--client-version", version]);
            assert_eq!(report["effective"]["fingerprint"], pair.as_str(), "{version} ignores the token field");
        }
        let (report, _) = env.json(&["--client", "kagglehub"]);
        assert_eq!(hub_sends(&report, "whoami"), pair.as_str(), "kagglehub ignores the token field");
        let row = source(&report, "file:kaggle.json#token").unwrap();
        assert_eq!(row["state"], if sent.is_some() { "usable" } else { "unusable" }, "token {json}: {row}");
    }
}

#[test]
fn a_key_of_another_json_type_never_shows_in_any_format() {
    let key = r#"[3.14159265358979, "s3cr3t0in0a0list"]"#;
    let text = "[3.14159265358979, 's3cr3t0in0a0list']";
    let env = TestEnv::new();
    env.file("~/.kaggle/kaggle.json", &format!(r#"{{"username": "alice", "key": {key}, "token": 2.718281828459045}}"#));
    let float = TestEnv::new();
    float.file("~/.kaggle/kaggle.json", r#"{"username": "alice", "key": 1.4142135623730951}"#);
    let boolean = TestEnv::new();
    boolean.file("~/.kaggle/kaggle.json", r#"{"username": "alice", "key": true}"#);
    let base64 = |pair: &str| {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(pair)
    };
    for (env, needles) in [
        (
            &env,
            vec![
                text.to_string(),
                "s3cr3t0in0a0list".into(),
                "2.718281828459045".into(),
                base64(&format!("alice:{text}")),
            ],
        ),
        (&float, vec!["1.4142135623730951".into(), base64("alice:1.4142135623730951")]),
        (&boolean, vec!["alice:True".into(), base64("alice:True")]),
    ] {
        for format in ["json", "text", "markdown", "junit"] {
            for version in ["1.6.17", "2.2.5"] {
                let out = env.cmd().args(["--client-version", version, "--format", format, "-v"]).output().unwrap();
                let all = String::from_utf8_lossy(&[out.stdout, out.stderr].concat()).into_owned();
                for needle in &needles {
                    assert!(!all.contains(needle.as_str()), "{format} {version}: {needle} leaked");
                }
            }
        }
    }
}

#[test]
fn kagglehub_0_3_sends_a_false_key_as_it_is_and_never_falls_back() {
    let mut env = TestEnv::new();
    env.file("~/venv/pyvenv.cfg", "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.7\n");
    let python = env.file("~/venv/bin/python3", "#!/bin/sh\n");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&python, std::fs::Permissions::from_mode(0o755)).unwrap();
    env.file(
        "~/venv/lib/python3.11/site-packages/kagglehub-0.3.13.dist-info/METADATA",
        "Metadata-Version: 2.1\nName: kagglehub\nVersion: 0.3.13\n\n",
    );
    let bin = env.path("~/venv/bin");
    env.env("PATH", format!("{}:/usr/bin:/bin", bin.display()));
    env.env("KAGGLE_CONFIG_DIR", env.path("~/cfg"));
    env.kaggle_json("~/.kaggle/kaggle.json", "bob", BOB_KEY);
    for (json, text, _) in NOT_TEXT_KEYS {
        env.file("~/cfg/kaggle.json", &format!(r#"{{"username": "alice", "key": {json}}}"#));
        let (report, _) = env.json(&["--client", "kagglehub"]);
        let hub = report["clients"].as_array().unwrap().iter().find(|c| c["client"] == "kagglehub").unwrap();
        assert_eq!(hub["version"], "0.3.13", "{hub}");
        assert_eq!(hub_sends(&report, "whoami"), fingerprint_of("alice", text).as_str(), "kagglehub 0.3 {json}");
    }
}
