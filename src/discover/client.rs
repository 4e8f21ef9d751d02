//! Which kaggle client is installed, found without importing it: `import kaggle`
//! authenticates over the network and creates directories (spec §1.1, B9, B19). The
//! version comes from the installed distribution's metadata, read by the Python that the
//! `kaggle` on PATH runs with, else by the plain `python3`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use super::Env;

/// How long one interpreter may take to answer.
const PYTHON_TIMEOUT: Duration = Duration::from_secs(5);

/// Prints `name version` for each installed client; never imports them.
const QUERY: &str = "import importlib.metadata as m\nfor d in ('kaggle', 'kagglehub'):\n    try:\n        print(d, m.version(d))\n    except Exception:\n        pass";

/// A client version found on this machine, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The version string from the distribution metadata.
    pub version: String,
    /// Where: which `kaggle` and which interpreter.
    pub from: String,
}

/// The clients found: the kaggle CLI and kagglehub.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Detected {
    /// The `kaggle` distribution.
    pub kaggle: Option<Found>,
    /// The `kagglehub` distribution.
    pub kagglehub: Option<Found>,
}

/// Looks for the installed clients with the Python of the `kaggle` on PATH, then with
/// `python3` (one interpreter run each, at most two).
pub fn detect(env: &Env) -> Detected {
    let mut found = Detected::default();
    let script = which(env, "kaggle");
    let mut interpreters = Vec::new();
    if let Some(python) = script.as_ref().and_then(|s| interpreter_of(s, env)) {
        let label = format!("{} → {}", env.display(script.as_ref().expect("checked")), python.display());
        interpreters.push((python, label));
    }
    if let Some(python) = which(env, "python3") {
        if interpreters.iter().all(|(p, _)| *p != python) {
            let label = env.display(&python);
            interpreters.push((python, label));
        }
    }
    for (python, label) in interpreters {
        for line in versions_from(&python, env) {
            let Some((name, version)) = line.split_once(' ') else { continue };
            let slot = match name {
                "kaggle" => &mut found.kaggle,
                "kagglehub" => &mut found.kagglehub,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(Found { version: version.trim().to_string(), from: format!("{label} metadata") });
            }
        }
    }
    found
}

/// The first executable file named `name` in the snapshot's PATH.
fn which(env: &Env, name: &str) -> Option<PathBuf> {
    let path = env.raw("PATH")?;
    std::env::split_paths(path).map(|dir| dir.join(name)).find(|p| p.is_file())
}

/// The interpreter of a Python console script, from its `#!` line.
fn interpreter_of(script: &Path, env: &Env) -> Option<PathBuf> {
    let mut head = [0u8; 256];
    let n = std::fs::File::open(script).ok()?.read(&mut head).ok()?;
    let line = std::str::from_utf8(&head[..n]).ok()?.lines().next()?.strip_prefix("#!")?.trim();
    let mut words = line.split_whitespace();
    let program = words.next()?;
    if program.ends_with("/env") {
        return which(env, words.find(|w| !w.starts_with('-'))?);
    }
    Some(PathBuf::from(program))
}

/// Runs `python -c QUERY` with the snapshot's PATH and HOME, bounded in time.
fn versions_from(python: &Path, env: &Env) -> Vec<String> {
    version_query(python, env).map(|out| out.lines().map(str::to_string).collect()).unwrap_or_default()
}

fn version_query(python: &Path, env: &Env) -> Option<String> {
    let mut cmd = Command::new(python);
    cmd.arg("-c").arg(QUERY).env_clear().stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::null());
    for name in ["PATH", "HOME", "PYTHONPATH", "PYTHONHOME", "PYTHONUSERBASE", "VIRTUAL_ENV"] {
        if let Some(value) = env.raw(name) {
            cmd.env(name, value);
        }
    }
    let mut child = cmd.spawn().ok()?;
    let mut stdout = child.stdout.take()?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.by_ref().take(4096).read_to_string(&mut text);
        let _ = tx.send(text);
    });
    let answer = rx.recv_timeout(PYTHON_TIMEOUT);
    if answer.is_err() {
        let _ = child.kill();
    }
    let _ = child.wait();
    let version = answer.ok()?.trim().to_string();
    (!version.is_empty()).then_some(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_direct_and_env_shebangs() {
        let dir = tempfile::tempdir().unwrap();
        let mut env = Env::sandbox(dir.path(), dir.path());
        let script = dir.path().join("kaggle");
        std::fs::write(&script, "#!/opt/venv/bin/python3\nimport sys\n").unwrap();
        assert_eq!(interpreter_of(&script, &env), Some(PathBuf::from("/opt/venv/bin/python3")));
        std::fs::write(dir.path().join("python3"), "").unwrap();
        env.set("PATH", dir.path());
        std::fs::write(&script, "#!/usr/bin/env python3\n").unwrap();
        assert_eq!(interpreter_of(&script, &env), Some(dir.path().join("python3")));
    }

    #[test]
    fn nothing_is_found_without_a_path() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(detect(&Env::sandbox(dir.path(), dir.path())), Detected::default());
    }
}
