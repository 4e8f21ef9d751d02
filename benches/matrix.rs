//! The speed benchmark (`cargo bench`), documented in docs/performance.md.
//!
//! Starts the fake Kaggle API with an injected per-answer latency, runs the release
//! binary over a sandbox holding every credential source (the full matrix), and prints
//! medians: wall time, its ratio to one request's latency and to `--jobs 1`, peak RSS,
//! `--offline`; the official Python client's single `kaggle competitions list` against
//! the same fake; a cold-start breakdown per stage (the binary's `KAD_TIMINGS` trace);
//! and how wall time grows with the number of cells.
//!
//! The doctor runs as users have it: `PATH` is a venv's `bin` (kaggle 2.2.5 and kagglehub
//! installed, a Python interpreter) followed by `/usr/bin:/bin`, and no `--client-version`,
//! so version detection is part of every run. The venv is `$KAD_BENCH_VENV` if set, else
//! `target/bench-venv`, built once with pip (skipped, with a message, when that fails).
//! BENCH_RUNS sets the runs per measurement (default 11); KAD_BENCH_BIN times another
//! build of the doctor (for before/after comparisons).

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

fn bin() -> PathBuf {
    std::env::var_os("KAD_BENCH_BIN")
        .map_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_kaggle-auth-doctor")), PathBuf::from)
}

/// The user's venv: kaggle 2.2.5 and kagglehub, built once under target/.
fn user_venv() -> Option<PathBuf> {
    if let Some(venv) = std::env::var_os("KAD_BENCH_VENV") {
        return Some(PathBuf::from(venv));
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-venv");
    let ready = |v: &Path| v.join("bin/kaggle").exists() && has_dist(v, "kagglehub-");
    if ready(&venv) {
        return Some(venv);
    }
    println!("building {} (python3 -m venv; pip install kaggle==2.2.5 kagglehub six)…", venv.display());
    let _ = std::fs::remove_dir_all(&venv);
    let ok = Command::new("python3").args(["-m", "venv"]).arg(&venv).status().is_ok_and(|s| s.success())
        && Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "kaggle==2.2.5", "kagglehub", "six"])
            .status()
            .is_ok_and(|s| s.success());
    (ok && ready(&venv)).then_some(venv)
}

fn has_dist(venv: &Path, prefix: &str) -> bool {
    let Ok(libs) = std::fs::read_dir(venv.join("lib")) else { return false };
    libs.filter_map(Result::ok).any(|lib| {
        std::fs::read_dir(lib.path().join("site-packages"))
            .is_ok_and(|mut d| d.any(|e| e.is_ok_and(|e| e.file_name().to_string_lossy().starts_with(prefix))))
    })
}

fn runs() -> usize {
    std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(11)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

/// A sandbox laid out from a scenario, its environment (with the user's PATH), and the
/// fake API with `latency`.
struct Sandbox {
    _dir: sandbox::Sandbox,
    cwd: PathBuf,
    env: Vec<(String, String)>,
    fake: FakeServer,
}

fn sandbox(scenario: &str, latency_ms: u64, venv: Option<&Path>) -> Sandbox {
    let s = Scenario::load(scenario).expect("scenario");
    let dir = sandbox::Sandbox::new();
    let mut env = dir.lay_out(&s.local);
    env.push(("HOME".into(), dir.home.to_string_lossy().into_owned()));
    let path = venv.map_or("/usr/bin:/bin".to_string(), |v| format!("{}:/usr/bin:/bin", v.join("bin").display()));
    env.push(("PATH".into(), path));
    let fake = FakeServer::start(&s.server, Extras { fault: None, latency_ms, barrier: 0, ..Extras::default() });
    Sandbox { cwd: dir.cwd.clone(), _dir: dir, env, fake }
}

fn doctor(sb: &Sandbox, args: &[&str]) -> Command {
    let mut cmd = Command::new(bin());
    cmd.env_clear().envs(sb.env.iter().cloned()).current_dir(&sb.cwd);
    cmd.args(["--endpoint", &sb.fake.root(), "--format", "json"]).args(args);
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

/// The official client's `kaggle competitions list` against the fake (client-behaviour.md).
fn python_client(sb: &Sandbox, venv: &Path) -> Option<f64> {
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

/// Median per stage of the binary's `KAD_TIMINGS` trace, plus what the trace cannot see:
/// process start and exit (wall time minus the traced total).
fn breakdown(mut make: impl FnMut() -> Command) -> Vec<(String, f64)> {
    let mut stages: Vec<(String, Vec<f64>)> = Vec::new();
    let mut add = |name: &str, ms: f64| match stages.iter_mut().find(|(n, _)| n == name) {
        Some((_, xs)) => xs.push(ms),
        None => stages.push((name.to_string(), vec![ms])),
    };
    for _ in 0..runs() {
        let start = Instant::now();
        let out = make().env("KAD_TIMINGS", "1").output().expect("runs");
        let wall = start.elapsed().as_secs_f64() * 1000.0;
        let mut total = wall;
        for line in String::from_utf8_lossy(&out.stderr).lines() {
            let Some((name, ms)) = line.strip_prefix("kad-timing ").and_then(|l| l.rsplit_once(": ")) else { continue };
            let Ok(ms) = ms.parse::<f64>() else { continue };
            if name == "total" {
                total = ms;
            }
            add(name, ms);
        }
        add("process start and exit (wall − total)", wall - total);
        add("wall", wall);
    }
    stages.into_iter().map(|(n, xs)| (n, median(xs))).collect()
}

fn print_breakdown(title: &str, rows: &[(String, f64)]) {
    println!("\n{title}\n\n| stage | median |\n|---|---:|");
    for (name, ms) in rows {
        println!("| {name} | {ms:.2} ms |");
    }
}

fn target(name: &str, value: String, goal: &str, met: bool) {
    println!("| {name} | {value} | {goal} {} |", if met { "✅" } else { "❌" });
}

fn main() {
    let venv = user_venv();
    println!("# kaggle-auth-doctor benchmark ({} runs per measurement, medians)\n", runs());
    let size = std::fs::metadata(bin()).map(|m| m.len() as f64 / 1e6).unwrap_or(0.0);
    println!("binary: {} ({size:.1} MB)", bin().display());
    match &venv {
        Some(v) => {
            println!("PATH: {}/bin:/usr/bin:/bin (kaggle 2.2.5, kagglehub, python3: as users have them)\n", v.display())
        }
        None => {
            println!("PATH: /usr/bin:/bin: NO USER VENV (pip failed; set KAD_BENCH_VENV): not the realistic setup\n")
        }
    }
    let venv = venv.as_deref();
    println!("| fake latency | full matrix (requests) | ÷ latency | --jobs 1 | speed-up | peak RSS |");
    println!("|---:|---:|---:|---:|---:|---:|");
    let (mut matrix_0, mut matrix_100, mut peak) = (0.0, 0.0, 0.0f64);
    for latency in [0u64, 100, 300] {
        let sb = sandbox("every-source", latency, venv);
        let before = sb.fake.hits().len();
        doctor(&sb, &[]).output().expect("runs");
        let requests = sb.fake.hits().len() - before;
        let full = wall(|| doctor(&sb, &[]));
        // Serial runs take seconds each (and hit the 15 s deadline at 300 ms): fewer runs.
        let serial = wall_n(runs().div_ceil(3), || doctor(&sb, &["--jobs", "1"]));
        let rss = peak_rss_mb(doctor(&sb, &[]));
        peak = peak.max(rss.unwrap_or(0.0));
        let rss = rss.map_or("n/a".into(), |mb| format!("{mb:.1} MB"));
        let ratio = if latency == 0 { "-".into() } else { format!("{:.2}", full / latency as f64) };
        println!(
            "| {latency} ms | {full:.1} ms ({requests}) | {ratio} | {serial:.1} ms | {:.1}× | {rss} |",
            serial / full
        );
        match latency {
            0 => matrix_0 = full,
            100 => matrix_100 = full,
            _ => {}
        }
    }
    let sb = sandbox("every-source", 0, venv);
    let offline = wall(|| doctor(&sb, &["--offline"]));
    println!("\n--offline (every source, no request): {offline:.1} ms");
    let py = venv.and_then(|v| python_client(&sb, v));
    match py {
        Some(py) => println!(
            "official client `kaggle competitions list` (2.2.5, one call, no latency): {py:.1} ms = {:.1}× our full matrix ({matrix_0:.1} ms)",
            py / matrix_0
        ),
        None => println!("official client: not measured (no venv)"),
    }
    println!("\n## Targets\n\n| measure | result | target |\n|---|---:|---:|");
    target("`--offline`", format!("{offline:.1} ms"), "≤ 10 ms", offline <= 10.0);
    if let Some(py) = py {
        let x = py / matrix_0;
        target(
            "official call ÷ full matrix, 0 ms",
            format!("{py:.0} ÷ {matrix_0:.1} ms = {x:.1}×"),
            "≥ 15×",
            x >= 15.0,
        );
    }
    target(
        "full matrix, 100 ms latency",
        format!("{matrix_100:.1} ms"),
        "≤ 1.3 × 100 + 50 = 180 ms",
        matrix_100 <= 180.0,
    );
    target("peak RSS", format!("{peak:.1} MB"), "≤ 30 MB", peak > 0.0 && peak <= 30.0);
    println!("\n## Cold start, stage by stage (KAD_TIMINGS=1)");
    print_breakdown("`--offline`:", &breakdown(|| doctor(&sb, &["--offline"])));
    print_breakdown("Full matrix, 0 ms latency:", &breakdown(|| doctor(&sb, &[])));
    println!("\n## Scaling: the probe engine alone, 100 ms latency, default --jobs (min(cells, 128))\n");
    println!("| cells | wall | ÷ latency |");
    println!("|---:|---:|---:|");
    let sb = sandbox("all-good", 100, venv);
    for cells in [1, 10, 27, 106, 128, 129, 256, 500] {
        let ms = engine(&sb, cells);
        println!("| {cells} | {ms:.1} ms | {:.2} |", ms / 100.0);
    }
}
