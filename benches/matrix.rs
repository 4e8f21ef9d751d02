//! The speed benchmark (`cargo bench`), documented in docs/performance.md.
//!
//! Starts the fake Kaggle API with an injected per-answer latency, runs the release
//! binary over a sandbox holding every credential source (the full matrix), and prints
//! medians: wall time, its ratio to one request's latency and to `--jobs 1`, peak RSS,
//! `--offline`; the official Python client's single `kaggle competitions list` against
//! the same fake; and how wall time grows with the number of cells. Set BENCH_RUNS to
//! change the number of runs per measurement (default 11).

// A benchmark reports on stdout: that is its whole job.
#![allow(clippy::disallowed_macros)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use kaggle_auth_doctor::discover::SourceId;
use kaggle_auth_doctor::endpoints::CATALOG;
use kaggle_auth_doctor::fake_kaggle::Scenario;
use kaggle_auth_doctor::plan::{Action, PlannedCell};
use kaggle_auth_doctor::probe;

// The test suite's server (latency injection) and sandbox; the parts only tests use
// are dead code here.
#[allow(dead_code)]
#[path = "../tests/support/fake_server.rs"]
mod fake_server;
#[path = "../tests/support/sandbox.rs"]
mod sandbox;

use fake_server::{Extras, FakeServer};

const BIN: &str = env!("CARGO_BIN_EXE_kaggle-auth-doctor");

fn runs() -> usize {
    std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(11)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

/// A sandbox laid out from a scenario, its environment, and the fake API with `latency`.
struct Sandbox {
    _dir: sandbox::Sandbox,
    cwd: PathBuf,
    env: Vec<(String, String)>,
    fake: FakeServer,
}

fn sandbox(scenario: &str, latency_ms: u64) -> Sandbox {
    let s = Scenario::load(scenario).expect("scenario");
    let dir = sandbox::Sandbox::new();
    let mut env = dir.lay_out(&s.local);
    env.push(("HOME".into(), dir.home.to_string_lossy().into_owned()));
    let fake = FakeServer::start(&s.server, Extras { fault: None, latency_ms });
    Sandbox { cwd: dir.cwd.clone(), _dir: dir, env, fake }
}

fn doctor(sb: &Sandbox, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear().envs(sb.env.iter().cloned()).current_dir(&sb.cwd);
    cmd.args(["--endpoint", &sb.fake.root(), "--client-version", "2.2.5", "--format", "json"]).args(args);
    cmd
}

/// Median wall time of `make()` over the runs, in milliseconds.
fn wall(make: impl FnMut() -> Command) -> f64 {
    wall_n(runs(), make)
}

fn wall_n(n: usize, mut make: impl FnMut() -> Command) -> f64 {
    let times = (0..n)
        .map(|_| {
            let start = Instant::now();
            let out = make().output().expect("runs");
            assert!(out.status.code().is_some());
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    median(times)
}

/// Peak RSS in MB of one run, from GNU time (`None` without /usr/bin/time).
fn peak_rss_mb(cmd: Command) -> Option<f64> {
    if !Path::new("/usr/bin/time").exists() {
        return None;
    }
    let mut timed = Command::new("/usr/bin/time");
    timed.arg("-f").arg("%M").arg(cmd.get_program()).args(cmd.get_args());
    timed.env_clear().envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))));
    if let Some(dir) = cmd.get_current_dir() {
        timed.current_dir(dir);
    }
    let out = timed.output().ok()?;
    let kb: f64 = String::from_utf8_lossy(&out.stderr).lines().last()?.trim().parse().ok()?;
    Some(kb / 1024.0)
}

/// The official client's `kaggle competitions list` against the fake (spec §4).
fn python_client(sb: &Sandbox) -> Option<f64> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/oracle-venvs/kaggle-2.2.5");
    if !venv.join("bin/kaggle").exists() {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/oracle-venvs.sh");
        let ok = Command::new(script).args(["target/oracle-venvs", "2.2.5"]).status().ok()?.success();
        if !ok {
            return None;
        }
    }
    let proxy = format!("http://127.0.0.1:{}", sb.fake.port());
    Some(wall(|| {
        let mut cmd = Command::new(venv.join("bin/kaggle"));
        cmd.args(["competitions", "list"]).env_clear().envs(sb.env.iter().cloned()).current_dir(&sb.cwd);
        cmd.env("KAGGLE_API_ENVIRONMENT", "LOCALHOST").env("HTTP_PROXY", &proxy);
        cmd.env("PATH", format!("{}:/usr/bin:/bin", venv.join("bin").display()));
        cmd
    }))
}

/// Wall time of the probe engine alone over `cells` anonymous requests, median.
fn engine(sb: &Sandbox, cells: usize) -> f64 {
    let times = (0..runs())
        .map(|_| {
            let plan: Vec<PlannedCell> = (0..cells)
                .map(|i| PlannedCell {
                    source: SourceId::Anonymous,
                    endpoint: CATALOG[i % CATALOG.len()].id,
                    action: Action::Probe(None),
                })
                .collect();
            let settings = probe::Settings {
                root: sb.fake.root(),
                competition: "titanic".into(),
                named: Default::default(),
                jobs: cells.min(kaggle_auth_doctor::config::MAX_DEFAULT_JOBS),
                probe_timeout: Duration::from_secs(10),
                deadline: Instant::now() + Duration::from_secs(30),
                https_proxy: None,
                http_proxy: None,
                no_proxy: None,
                ca_bundle_pem: None,
                legacy_root: None,
                completed: Default::default(),
                scrubber: Default::default(),
                setup_error: None,
            };
            let start = Instant::now();
            probe::run(&settings, plan).expect("probes run");
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    median(times)
}

fn main() {
    println!("# kaggle-auth-doctor benchmark ({} runs per measurement, medians)\n", runs());
    let size = std::fs::metadata(BIN).map(|m| m.len() as f64 / 1e6).unwrap_or(0.0);
    println!("binary: {BIN} ({size:.1} MB)\n");
    println!("| fake latency | full matrix (probes) | ÷ latency | --jobs 1 | speed-up | peak RSS |");
    println!("|---:|---:|---:|---:|---:|---:|");
    let mut zero_latency_matrix = 0.0;
    for latency in [0u64, 100, 300] {
        let sb = sandbox("every-source", latency);
        let full = wall(|| doctor(&sb, &[]));
        // Serial runs take seconds each (and hit the 15 s deadline at 300 ms): fewer runs.
        let serial = wall_n(runs().div_ceil(3), || doctor(&sb, &["--jobs", "1"]));
        let rss = peak_rss_mb(doctor(&sb, &[])).map_or("n/a".into(), |mb| format!("{mb:.1} MB"));
        let ratio = if latency == 0 { "-".into() } else { format!("{:.2}", full / latency as f64) };
        println!("| {latency} ms | {full:.1} ms (106) | {ratio} | {serial:.1} ms | {:.1}× | {rss} |", serial / full);
        if latency == 0 {
            zero_latency_matrix = full;
        }
    }
    let sb = sandbox("every-source", 0);
    let offline = wall(|| doctor(&sb, &["--offline"]));
    println!("\n--offline (every source, no request): {offline:.1} ms");
    match python_client(&sb) {
        Some(py) => println!(
            "official client `kaggle competitions list` (2.2.5, one call, no latency): {py:.1} ms = {:.1}× our full matrix ({zero_latency_matrix:.1} ms)",
            py / zero_latency_matrix
        ),
        None => println!("official client: not measured (no venv; scripts/oracle-venvs.sh failed)"),
    }
    println!("\n## Scaling: the probe engine alone, 100 ms latency, default --jobs (min(cells, 128))\n");
    println!("| cells | wall | ÷ latency |");
    println!("|---:|---:|---:|");
    let sb = sandbox("all-good", 100);
    for cells in [1, 10, 27, 106, 128, 129, 256, 500] {
        let ms = engine(&sb, cells);
        println!("| {cells} | {ms:.1} ms | {:.2} |", ms / 100.0);
    }
}
