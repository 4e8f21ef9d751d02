//! The oracle: the *real* kaggle client, from PyPI, against the fake API, in throw-away
//! HOMEs. For every setup of fixtures/oracle/setups.json and every client version, the
//! Authorization header the real `kaggle competitions list` sent must be exactly what the
//! doctor's `effective` predicts (same fingerprint), and "the client stops" must mean no
//! request reached the API.
//!
//! The venvs come from `scripts/oracle-venvs.sh` (`.ci/run` builds them). Without them
//! the test says so and passes, unless `KAD_ORACLE_REQUIRED=1` (set by `.ci/run`).
//!
//! Most setups point the clients at the fake over plain HTTP. The `tls_proxy` ones (the
//! "corporate CA" class) leave the clients on their production HTTPS URLs and put a
//! TLS-inspecting proxy in between (tests/support/mitm.rs): what varies is whether each
//! client trusts the proxy's CA. `KAD_ORACLE_DEBUG=1` prints, for every real-client run,
//! its exit status, the tail of what it printed and what the proxy saw.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use kaggle_auth_doctor::endpoints::{Dialect, EndpointId};
use kaggle_auth_doctor::fake_kaggle::scenario::Local;
use serde::Deserialize;

use crate::support::{FakeServer, Fixture, MitmProxy, Sandbox, WORLD};

/// The kaggle CLI versions the oracle runs: one per modelled range and more
/// (docs/client-behaviour.md); `scripts/oracle-venvs.sh` builds their venvs.
pub const VERSIONS: [&str; 7] = ["1.5.16", "1.6.17", "1.7.4.5", "1.8.0", "1.8.4", "2.0.2", "2.2.5"];

/// The kagglehub versions the oracle runs, with their venv names ("" : the latest, 1.0.x).
pub const HUB_VERSIONS: [(&str, &str); 3] =
    [("0.3.13", "kagglehub-0.3.13"), ("0.4.3", "kagglehub-0.4.3"), ("1.0", "kagglehub")];

#[derive(Deserialize)]
struct Setups {
    setups: Vec<Setup>,
}

#[derive(Deserialize)]
struct Setup {
    name: String,
    #[serde(flatten)]
    local: Local,
    #[allow(dead_code)]
    why: String,
    /// Run for one client only (`kaggle` or `kagglehub`): a setup the other cannot be
    /// pointed at the fake with (e.g. its own `KAGGLE_API_ENVIRONMENT`).
    #[serde(default)]
    only: Option<String>,
    /// The fake's IntrospectToken demands a valid Authorization header.
    #[serde(default)]
    introspect_requires_auth: bool,
    /// The clients keep their production HTTPS URLs and go through a TLS-inspecting proxy
    /// in front of the fake ([`MitmProxy`]); `$MITM_PROXY` (its URL) and `$CA_BUNDLE` (its
    /// CA) are filled in. See [`assert_contained`] for what such a setup must say.
    #[serde(default)]
    tls_proxy: bool,
}

impl Setup {
    fn runs_for(&self, client: &str) -> bool {
        self.only.as_deref().is_none_or(|only| only == client)
    }
}

/// The setups; `KAD_ORACLE_SETUPS=a,b` narrows them to those whose name contains a or b
/// (for iterating on one class; CI runs them all).
fn setups() -> Setups {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/oracle/setups.json")).unwrap();
    let mut setups: Setups = serde_json::from_str(&text).unwrap();
    if let Ok(only) = std::env::var("KAD_ORACLE_SETUPS") {
        setups.setups.retain(|s| only.split(',').any(|o| s.name.contains(o)));
    }
    for setup in setups.setups.iter().filter(|s| s.tls_proxy) {
        assert_contained(setup);
    }
    setups
}

/// A `tls_proxy` setup must keep every client on loopback, since nothing points them at
/// the fake: the proxy variables the newer clients honour are the proxy's (the harness
/// sets them, a setup may only name another loopback proxy), no `NO_PROXY` lets a host
/// bypass it, and kaggle 1.5/1.6, which ignore those variables, get the proxy from their
/// own config: `"proxy": "$MITM_PROXY"` in every kaggle.json, or, with no kaggle.json
/// (which would replace the environment's settings), `KAGGLE_PROXY=$MITM_PROXY`.
fn assert_contained(setup: &Setup) {
    use kaggle_auth_doctor::fake_kaggle::scenario::FileSpec;
    let name = &setup.name;
    for (k, v) in &setup.local.env {
        let proxy_var = ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"].contains(&k.to_uppercase().as_str());
        assert!(
            !proxy_var || v == "$MITM_PROXY" || v.starts_with("http://127.0.0.1:"),
            "{name}: a tls_proxy setup's {k} must be $MITM_PROXY or on loopback, not {v:?}"
        );
        assert!(k.to_uppercase() != "NO_PROXY", "{name}: a tls_proxy setup cannot set {k}: it would bypass the proxy");
    }
    let mut configs = 0;
    for (path, spec) in setup.local.files.iter().filter(|(p, _)| p.ends_with("kaggle.json")) {
        configs += 1;
        let json = match spec {
            FileSpec::Json { json, .. } => json.clone(),
            FileSpec::Text(text) => serde_json::from_str(text).unwrap_or_default(),
        };
        assert!(
            json["proxy"] == "$MITM_PROXY",
            "{name}: {path} must say \"proxy\": \"$MITM_PROXY\" (kaggle 1.5/1.6 send through it and ignore HTTPS_PROXY: without it they would go to the internet)"
        );
    }
    assert!(
        configs > 0 || setup.local.env.get("KAGGLE_PROXY").is_some_and(|p| p == "$MITM_PROXY"),
        "{name}: without a kaggle.json, a tls_proxy setup must set KAGGLE_PROXY=$MITM_PROXY (kaggle 1.5/1.6 ignore HTTPS_PROXY: without it they would go to the internet)"
    );
}

/// What went on the wire for `competitions list`: the credential's fingerprint, `""`
/// for a request without one, or `None` when no request came.
type Wire = Option<String>;

fn venv_dir() -> PathBuf {
    std::env::var_os("KAD_ORACLE_VENVS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/oracle-venvs"))
}

/// A throw-away HOME and working dir laid out for `setup`, and a fresh fake API (behind
/// a TLS-inspecting proxy for a `tls_proxy` setup).
struct Run {
    _sandbox: Sandbox,
    fake: FakeServer,
    mitm: Option<MitmProxy>,
    cmd: Command,
}

impl Run {
    /// `program` in the sandbox: only the setup's environment, the venv first on PATH,
    /// pointed at the fake as `version` needs.
    fn new(setup: &Setup, venv: &Path, version: &str, program: &Path) -> Run {
        let mut world = Fixture::parse(WORLD);
        world.scenario.server.introspect_requires_auth = setup.introspect_requires_auth;
        Run::in_world(setup, venv, version, program, world)
    }

    /// As [`Run::new`], with a fake API serving `world`.
    fn in_world(setup: &Setup, venv: &Path, version: &str, program: &Path, world: Fixture) -> Run {
        let sandbox = Sandbox::new();
        let fake = FakeServer::start(&world.scenario.server, world.extras);
        let mitm = setup.tls_proxy.then(|| MitmProxy::start(fake.port()));
        let placeholders = placeholders(&fake, mitm.as_ref());
        let vars = sandbox.lay_out(&setup.local);
        fill_in_files(setup, &sandbox.home, &sandbox.cwd, &placeholders);
        let mut cmd = Command::new(program);
        cmd.env_clear().current_dir(&sandbox.cwd).env("PATH", format!("{}:/usr/bin:/bin", venv.join("bin").display()));
        cmd.env("HOME", &sandbox.home);
        for (k, v) in vars {
            cmd.env(k, fill_in(&v, &placeholders));
        }
        match &mitm {
            Some(mitm) => through_proxy(&mut cmd, mitm, setup),
            None => point_at(&mut cmd, version, &fake, setup),
        }
        Run { _sandbox: sandbox, fake, mitm, cmd }
    }

    /// A real client under a hang guard.
    fn client(setup: &Setup, venv: &Path, version: &str, args: &[&str]) -> Run {
        let mut run = Run::new(setup, venv, version, Path::new("timeout"));
        run.cmd.arg("120").args(args);
        run
    }

    /// The doctor's JSON report.
    fn report(mut self, name: &str) -> serde_json::Value {
        let out = self.cmd.output().unwrap();
        let report = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| panic!("{name}: no JSON: {}", String::from_utf8_lossy(&out.stderr)));
        crate::support::validate(&report);
        report
    }
}

/// What a setup's env values and files may name: `$FAKE_PORT` (the fake's port), and with
/// a TLS-inspecting proxy `$MITM_PROXY` (its URL) and `$CA_BUNDLE` (the absolute path of
/// the CA it re-signs with).
fn placeholders(fake: &FakeServer, mitm: Option<&MitmProxy>) -> Vec<(&'static str, String)> {
    let mut all = vec![("$FAKE_PORT", fake.port().to_string())];
    if let Some(mitm) = mitm {
        all.push(("$MITM_PROXY", mitm.url()));
        all.push(("$CA_BUNDLE", crate::support::mitm::ca_bundle().display().to_string()));
    }
    all
}

fn fill_in(text: &str, placeholders: &[(&str, String)]) -> String {
    placeholders.iter().fold(text.to_string(), |text, (name, value)| text.replace(name, value))
}

/// The placeholders in a setup's files (a kaggle.json `proxy` that is the fake itself,
/// its `ssl_ca_cert`…).
fn fill_in_files(setup: &Setup, home: &Path, cwd: &Path, placeholders: &[(&str, String)]) {
    for path in setup.local.files.keys() {
        let file = match (path.strip_prefix("~/"), path.strip_prefix("./")) {
            (Some(rest), _) => home.join(rest),
            (_, Some(rest)) => cwd.join(rest),
            _ => continue,
        };
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        let filled = fill_in(&text, placeholders);
        if filled != text {
            std::fs::write(&file, filled).unwrap();
        }
    }
}

/// Runs the real client for one setup; returns what it sent, and what it said (see
/// [`Run::said`]).
fn real_client(venv: &Path, version: &str, setup: &Setup) -> (Wire, String) {
    let kaggle = venv.join("bin/kaggle");
    let mut run = Run::client(setup, venv, version, &[kaggle.to_str().unwrap(), "competitions", "list"]);
    let out = run.cmd.output().expect("the real client runs");
    let label = format!("kaggle {version} {}", setup.name);
    let said = run.said(&label, &out);
    let sent = run.fake.hits().into_iter().find(|h| h.endpoint == Some(EndpointId::CompetitionsList));
    let sent = sent.map(|h| h.fingerprint.unwrap_or_default());
    debug(&format!("=== {label}: sent {}\n", show(&sent)));
    (sent, said)
}

/// With `KAD_ORACLE_DEBUG=1`, `text` to stderr.
fn debug(text: &str) {
    if std::env::var("KAD_ORACLE_DEBUG").is_ok_and(|v| v == "1") {
        let _ = std::io::Write::write_all(&mut std::io::stderr(), text.as_bytes());
    }
}

impl Run {
    /// The last line a real client printed (stderr, else stdout) and, behind a
    /// TLS-inspecting proxy, what the proxy saw: why a client sent nothing
    /// (`CERTIFICATE_VERIFY_FAILED` or a harness problem). With `KAD_ORACLE_DEBUG=1` the
    /// exit status and the tail of its output go to stderr too.
    fn said(&self, label: &str, out: &std::process::Output) -> String {
        let (stderr, stdout) = (String::from_utf8_lossy(&out.stderr), String::from_utf8_lossy(&out.stdout));
        let text = if stderr.trim().is_empty() { stdout } else { stderr };
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let proxy = self.mitm.as_ref().map(|m| format!("; {}", m.summary())).unwrap_or_default();
        let tail = lines[lines.len().saturating_sub(12)..].join("\n    ");
        debug(&format!("--- {label}: {}{proxy}\n    {tail}\n", out.status));
        let last = lines.last().map(|l| l.chars().take(300).collect::<String>()).unwrap_or_default();
        format!("client said {last:?}{proxy}")
    }
}

/// Points a client (or the doctor, with the same environment) at the fake
/// (docs/client-behaviour.md): the legacy REST clients (kaggle 1.5/1.6, kagglehub 0.3) by
/// `KAGGLE_API_ENDPOINT`, the others by `KAGGLE_API_ENVIRONMENT=LOCALHOST` and an HTTP
/// proxy that is the fake. HTTPS goes to a closed loopback port: nothing reaches the
/// internet, whatever a setup's own environment says. A variable the setup sets itself
/// is left alone.
fn point_at(cmd: &mut Command, version: &str, fake: &FakeServer, setup: &Setup) {
    let fake_url = format!("http://127.0.0.1:{}", fake.port());
    let legacy_rest = ["1.5", "1.6", "hub-0.3"].iter().any(|v| version.starts_with(v));
    let mut vars = vec![("HTTPS_PROXY", "http://127.0.0.1:9".to_string())];
    if legacy_rest {
        vars.push(("KAGGLE_API_ENDPOINT", fake_url.clone()));
    }
    if !version.starts_with("1.5") && !version.starts_with("1.6") {
        vars.push(("KAGGLE_API_ENVIRONMENT", "LOCALHOST".into()));
        vars.push(("HTTP_PROXY", fake_url));
    }
    for (k, v) in vars {
        if !setup.local.env.contains_key(k) {
            cmd.env(k, v);
        }
    }
}

/// For a `tls_proxy` setup: the clients keep their production URLs (no
/// `KAGGLE_API_ENDPOINT`, no `KAGGLE_API_ENVIRONMENT`) and both proxy variables are the
/// TLS-inspecting proxy, unless the setup sets them; kaggle 1.5/1.6 get it from their
/// config ([`assert_contained`]).
fn through_proxy(cmd: &mut Command, mitm: &MitmProxy, setup: &Setup) {
    for k in ["HTTPS_PROXY", "HTTP_PROXY"] {
        if !setup.local.env.contains_key(k) {
            cmd.env(k, mitm.url());
        }
    }
}

/// Runs the doctor on the same setup; returns what it predicts the client sends.
fn doctor(venv: &Path, version: &str, setup: &Setup) -> (Wire, String) {
    let mut run = Run::new(setup, venv, version, &assert_cmd::cargo::cargo_bin("kaggle-auth-doctor"));
    run.cmd.args(["--format", "json", "--oauth-refresh"]);
    // Behind the TLS-inspecting proxy the doctor keeps its production roots too.
    if (version.starts_with("1.5") || version.starts_with("1.6")) && !setup.tls_proxy {
        run.cmd.args(["--endpoint", &format!("http://127.0.0.1:{}/api/v1", run.fake.port())]);
    }
    let report = run.report(&setup.name);
    let e = &report["effective"];
    assert_eq!(report["client"]["version"], version, "{}: the doctor detects the venv's client", setup.name);
    let wire = if e["client_stops"] == true { None } else { Some(e["fingerprint"].as_str().unwrap_or("").to_string()) };
    let why = e["reasons"].as_array().map(|r| r.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join(" / "));
    (wire, why.unwrap_or_default())
}

fn show(wire: &Wire) -> String {
    match wire {
        None => "no request".into(),
        Some(fp) if fp.is_empty() => "no Authorization".into(),
        Some(fp) => match known_credential(fp) {
            Some(name) => format!("{fp} ({name})"),
            None => fp.clone(),
        },
    }
}

/// Which of the world's credentials a fingerprint is, to read a disagreement at a glance.
fn known_credential(fingerprint: &str) -> Option<&'static str> {
    use crate::support::{ALICE_KEY, ALICE_TOKEN, BOB_KEY, BOB_TOKEN, MINTED_TOKEN, REVOKED_TOKEN, SCOPED_TOKEN};
    use kaggle_auth_doctor::secret::Secret;
    let alice = format!("alice:{ALICE_KEY}");
    let bob = format!("bob:{BOB_KEY}");
    let known: [(&str, &'static str); 7] = [
        (&alice, "alice's key"),
        (&bob, "bob's key"),
        (ALICE_TOKEN, "alice's token"),
        (SCOPED_TOKEN, "alice's scoped token"),
        (REVOKED_TOKEN, "the revoked token"),
        (BOB_TOKEN, "bob's token"),
        (MINTED_TOKEN, "the OAuth-minted token"),
    ];
    known.into_iter().find(|(secret, _)| Secret::new(*secret).fingerprint().to_string() == fingerprint).map(|k| k.1)
}

/// True when the oracle may run: every venv exists, or (without `KAD_ORACLE_REQUIRED=1`)
/// says which are missing and skips.
fn venvs_present(venvs: &[PathBuf]) -> bool {
    let missing: Vec<String> =
        venvs.iter().filter(|v| !v.join("bin/python").is_file()).map(|v| v.display().to_string()).collect();
    if missing.is_empty() {
        return true;
    }
    let required = std::env::var("KAD_ORACLE_REQUIRED").is_ok_and(|v| v == "1");
    assert!(!required, "oracle venvs missing: {missing:?}: run scripts/oracle-venvs.sh");
    let _ = std::io::Write::write_all(
        &mut std::io::stderr(),
        format!("oracle skipped: no venvs {missing:?} (run scripts/oracle-venvs.sh)\n").as_bytes(),
    );
    false
}

/// Runs `check` over every job on four threads; returns what each found, in job order.
fn run_jobs<'a, J: Sync, R: Default + Clone + Send>(jobs: &'a [J], check: impl Fn(&'a J) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(vec![R::default(); jobs.len()]);
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                while let Some(i) = Some(next.fetch_add(1, Ordering::Relaxed)).filter(|i| *i < jobs.len()) {
                    let found = check(&jobs[i]);
                    results.lock().unwrap()[i] = found;
                }
            });
        }
    });
    results.into_inner().unwrap()
}

/// The tally, one line per version, then every disagreement; written to `target/FILE`.
fn tally(title: &str, file: &str, per_version: &[(String, usize, usize)], disagreements: &[String]) -> String {
    let runs: usize = per_version.iter().map(|v| v.1).sum();
    let mut report =
        format!("{title}: {runs} runs, {} agree, {} disagree\n", runs - disagreements.len(), disagreements.len());
    for (version, runs, bad) in per_version {
        report.push_str(&format!("  {version}: {runs} runs, {} agree\n", runs - bad));
    }
    report.push_str(&disagreements.join("\n"));
    report.push('\n');
    let _ = std::fs::write(Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join(file), &report);
    let _ = std::io::Write::write_all(&mut std::io::stderr(), report.as_bytes());
    report
}

#[test]
fn doctor_predicts_what_the_real_client_sends() {
    let venvs = venv_dir();
    if !venvs_present(&VERSIONS.map(|v| venvs.join(format!("kaggle-{v}")))) {
        return;
    }
    let setups = setups();
    let jobs: Vec<(&str, &Setup)> = VERSIONS
        .iter()
        .flat_map(|v| setups.setups.iter().filter(|s| s.runs_for("kaggle")).map(move |s| (*v, s)))
        .collect();
    let results = run_jobs(&jobs, |(version, setup)| {
        let venv = venvs.join(format!("kaggle-{version}"));
        let (sent, said) = real_client(&venv, version, setup);
        let (predicted, why) = doctor(&venv, version, setup);
        if sent == predicted {
            return Vec::new();
        }
        let said = if setup.tls_proxy { format!(" [{said}]") } else { String::new() };
        vec![format!(
            "{version} {}: real client sent {}, doctor predicted {} ({why}){said}",
            setup.name,
            show(&sent),
            show(&predicted)
        )]
    });
    let per_version: Vec<(String, usize, usize)> = VERSIONS
        .iter()
        .map(|v| {
            let mine: Vec<_> = jobs.iter().zip(&results).filter(|((jv, _), _)| jv == v).collect();
            (format!("kaggle {v}"), mine.len(), mine.iter().filter(|(_, r)| !r.is_empty()).count())
        })
        .collect();
    let disagreements: Vec<String> = results.into_iter().flatten().collect();
    let report = tally(
        &format!("oracle: {} setups x {} kaggle versions", jobs.len() / VERSIONS.len(), VERSIONS.len()),
        "oracle-tally.txt",
        &per_version,
        &disagreements,
    );
    assert!(disagreements.is_empty(), "{report}");
}

/// Runs real kagglehub (`whoami()`, then `dataset_download()`) for one setup; returns what
/// each sent: the fingerprint, `""` without a header, `None` when no request came. 0.3.x
/// speaks legacy REST (`GET /api/v1/hello`, `GET /api/v1/datasets/view/…`), later ones RPC.
///
/// Both operations run in one Python process (starting Python and importing kagglehub is
/// most of the oracle's time), each caught on its own; between them the script asks the
/// fake for [`MARKER`] directly (no proxy), so each request is told to the operation
/// that sent it. An operation that raises prints one line, `OP failed: ERROR <- CAUSE…`
/// (kagglehub's whoami hides a TLS failure behind "not authenticated"); the third value
/// is those lines (see [`Run::said`]).
fn real_kagglehub(venv: &Path, version: &str, setup: &Setup) -> (Wire, Wire, String) {
    const SCRIPT: &str = "import sys, urllib.request\n\
        def mark():\n    try: urllib.request.build_opener(urllib.request.ProxyHandler({})).open(sys.argv[1], timeout=30).close()\n    except Exception: pass\n\
        def tell(op, e):\n    chain = []\n    while e is not None and len(chain) < 6:\n        chain.append(repr(e)[:400])\n        e = e.__cause__ or e.__context__\n    print(op + ' failed: ' + ' <- '.join(chain), file=sys.stderr)\n\
        try:\n    import kagglehub\n    kagglehub.whoami()\nexcept BaseException as e: tell('whoami', e)\n\
        mark()\n\
        try:\n    import kagglehub\n    kagglehub.dataset_download('alice/some-dataset')\nexcept BaseException as e: tell('dataset_download', e)\n";
    let python = venv.join("bin/python");
    let mut run = Run::client(setup, venv, &format!("hub-{version}"), &[python.to_str().unwrap(), "-c", SCRIPT]);
    run.cmd.arg(format!("http://127.0.0.1:{}{MARKER}", run.fake.port()));
    let out = run.cmd.output().expect("kagglehub runs");
    let label = format!("kagglehub {version} {}", setup.name);
    let _ = run.said(&label, &out);
    let failures: Vec<String> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.starts_with("whoami failed: ") || l.starts_with("dataset_download failed: "))
        .map(|l| l.chars().take(600).collect())
        .collect();
    let proxy = run.mitm.as_ref().map(|m| format!("; {}", m.summary())).unwrap_or_default();
    let said = format!("{}{proxy}", if failures.is_empty() { "no exception".into() } else { failures.join(" | ") });
    let hits = run.fake.hits();
    let marker = hits.iter().position(|h| h.target.ends_with(MARKER)).expect("the script reaches the marker");
    let (before, after) = hits.split_at(marker);
    let sent = |hits: &[crate::support::fake_server::Hit], is_request: fn(&str) -> bool| -> Wire {
        hits.iter().find(|h| is_request(&h.target)).map(|h| h.fingerprint.clone().unwrap_or_default())
    };
    let whoami = sent(before, |t| t.contains("DiagnosticsService/Hello") || t.ends_with("/api/v1/hello"));
    let download = sent(after, |t| t.contains("DatasetApiService") || t.contains("/api/v1/datasets/")).or_else(|| {
        // In a notebook whose data proxy is the fake: the attach request, if it carried
        // the notebook's X-Kaggle-Authorization.
        let attach = after.iter().find(|h| h.target.ends_with("/kaggle-jwt-handler/AttachDatasourceUsingJwtRequest"));
        attach.filter(|h| h.data_proxy_fingerprint.is_some()).map(|_| DATA_PROXY.to_string())
    });
    debug(&format!("=== {label}: whoami sent {}, dataset_download sent {}; {said}\n", show(&whoami), show(&download)));
    (whoami, download, said)
}

/// The request the kagglehub script makes between its two operations.
const MARKER: &str = "/oracle-marker-between-operations";

/// What a request to the notebook data proxy with `X-Kaggle-Authorization` shows as.
const DATA_PROXY: &str = "data proxy (X-Kaggle-Authorization)";

/// True when the setup's notebook data proxy is the fake (else it is a closed port).
fn data_proxy_is_the_fake(setup: &Setup) -> bool {
    setup.local.env.get("KAGGLE_DATA_PROXY_URL").is_some_and(|u| u.contains("$FAKE_PORT"))
}

/// The doctor's kagglehub prediction for the same setup: (whoami, dataset_download).
fn doctor_kagglehub(venv: &Path, version: &str, setup: &Setup) -> (Wire, Wire, String) {
    let mut run = Run::new(setup, venv, &format!("hub-{version}"), &assert_cmd::cargo::cargo_bin("kaggle-auth-doctor"));
    run.cmd.args(["--format", "json", "--client", "kagglehub"]);
    let report = run.report(&setup.name);
    let hub = report["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["client"] == "kagglehub")
        .expect("kagglehub covered")
        .clone();
    assert_eq!(hub["version_from"], "metadata", "{}: the doctor reads kagglehub's metadata", setup.name);
    assert!(hub["version"].as_str().unwrap().starts_with(version), "{}: the doctor detects {version}", setup.name);
    let op = |name: &str| -> Wire {
        let op = hub["operations"].as_array().unwrap().iter().find(|o| o["operation"] == name).unwrap();
        match op["sends"].as_str().unwrap() {
            // The doctor does not probe the data proxy: whether it answers is the setup's.
            "x-kaggle-authorization" if data_proxy_is_the_fake(setup) => Some(DATA_PROXY.to_string()),
            "no-request" | "x-kaggle-authorization" => None,
            _ => Some(op["fingerprint"].as_str().unwrap_or("").to_string()),
        }
    };
    let why = hub["effective"]["reasons"]
        .as_array()
        .map(|r| r.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join(" / "));
    (op("whoami"), op("dataset_download"), why.unwrap_or_default())
}

#[test]
fn doctor_predicts_what_real_kagglehub_sends() {
    let venvs = venv_dir();
    if !venvs_present(&HUB_VERSIONS.map(|(_, dir)| venvs.join(dir))) {
        return;
    }
    let setups = setups();
    let jobs: Vec<(&str, &str, &Setup)> = HUB_VERSIONS
        .iter()
        .flat_map(|(v, dir)| setups.setups.iter().filter(|s| s.runs_for("kagglehub")).map(move |s| (*v, *dir, s)))
        .collect();
    let with_credential = AtomicUsize::new(0);
    let results = run_jobs(&jobs, |(version, dir, setup)| {
        let venv = venvs.join(dir);
        let (whoami, download, said) = real_kagglehub(&venv, version, setup);
        let sent = [&whoami, &download]
            .iter()
            .filter(|w| w.as_ref().is_some_and(|f| !f.is_empty() && f != DATA_PROXY))
            .count();
        with_credential.fetch_add(sent, Ordering::Relaxed);
        let (p_whoami, p_download, why) = doctor_kagglehub(&venv, version, setup);
        let mut bad = Vec::new();
        for (op, sent, predicted) in [("whoami", &whoami, &p_whoami), ("dataset_download", &download, &p_download)] {
            if sent != predicted {
                let said = if setup.tls_proxy { format!(" [{said}]") } else { String::new() };
                bad.push(format!(
                    "kagglehub {version} {}: {op}: real sent {}, doctor predicted {} ({why}){said}",
                    setup.name,
                    show(sent),
                    show(predicted)
                ));
            }
        }
        bad
    });
    let per_version: Vec<(String, usize, usize)> = HUB_VERSIONS
        .iter()
        .map(|(v, _)| {
            let mine: Vec<_> = jobs.iter().zip(&results).filter(|((jv, _, _), _)| jv == v).collect();
            (format!("kagglehub {v} (x2 operations)"), mine.len() * 2, mine.iter().map(|(_, r)| r.len()).sum())
        })
        .collect();
    let disagreements: Vec<String> = results.into_iter().flatten().collect();
    let report = tally(
        &format!(
            "kagglehub oracle: {} setups x {} versions x 2 operations ({} runs sent a credential)",
            jobs.len() / HUB_VERSIONS.len(),
            HUB_VERSIONS.len(),
            with_credential.into_inner()
        ),
        "oracle-tally-kagglehub.txt",
        &per_version,
        &disagreements,
    );
    assert!(disagreements.is_empty(), "{report}");
}

/// The legacy REST clients the resource oracle runs, and the resource commands each has
/// (kaggle 1.5.16 has no `models` command).
const LEGACY_VERSIONS: [(&str, bool); 3] = [("1.5.16", false), ("1.6.17", true), ("1.7.4.5", true)];

/// A world holding the resources the resource oracle names: a dataset with two versions,
/// a kernel, a gated model alice consented to, a competition whose rules only alice
/// accepted.
fn resource_world() -> Fixture {
    let mut world = Fixture::parse(WORLD);
    let server = &mut world.scenario.server;
    let shared = |v: serde_json::Value| serde_json::from_value(v).unwrap();
    server.datasets.push(shared(serde_json::json!({ "ref": "alice/some-dataset", "versions": 2 })));
    server.kernels.push(shared(serde_json::json!({ "ref": "alice/my-notebook", "private": true })));
    let model = serde_json::json!({ "ref": "keras/gemma/keras/gemma_2b_en", "versions": 3, "gated": true, "consented_by": ["alice"] });
    server.models.push(serde_json::from_value(model).unwrap());
    world.extras.files_on_loopback = true;
    world
}

/// Adds to `seen` what went to the fake for each endpoint not seen yet: its first request
/// target and credential.
fn first_per_endpoint(seen: &mut Vec<(EndpointId, String, String)>, fake: &FakeServer) {
    for hit in fake.hits() {
        if let Some(e) = hit.endpoint.filter(|e| !seen.iter().any(|s| s.0 == *e)) {
            seen.push((e, hit.target, hit.fingerprint.unwrap_or_default()));
        }
    }
}

/// The credentials the request oracles run: a key that works, another user's key, a
/// wrong key.
fn resource_setups() -> Vec<Setup> {
    serde_json::from_value(serde_json::json!([
        { "name": "kaggle-json-alice", "why": "", "files": { "~/.kaggle/kaggle.json": { "json": { "username": "alice", "key": crate::support::ALICE_KEY } } } },
        { "name": "env-pair-bob", "why": "", "env": { "KAGGLE_USERNAME": "bob", "KAGGLE_KEY": crate::support::BOB_KEY } },
        { "name": "kaggle-json-wrong-key", "why": "", "files": { "~/.kaggle/kaggle.json": { "json": { "username": "alice", "key": "0000wrong" } } } },
    ]))
    .unwrap()
}

/// For kaggle 1.5–1.7, the doctor's resource probes (competitions.download, datasets.get/
/// download, kernels.get, models.get/download) must be the very requests the real
/// client's resource commands send — same target, query string included, same
/// credential — and be recorded as `form: legacy`.
#[test]
fn doctor_sends_the_legacy_resource_requests_the_real_client_sends() {
    let venvs = venv_dir();
    if !venvs_present(&LEGACY_VERSIONS.map(|(v, _)| venvs.join(format!("kaggle-{v}")))) {
        return;
    }
    let setups = resource_setups();
    // (resource flags for the doctor, then the real commands, each after `kaggle`)
    let variants: [(&[&str], &[&[&str]]); 2] = [
        (
            &[
                "--competition",
                "santa-2025",
                "--dataset",
                "alice/some-dataset",
                "--kernel",
                "alice/my-notebook",
                "--model",
                "keras/gemma/keras/gemma_2b_en/3",
            ],
            &[
                &["competitions", "download", "-c", "santa-2025", "-p", "dl"],
                &["datasets", "metadata", "alice/some-dataset", "-p", "dl"],
                &["datasets", "download", "-d", "alice/some-dataset", "-p", "dl"],
                &["kernels", "pull", "alice/my-notebook", "-p", "dl"],
                &["models", "instances", "get", "keras/gemma/keras/gemma_2b_en", "-p", "dl"],
                &["models", "instances", "versions", "download", "keras/gemma/keras/gemma_2b_en/3", "-p", "dl"],
            ],
        ),
        (
            &["--dataset", "alice/some-dataset/2"],
            &[&["datasets", "download", "-d", "alice/some-dataset/2", "-p", "dl"]],
        ),
    ];
    let jobs: Vec<(&str, bool, &Setup, usize)> = LEGACY_VERSIONS
        .iter()
        .flat_map(|(v, models)| setups.iter().flat_map(move |s| (0..variants.len()).map(move |i| (*v, *models, s, i))))
        .collect();
    let results = run_jobs(&jobs, |(version, has_models, setup, variant)| {
        let venv = venvs.join(format!("kaggle-{version}"));
        let (flags, commands) = variants[*variant];
        let mut real = Vec::new();
        for args in commands.iter().filter(|a| *has_models || a[0] != "models") {
            let kaggle = venv.join("bin/kaggle");
            let argv: Vec<&str> = std::iter::once(kaggle.to_str().unwrap()).chain(args.iter().copied()).collect();
            let mut run = Run::in_world(setup, &venv, version, Path::new("timeout"), resource_world());
            run.cmd.arg("120").args(&argv);
            let _ = run.cmd.output().expect("the real client runs");
            first_per_endpoint(&mut real, &run.fake);
        }
        let doctor = assert_cmd::cargo::cargo_bin("kaggle-auth-doctor");
        let mut run = Run::in_world(setup, &venv, version, &doctor, resource_world());
        run.cmd.args(["--format", "json"]).args(flags);
        if !version.starts_with("1.7") {
            run.cmd.args(["--endpoint", &format!("http://127.0.0.1:{}/api/v1", run.fake.port())]);
        }
        let out = run.cmd.output().unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        // Every request of the doctor: a row per source (the anonymous one too), and
        // the RPC requests it may send before it knows the client's version.
        let dialect = if version.starts_with("1.7") { Dialect::Sdk } else { Dialect::Swagger };
        let label = format!("{version} {}", setup.name);
        let (compared, bad) = compare_legacy(&real, &run.fake, &report, dialect, &label);
        (compared, bad)
    });
    let per_version: Vec<(String, usize, usize)> = LEGACY_VERSIONS
        .iter()
        .map(|(v, _)| {
            let mine: Vec<_> = jobs.iter().zip(&results).filter(|((jv, ..), _)| jv == v).map(|(_, r)| r).collect();
            let runs = mine.iter().map(|r| r.0).sum();
            (format!("kaggle {v} (requests)"), runs, mine.iter().map(|r| r.1.len()).sum())
        })
        .collect();
    let compared: usize = per_version.iter().map(|v| v.1).sum();
    let disagreements: Vec<String> = results.into_iter().flat_map(|r| r.1).collect();
    let report = tally(
        &format!("legacy resource oracle: {} setups x {} versions", setups.len(), LEGACY_VERSIONS.len()),
        "oracle-tally-legacy-resources.txt",
        &per_version,
        &disagreements,
    );
    assert!(compared >= 30, "the real clients sent too few resource requests to compare: {report}");
    assert!(disagreements.is_empty(), "{report}");
}

/// Compares the real client's requests (`real`: per endpoint, its first target and
/// credential) with the doctor's, as the fake recorded them: each request of an endpoint
/// the client sends in `dialect`'s legacy form must be one the doctor sent too — same
/// target, query string included, same credential — and the doctor's cells of that
/// endpoint must say `form: legacy`. Returns how many were compared, and what differs.
fn compare_legacy(
    real: &[(EndpointId, String, String)],
    fake: &FakeServer,
    report: &serde_json::Value,
    dialect: Dialect,
    label: &str,
) -> (usize, Vec<String>) {
    // Every request of the doctor: a row per source (the anonymous one too), and
    // the RPC requests it may send before it knows the client's version.
    let doctor_sent: Vec<(Option<EndpointId>, String, String)> =
        fake.hits().into_iter().map(|h| (h.endpoint, h.target, h.fingerprint.unwrap_or_default())).collect();
    // Each run has its own fake: its address is not part of the request.
    let on_fake = |target: &str| -> String {
        let Some(at) = target.find("127.0.0.1:") else { return target.to_string() };
        let rest = &target[at + "127.0.0.1:".len()..];
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        format!("{}FAKE{}", &target[..at], &rest[digits..])
    };
    let mut bad = Vec::new();
    let mut compared = 0;
    for (endpoint, target, fingerprint) in real {
        if !endpoint.has_legacy_form(dialect) {
            continue;
        }
        compared += 1;
        let label = format!("{label} {}", endpoint.as_str());
        let target = on_fake(target);
        let same = |d: &&(Option<EndpointId>, String, String)| d.0 == Some(*endpoint) && on_fake(&d.1) == target;
        let mine: Vec<_> = doctor_sent.iter().filter(same).collect();
        let mut wrong = Vec::new();
        if !mine.iter().any(|d| d.2 == *fingerprint) {
            let all: Vec<_> = doctor_sent.iter().filter(|d| d.0 == Some(*endpoint)).map(|d| &d.1).collect();
            wrong.push(format!("real client sent {target} ({fingerprint}), the doctor did not: {all:?}"));
        }
        let forms: Vec<&serde_json::Value> = report["matrix"]
            .as_array()
            .map(|m| m.iter().filter(|c| c["endpoint"] == endpoint.as_str()).map(|c| &c["form"]).collect())
            .unwrap_or_default();
        if forms.is_empty() || forms.iter().any(|f| *f != "legacy") {
            wrong.push(format!("the doctor's cells are not all legacy: {forms:?}"));
        }
        if !wrong.is_empty() {
            bad.push(format!("{label}: {}", wrong.join("; ")));
        }
    }
    (compared, bad)
}

/// For kagglehub 0.3.13 (its own legacy REST client), as for kaggle 1.5–1.7 above: the
/// requests of `whoami()`, `dataset_download()` (with and without a version; without, it
/// asks for the current version first), `notebook_output_download()`, `model_download()`
/// and `competition_download()` must be among the doctor's, with `--client kagglehub`.
#[test]
fn doctor_sends_the_requests_kagglehub_0_3_sends() {
    let venv = venv_dir().join("kagglehub-0.3.13");
    if !venvs_present(std::slice::from_ref(&venv)) {
        return;
    }
    let setups = resource_setups();
    // (the doctor's resource flags, then the calls, each in its own process)
    let variants: [(&[&str], &[&str]); 2] = [
        (
            &[
                "--competition",
                "santa-2025",
                "--dataset",
                "alice/some-dataset",
                "--kernel",
                "alice/my-notebook",
                "--model",
                "keras/gemma/keras/gemma_2b_en",
            ],
            &[
                "kagglehub.whoami()",
                "kagglehub.dataset_download('alice/some-dataset')",
                "kagglehub.notebook_output_download('alice/my-notebook')",
                "kagglehub.model_download('keras/gemma/keras/gemma_2b_en')",
                "kagglehub.competition_download('santa-2025')",
            ],
        ),
        (&["--dataset", "alice/some-dataset/2"], &["kagglehub.dataset_download('alice/some-dataset/versions/2')"]),
    ];
    let jobs: Vec<(&Setup, usize)> = setups.iter().flat_map(|s| (0..variants.len()).map(move |i| (s, i))).collect();
    let results = run_jobs(&jobs, |(setup, variant)| {
        let (flags, calls) = variants[*variant];
        let mut real = Vec::new();
        for call in calls {
            let python = venv.join("bin/python");
            let script = format!("import kagglehub\ntry:\n    {call}\nexcept BaseException:\n    pass\n");
            let mut run = Run::in_world(setup, &venv, "hub-0.3.13", Path::new("timeout"), resource_world());
            run.cmd.arg("120").args([python.to_str().unwrap(), "-c", &script]);
            let _ = run.cmd.output().expect("kagglehub runs");
            first_per_endpoint(&mut real, &run.fake);
        }
        let doctor = assert_cmd::cargo::cargo_bin("kaggle-auth-doctor");
        let mut run = Run::in_world(setup, &venv, "hub-0.3.13", &doctor, resource_world());
        run.cmd.args(["--format", "json", "--client", "kagglehub"]).args(flags);
        let out = run.cmd.output().unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        compare_legacy(&real, &run.fake, &report, Dialect::Hub, &format!("kagglehub 0.3.13 {}", setup.name))
    });
    let compared: usize = results.iter().map(|r| r.0).sum();
    let disagreements: Vec<String> = results.into_iter().flat_map(|r| r.1).collect();
    let per_version = [("kagglehub 0.3.13 (requests)".to_string(), compared, disagreements.len())];
    let report = tally(
        &format!("kagglehub 0.3 request oracle: {} setups", setups.len()),
        "oracle-tally-kagglehub-requests.txt",
        &per_version,
        &disagreements,
    );
    assert!(compared >= 12, "kagglehub sent too few requests to compare: {report}");
    assert!(disagreements.is_empty(), "{report}");
}

/// Every shipped `tls_proxy` setup keeps every client version on loopback, and the check
/// refuses one that would let kaggle 1.5/1.6 go to the internet.
#[test]
fn tls_proxy_setups_keep_every_client_on_loopback() {
    let all: Setups =
        serde_json::from_str(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/oracle/setups.json")))
            .unwrap();
    let tls: Vec<&Setup> = all.setups.iter().filter(|s| s.tls_proxy).collect();
    assert!(tls.len() >= 8, "the corporate-CA class has its setups");
    for setup in tls {
        assert_contained(setup);
    }
    let leaky = |setup: serde_json::Value| {
        let setup: Setup = serde_json::from_value(setup).unwrap();
        std::panic::catch_unwind(|| assert_contained(&setup)).is_err()
    };
    let json = |proxy: &str| serde_json::json!({ "json": { "username": "alice", "key": "k", "proxy": proxy } });
    assert!(leaky(serde_json::json!({ "name": "no-proxy", "why": "", "tls_proxy": true,
        "files": { "~/.kaggle/kaggle.json": { "json": { "username": "alice", "key": "k" } } } })));
    assert!(leaky(serde_json::json!({ "name": "other-proxy", "why": "", "tls_proxy": true,
        "files": { "~/.kaggle/kaggle.json": json("http://proxy.example:3128") } })));
    assert!(leaky(serde_json::json!({ "name": "env-without-kaggle-proxy", "why": "", "tls_proxy": true,
        "env": { "KAGGLE_USERNAME": "alice", "KAGGLE_KEY": "k" } })));
    assert!(leaky(serde_json::json!({ "name": "bypass", "why": "", "tls_proxy": true,
        "env": { "NO_PROXY": "kaggle.com" }, "files": { "~/.kaggle/kaggle.json": json("$MITM_PROXY") } })));
    assert!(leaky(serde_json::json!({ "name": "remote-https-proxy", "why": "", "tls_proxy": true,
        "env": { "HTTPS_PROXY": "http://proxy.example:3128" }, "files": { "~/.kaggle/kaggle.json": json("$MITM_PROXY") } })));
    assert!(!leaky(serde_json::json!({ "name": "contained", "why": "", "tls_proxy": true,
        "env": { "KAGGLE_USERNAME": "alice", "KAGGLE_KEY": "k", "KAGGLE_PROXY": "$MITM_PROXY" } })));
}
