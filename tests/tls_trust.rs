//! Behind a proxy that inspects TLS (docs/client-behaviour.md, "TLS trust"): which of a
//! client's requests get through depends on the CA it reads, and that differs by version
//! and, for kagglehub, by call. The doctor keeps its production roots and goes through a
//! TLS-inspecting proxy on loopback (tests/support/mitm.rs), which re-signs with a
//! throw-away CA and hands the requests to the fake API. The real-client oracle checks
//! the same setups against the released clients (fixtures/oracle/setups.json, `tls-`).

use crate::support::mitm::{MitmProxy, ca_bundle};
use crate::support::*;

/// A sandbox whose every request goes through the inspecting proxy: `HTTPS_PROXY` for
/// kaggle 1.7+ and kagglehub, kaggle.json's `proxy` for kaggle 1.5/1.6 (they ignore the
/// environment's). `extra` goes into kaggle.json as more fields.
fn behind_inspection(extra: &str) -> (TestEnv, MitmProxy) {
    let mut env = TestEnv::new();
    let mitm = MitmProxy::start(env.fake.as_ref().unwrap().port());
    env.production_roots = true;
    env.env("HTTPS_PROXY", mitm.url()).env("HTTP_PROXY", mitm.url());
    let proxy = mitm.url();
    env.file(
        "~/.kaggle/kaggle.json",
        &format!(r#"{{"username": "alice", "key": "{ALICE_KEY}", "proxy": "{proxy}"{extra}}}"#),
    );
    (env, mitm)
}

fn ca() -> String {
    ca_bundle().display().to_string()
}

fn last_reason(report: &serde_json::Value) -> String {
    report["effective"]["reasons"].as_array().unwrap().last().unwrap().as_str().unwrap().to_string()
}

/// What the CLI of `version` is predicted to do: `Some(source)` sent, `None` nothing reaches Kaggle.
fn sends(env: &TestEnv, version: &str) -> (Option<String>, serde_json::Value, i32) {
    let (report, code) = env.json(&["--client-version", version, "--client", "kaggle"]);
    let e = &report["effective"];
    let sent = (e["client_stops"] == false).then(|| e["source"].as_str().unwrap_or("").to_string());
    (sent, report, code)
}

const NEWER: [&str; 3] = ["1.7.4.5", "2.0.2", "2.2.5"];
const OLDER: [&str; 2] = ["1.5.16", "1.6.17"];

#[test]
fn kaggle_1_7_and_later_trust_the_bundle_variables_and_nothing_else() {
    let (mut env, mitm) = behind_inspection(&format!(r#", "ssl_ca_cert": "{}""#, ca()));
    for version in NEWER {
        // certifi's roots: the proxy's certificate is refused, kaggle.json's ssl_ca_cert is not read.
        let (sent, report, code) = sends(&env, version);
        assert_eq!(sent, None, "{version}: {}", report["effective"]);
        assert!(last_reason(&report).contains("certifi"), "{version}: {}", last_reason(&report));
        assert_eq!(code, 3, "{version}: nothing learned about the credential: inconclusive");
        assert_eq!(report["verdict"]["status"], "inconclusive");
        assert!(finding_codes(&report).contains(&"tls-failure".to_string()), "{:?}", finding_codes(&report));
        assert!(fix_lines(&report).iter().any(|l| l.contains("REQUESTS_CA_BUNDLE")), "{:?}", fix_lines(&report));
        let ignored = report["findings"].as_array().unwrap().iter().find(|f| f["code"] == "ssl-ca-cert-ignored");
        assert_eq!(
            ignored.map(|f| f["severity"].clone()),
            Some("warning".into()),
            "{version}: ssl_ca_cert is not read"
        );
    }
    // The text report does not name a credential as sent when nothing reaches Kaggle.
    let out = env.cmd().args(["--client-version", "2.2.5"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let headline = text.split("What the official client sends\n").nth(1).and_then(|t| t.lines().next()).unwrap_or("");
    assert!(headline.trim().starts_with("nothing reaches Kaggle"), "{headline:?}");
    assert!(mitm.handshakes_ok() == 0, "{}", mitm.summary());
    for var in ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"] {
        let (mut env, _mitm) = behind_inspection("");
        env.env(var, ca());
        for version in NEWER {
            let (sent, report, code) = sends(&env, version);
            assert_eq!(sent.as_deref(), Some("file:kaggle.json"), "{var} {version}: {}", report["effective"]);
            assert_eq!(code, 0, "{var} {version}: {}", report["verdict"]);
        }
    }
    // A bundle that does not exist stops every request before any connection.
    let missing = env.path("~/nonexistent/ca.pem");
    env.env("REQUESTS_CA_BUNDLE", missing);
    let (sent, report, code) = sends(&env, "2.2.5");
    assert_eq!(sent, None, "{}", report["effective"]);
    assert_eq!(code, 3);
}

#[test]
fn kaggle_1_5_and_1_6_trust_their_own_ssl_ca_cert_never_the_bundle_variables() {
    // The bundle variables alone: 1.5/1.6 verify with certifi and never reach Kaggle.
    let (mut env, _mitm) = behind_inspection("");
    env.env("REQUESTS_CA_BUNDLE", ca()).env("CURL_CA_BUNDLE", ca());
    for version in OLDER {
        let (sent, report, code) = sends(&env, version);
        assert_eq!(sent, None, "{version}: {}", report["effective"]);
        assert!(last_reason(&report).contains("do not read REQUESTS_CA_BUNDLE"), "{}", last_reason(&report));
        assert_eq!(code, 3);
        let fixes = fix_lines(&report).join("\n");
        assert!(fixes.contains("ssl_ca_cert") && fixes.contains("pip install --upgrade"), "{version}: {fixes}");
    }
    // kaggle.json's ssl_ca_cert: they get through, even with no bundle variable at all.
    let (env, mitm) = behind_inspection(&format!(r#", "ssl_ca_cert": "{}""#, ca()));
    for version in OLDER {
        let (sent, report, code) = sends(&env, version);
        assert_eq!(sent.as_deref(), Some("file:kaggle.json"), "{version}: {}", report["effective"]);
        assert_eq!(code, 0, "{version}: {} / {}", report["verdict"], mitm.summary());
        let ignored = report["findings"].as_array().unwrap().iter().find(|f| f["code"] == "ssl-ca-cert-ignored");
        assert_eq!(ignored.map(|f| f["severity"].clone()), Some("info".into()), "{version}: it is read");
        let legacy = report["matrix"].as_array().unwrap().iter().filter(|c| c["form"] == "legacy").count();
        assert!(legacy > 0, "{version}: its requests are sent as it sends them");
    }
    // An ssl_ca_cert that cannot be read stops every request of theirs, and only theirs.
    let (env, _mitm) = behind_inspection(r#", "ssl_ca_cert": "./missing-ca.pem""#);
    for version in OLDER {
        let (sent, report, _) = sends(&env, version);
        assert_eq!(sent, None, "{version}: {}", report["effective"]);
        assert!(last_reason(&report).contains("ssl_ca_cert"), "{}", last_reason(&report));
    }
}

#[test]
fn kaggle_1_6_reads_ssl_ca_cert_from_the_environment_when_no_kaggle_json_replaces_it() {
    let mut env = TestEnv::new();
    let mitm = MitmProxy::start(env.fake.as_ref().unwrap().port());
    env.production_roots = true;
    env.env("KAGGLE_USERNAME", "alice").env("KAGGLE_KEY", ALICE_KEY).env("KAGGLE_PROXY", mitm.url());
    env.env("HTTPS_PROXY", mitm.url());
    env.env("KAGGLE_SSL_CA_CERT", ca());
    let (sent, report, code) = sends(&env, "1.6.17");
    assert_eq!(sent.as_deref(), Some("env:KAGGLE_USERNAME+KAGGLE_KEY"), "{}", report["effective"]);
    assert_eq!(code, 0, "{}", report["verdict"]);
    // 1.7+ ignore it.
    let (sent, report, _) = sends(&env, "1.7.4.5");
    assert_eq!(sent, None, "{}", report["effective"]);
}

#[test]
fn kagglehub_whoami_ignores_the_bundle_while_its_downloads_use_it() {
    let operation = |report: &serde_json::Value, name: &str| -> serde_json::Value {
        let hub = report["clients"].as_array().unwrap().iter().find(|c| c["client"] == "kagglehub").unwrap();
        hub["operations"].as_array().unwrap().iter().find(|o| o["operation"] == name).unwrap().clone()
    };
    let (mut env, _mitm) = behind_inspection("");
    env.env("REQUESTS_CA_BUNDLE", ca());
    let (report, _) = env.json(&["--client", "kagglehub"]);
    let whoami = operation(&report, "whoami");
    assert_eq!(whoami["sends"], "no-request", "{whoami}");
    assert!(whoami["note"].as_str().unwrap().contains("not authenticated"), "{whoami}");
    assert_eq!(operation(&report, "dataset_download")["sends"], "basic");
    assert!(finding_codes(&report).contains(&"kagglehub-whoami-ignores-ca-bundle".to_string()));
    // Without the bundle nothing of kagglehub's gets through.
    let (env, _mitm) = behind_inspection("");
    let (report, code) = env.json(&["--client", "kagglehub"]);
    for name in ["whoami", "dataset_download", "model_download"] {
        assert_eq!(operation(&report, name)["sends"], "no-request", "{name}");
    }
    assert_eq!(code, 3);
}

#[test]
fn nothing_of_a_secret_leaks_through_a_tls_failure() {
    let (mut env, _mitm) = behind_inspection("");
    env.env("KAGGLE_API_TOKEN", ALICE_TOKEN);
    for format in ["text", "json", "markdown", "junit"] {
        let out = env.cmd().args(["--format", format, "-v", "--client", "both"]).output().unwrap();
        let all = String::from_utf8_lossy(&[out.stdout, out.stderr].concat()).into_owned();
        for secret in [ALICE_KEY, ALICE_TOKEN] {
            assert!(!all.contains(secret), "{format}: a secret leaked");
        }
    }
}

/// CA files as each client opens them: kaggle 1.5/1.6 expand `~` in `ssl_ca_cert` and fail
/// on one that is not text; `requests` takes a directory of hashed certificates (as
/// `/etc/ssl/certs` is) for `REQUESTS_CA_BUNDLE`.
#[test]
fn ca_files_are_opened_as_each_client_opens_them() {
    let pem = std::fs::read_to_string(ca_bundle()).unwrap();
    let (env, _mitm) = behind_inspection(r#", "ssl_ca_cert": "~/corp/ca.pem""#);
    env.file("~/corp/ca.pem", &pem);
    let (sent, report, code) = sends(&env, "1.6.17");
    assert_eq!(sent.as_deref(), Some("file:kaggle.json"), "urllib3 expands ~: {}", report["effective"]);
    assert_eq!(code, 0);

    let (env, _mitm) = behind_inspection(r#", "ssl_ca_cert": 5"#);
    let (sent, report, _) = sends(&env, "1.6.17");
    assert_eq!(sent, None, "{}", report["effective"]);
    assert!(last_reason(&report).contains("TypeError"), "{}", last_reason(&report));

    let (mut env, _mitm) = behind_inspection("");
    env.file("~/certs/0a1b2c3d.0", &pem);
    env.file("~/certs/README", "not a certificate");
    let dir = env.path("~/certs");
    env.env("REQUESTS_CA_BUNDLE", dir);
    let (sent, report, code) = sends(&env, "2.2.5");
    assert_eq!(sent.as_deref(), Some("file:kaggle.json"), "a hashed CA directory: {}", report["effective"]);
    assert_eq!(code, 0);
}
