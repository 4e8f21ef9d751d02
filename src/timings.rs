//! An opt-in cold-start trace for the benchmark (docs/performance.md): with `KAD_TIMINGS=1`
//! in the environment, each stage's wall time goes to stderr at the end of the run as
//! `kad-timing STAGE MILLISECONDS` lines. It is never part of normal output, and when it
//! is off a stage costs one atomic load.
//!
//! Stages run one after the other, but not every moment is in a stage (building the
//! report, the progress display), so they do not quite add up to `total`; `total` is
//! from the start of `main` to the end of rendering.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

static START: OnceLock<Instant> = OnceLock::new();
static ON: AtomicBool = AtomicBool::new(false);
static MARKS: Mutex<Vec<(&'static str, Duration)>> = Mutex::new(Vec::new());

/// Marks the start of the process's own work (first thing in `main`).
pub fn start() {
    START.get_or_init(Instant::now);
}

/// Turns the trace on (`KAD_TIMINGS` set and not `0`), recording the start-up so far.
pub fn enable(on: bool) {
    ON.store(on, Ordering::Relaxed);
    if on {
        let since = *START.get_or_init(Instant::now);
        record("startup: arguments, environment, config", since.elapsed());
    }
}

/// Runs `f`, recording its wall time as `name` when the trace is on.
pub fn stage<T>(name: &'static str, f: impl FnOnce() -> T) -> T {
    if !ON.load(Ordering::Relaxed) {
        return f();
    }
    let started = Instant::now();
    let out = f();
    record(name, started.elapsed());
    out
}

fn record(name: &'static str, took: Duration) {
    MARKS.lock().unwrap_or_else(|e| e.into_inner()).push((name, took));
}

/// Writes the trace to stderr (nothing when it is off).
pub fn finish() {
    if !ON.load(Ordering::Relaxed) {
        return;
    }
    let total = START.get().map(Instant::elapsed).unwrap_or_default();
    let mut text = String::new();
    for (name, took) in MARKS.lock().unwrap_or_else(|e| e.into_inner()).iter() {
        text.push_str(&format!("kad-timing {name}: {:.3}\n", took.as_secs_f64() * 1000.0));
    }
    text.push_str(&format!("kad-timing total: {:.3}\n", total.as_secs_f64() * 1000.0));
    let _ = std::io::stderr().write_all(text.as_bytes());
}
