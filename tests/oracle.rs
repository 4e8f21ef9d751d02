//! The oracle: the *real* kaggle client, from PyPI, against the fake API, in throw-away
//! HOMEs. For every setup of fixtures/oracle/setups.json and every client version, the
//! Authorization header the real `kaggle competitions list` sent must be exactly what the
//! doctor's `effective` predicts (same fingerprint), and "the client stops" must mean no
//! request reached the API.
//!
//! The venvs come from `scripts/oracle-venvs.sh` (`.ci/run` builds them). Without them
//! the test says so and passes, unless `KAD_ORACLE_REQUIRED=1` (set by `.ci/run`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use kaggle_auth_doctor::endpoints::EndpointId;
use kaggle_auth_doctor::fake_kaggle::scenario::Local;
use serde::Deserialize;

use crate::support::{FakeServer, Fixture, Sandbox, WORLD};

/// The client versions the oracle runs (issue 3: at least these five).
pub const VERSIONS: [&str; 5] = ["1.6.17", "1.7.4.5", "1.8.4", "2.0.2", "2.2.5"];

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
}

/// What went on the wire for `competitions list`: the credential's fingerprint, `""`
/// for a request without one, or `None` when no request came.
type Wire = Option<String>;

fn venv_dir() -> PathBuf {
    std::env::var_os("KAD_ORACLE_VENVS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/oracle-venvs"))
}

/// A throw-away HOME and working dir laid out for `setup`, and a fresh fake API.
struct Run {
    _sandbox: Sandbox,
    fake: FakeServer,
    cmd: Command,
}

impl Run {
    /// `program` in the sandbox: only the setup's environment, the venv first on PATH,
    /// pointed at the fake as `version` needs.
    fn new(setup: &Setup, venv: &Path, version: &str, program: &Path) -> Run {
        let sandbox = Sandbox::new();
        let world = Fixture::parse(WORLD);
        let fake = FakeServer::start(&world.scenario.server, world.extras);
        let mut cmd = Command::new(program);
        cmd.env_clear().current_dir(&sandbox.cwd).env("PATH", format!("{}:/usr/bin:/bin", venv.join("bin").display()));
        cmd.env("HOME", &sandbox.home).envs(sandbox.lay_out(&setup.local));
        point_at(&mut cmd, version, &fake);
        Run { _sandbox: sandbox, fake, cmd }
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
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| panic!("{name}: no JSON: {}", String::from_utf8_lossy(&out.stderr)))
    }
}

/// Runs the real client for one setup; returns what it sent.
fn real_client(venv: &Path, version: &str, setup: &Setup) -> Wire {
    let kaggle = venv.join("bin/kaggle");
    let mut run = Run::client(setup, venv, version, &[kaggle.to_str().unwrap(), "competitions", "list"]);
    let _ = run.cmd.output().expect("the real client runs");
    let fake = run.fake;
    let sent = fake.hits().into_iter().find(|h| h.endpoint == Some(EndpointId::CompetitionsList));
    sent.map(|h| h.fingerprint.unwrap_or_default())
}

/// Points a client (or the doctor, with the same environment) at the fake (spec §4).
fn point_at(cmd: &mut Command, version: &str, fake: &FakeServer) {
    if version.starts_with("1.6") {
        cmd.env("KAGGLE_API_ENDPOINT", format!("http://127.0.0.1:{}", fake.port()));
    } else {
        cmd.env("KAGGLE_API_ENVIRONMENT", "LOCALHOST").env("HTTP_PROXY", format!("http://127.0.0.1:{}", fake.port()));
    }
}

/// Runs the doctor on the same setup; returns what it predicts the client sends.
fn doctor(venv: &Path, version: &str, setup: &Setup) -> (Wire, String) {
    let mut run = Run::new(setup, venv, version, &assert_cmd::cargo::cargo_bin("kaggle-auth-doctor"));
    run.cmd.args(["--format", "json"]);
    if version.starts_with("1.6") {
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
        Some(fp) => fp.clone(),
    }
}

#[test]
fn doctor_predicts_what_the_real_client_sends() {
    let venvs = venv_dir();
    let missing: Vec<&str> =
        VERSIONS.iter().copied().filter(|v| !venvs.join(format!("kaggle-{v}/bin/kaggle")).is_file()).collect();
    if !missing.is_empty() {
        let required = std::env::var("KAD_ORACLE_REQUIRED").is_ok_and(|v| v == "1");
        assert!(!required, "oracle venvs missing for {missing:?} in {}: run scripts/oracle-venvs.sh", venvs.display());
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            format!("oracle skipped: no venvs for {missing:?} (run scripts/oracle-venvs.sh)\n").as_bytes(),
        );
        return;
    }
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/oracle/setups.json")).unwrap();
    let setups: Setups = serde_json::from_str(&text).unwrap();
    let jobs: Vec<(&str, &Setup)> = VERSIONS.iter().flat_map(|v| setups.setups.iter().map(move |s| (*v, s))).collect();
    let next = AtomicUsize::new(0);
    let disagreements = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                while let Some((version, setup)) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let venv = venvs.join(format!("kaggle-{version}"));
                    let sent = real_client(&venv, version, setup);
                    let (predicted, why) = doctor(&venv, version, setup);
                    if sent != predicted {
                        disagreements.lock().unwrap().push(format!(
                            "{version} {}: real client sent {}, doctor predicted {} ({why})",
                            setup.name,
                            show(&sent),
                            show(&predicted)
                        ));
                    }
                }
            });
        }
    });
    let disagreements = disagreements.into_inner().unwrap();
    let tally = format!(
        "oracle: {} setups x {} versions = {} runs, {} agree, {} disagree",
        setups.setups.len(),
        VERSIONS.len(),
        jobs.len(),
        jobs.len() - disagreements.len(),
        disagreements.len()
    );
    let report = format!("{tally}\n{}\n", disagreements.join("\n"));
    let _ = std::fs::write(Path::new(env!("CARGO_MANIFEST_DIR")).join("target/oracle-tally.txt"), &report);
    let _ = std::io::Write::write_all(&mut std::io::stderr(), report.as_bytes());
    assert!(disagreements.is_empty(), "{report}");
}

/// Runs real kagglehub (`whoami()`, then `dataset_download()`) for one setup; returns what
/// each sent: the fingerprint, `""` without a header, `None` when no request came.
fn real_kagglehub(venv: &Path, setup: &Setup) -> (Wire, Wire) {
    let run = |code: &str, is_request: fn(&str) -> bool| -> Wire {
        let python = venv.join("bin/python");
        let mut run = Run::client(setup, venv, "hub", &[python.to_str().unwrap(), "-c", code]);
        let _ = run.cmd.output().expect("kagglehub runs");
        let sent = run.fake.hits().into_iter().find(|h| is_request(&h.target));
        sent.map(|h| h.fingerprint.unwrap_or_default())
    };
    let whoami = run("import kagglehub\nkagglehub.whoami()", |t| t.contains("DiagnosticsService/Hello"));
    let download =
        run("import kagglehub\nkagglehub.dataset_download('alice/some-dataset')", |t| t.contains("DatasetApiService"));
    (whoami, download)
}

/// The doctor's kagglehub prediction for the same setup: (whoami, dataset_download).
fn doctor_kagglehub(venv: &Path, setup: &Setup) -> (Wire, Wire, String) {
    let mut run = Run::new(setup, venv, "hub", &assert_cmd::cargo::cargo_bin("kaggle-auth-doctor"));
    run.cmd.args(["--format", "json", "--client", "kagglehub"]);
    let report = run.report(&setup.name);
    let hub = report["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["client"] == "kagglehub")
        .expect("kagglehub covered")
        .clone();
    assert!(hub["from"].as_str().unwrap().contains("metadata"), "{}: the doctor detects kagglehub", setup.name);
    let op = |name: &str| -> Wire {
        let op = hub["operations"].as_array().unwrap().iter().find(|o| o["operation"] == name).unwrap();
        match op["sends"].as_str().unwrap() {
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
    let venv = venv_dir().join("kagglehub");
    if !venv.join("bin/python").is_file() {
        let required = std::env::var("KAD_ORACLE_REQUIRED").is_ok_and(|v| v == "1");
        assert!(!required, "no kagglehub venv in {}: run scripts/oracle-venvs.sh", venv.display());
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            b"kagglehub oracle skipped: no venv (run scripts/oracle-venvs.sh)\n",
        );
        return;
    }
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/oracle/setups.json")).unwrap();
    let setups: Setups = serde_json::from_str(&text).unwrap();
    let next = AtomicUsize::new(0);
    let with_credential = AtomicUsize::new(0);
    let disagreements = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                while let Some(setup) = setups.setups.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let (whoami, download) = real_kagglehub(&venv, setup);
                    let sent =
                        [&whoami, &download].iter().filter(|w| w.as_ref().is_some_and(|f| !f.is_empty())).count();
                    with_credential.fetch_add(sent, Ordering::Relaxed);
                    let (p_whoami, p_download, why) = doctor_kagglehub(&venv, setup);
                    for (op, sent, predicted) in
                        [("whoami", &whoami, &p_whoami), ("dataset_download", &download, &p_download)]
                    {
                        if sent != predicted {
                            disagreements.lock().unwrap().push(format!(
                                "kagglehub {}: {op}: real sent {}, doctor predicted {} ({why})",
                                setup.name,
                                show(sent),
                                show(predicted)
                            ));
                        }
                    }
                }
            });
        }
    });
    let disagreements = disagreements.into_inner().unwrap();
    let runs = setups.setups.len() * 2;
    let tally = format!(
        "kagglehub oracle: {} setups x 2 operations = {runs} runs, {} agree, {} disagree ({} runs sent a credential)",
        setups.setups.len(),
        runs - disagreements.len(),
        disagreements.len(),
        with_credential.into_inner()
    );
    let report = format!("{tally}\n{}\n", disagreements.join("\n"));
    let _ = std::fs::write(Path::new(env!("CARGO_MANIFEST_DIR")).join("target/oracle-tally-kagglehub.txt"), &report);
    let _ = std::io::Write::write_all(&mut std::io::stderr(), report.as_bytes());
    assert!(disagreements.is_empty(), "{report}");
}
