//! The last resort: ask the interpreter itself, when no layout on disk is one we know.
//!
//! Starting Python is slow (30–70 ms) and must never run a file of the user's: with `-c`
//! Python puts the working directory first on `sys.path`, so a `csv.py` or `email.py` in a
//! cloned repository would run. So the interpreter runs isolated (`-I`: no working
//! directory or user site on `sys.path`, no `PYTHON*` variables), from `/` (never the
//! user's working directory), with a cleared environment, and it is killed when the
//! run's `--timeout` deadline passes.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::metadata::{self, Version};
use super::{Detected, Found, VersionFrom};
use crate::discover::Env;
use crate::report::sanitize;

/// Prints `name version` for each installed client; never imports them.
const QUERY: &str = "import importlib.metadata as m\nfor d in ('kaggle', 'kagglehub'):\n    try:\n        print(d, m.version(d))\n    except Exception:\n        pass";

/// Never wait longer than this, whatever the deadline.
const MAX_WAIT: Duration = Duration::from_secs(5);

/// The variables the interpreter (or a launcher like a pyenv shim) may need to start.
const PASSED: [&str; 5] = ["PATH", "HOME", "PYENV_ROOT", "PYENV_VERSION", "SYSTEMROOT"];

/// Asks `python` for the installed versions, stopping at `deadline`.
pub fn query(python: &Path, env: &Env, deadline: Instant) -> Detected {
    let shown = env.display(python);
    let wait = deadline.saturating_duration_since(Instant::now()).min(MAX_WAIT);
    let Some(answer) = run(python, env, wait) else {
        return Detected {
            note: Some(format!(
                "{} -I did not answer before the deadline and was stopped",
                sanitize::for_terminal(&shown)
            )),
            ..Detected::default()
        };
    };
    let mut found = Detected::default();
    for (name, raw) in answer.lines().filter_map(|l| l.split_once(' ')) {
        let slot = match name {
            "kaggle" => &mut found.kaggle,
            "kagglehub" => &mut found.kagglehub,
            _ => continue,
        };
        let version = match metadata::classify(raw.trim()) {
            Version::Valid(v) | Version::Invalid(v) => v,
            Version::Unreadable(_) => continue,
        };
        let from = format!(
            "{} -I, importlib.metadata: no known layout on disk, Python started",
            sanitize::for_terminal(&shown)
        );
        let python = Some(sanitize::for_terminal(&python.display().to_string()));
        slot.get_or_insert(Found { version, from, how: VersionFrom::Interpreter, python });
    }
    found
}

/// Runs the query; `None` when it did not finish within `wait`.
fn run(python: &Path, env: &Env, wait: Duration) -> Option<String> {
    let mut cmd = Command::new(python);
    cmd.args(["-I", "-c", QUERY]).current_dir(safe_dir(python)).env_clear();
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::null());
    for name in PASSED {
        if let Some(value) = env.raw(name) {
            cmd.env(name, value);
        }
    }
    let mut child = cmd.spawn().ok()?;
    let mut stdout = child.stdout.take()?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.by_ref().take(4096).read_to_end(&mut bytes);
        let _ = tx.send(String::from_utf8_lossy(&bytes).into_owned());
    });
    let answer = rx.recv_timeout(wait);
    if answer.is_err() {
        let _ = child.kill();
    }
    let _ = child.wait();
    answer.ok()
}

/// A working directory that holds no file of the user's: the filesystem root (on Windows
/// the interpreter's own directory).
fn safe_dir(python: &Path) -> &Path {
    if cfg!(windows) { python.parent().unwrap_or(Path::new("\\")) } else { Path::new("/") }
}
