//! Which kaggle client is installed, found without importing it: `import kaggle`
//! authenticates over the network and creates directories (docs/client-behaviour.md).
//!
//! The version comes from the installed distribution's metadata file, read directly from
//! the site directories that the interpreter of the `kaggle` on PATH (from its `#!` line),
//! then the `python3` on PATH, would search ([`layout`], [`metadata`]): no Python starts, so
//! `--offline` stays in milliseconds and no file of the user's can run. Only when neither
//! interpreter's layout is one we know is the interpreter asked, isolated and inside the
//! run's deadline ([`interpreter`]). The report says which way the version was found.
//!
//! A `kaggle` or `python3` on PATH counts only if it is a regular file we may execute, as
//! for the shell: a mode-644 `kaggle` is not a command and its `#!` line is never followed.

mod interpreter;
pub mod layout;
pub mod metadata;

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use super::Env;
use crate::report::sanitize;
use layout::{Flags, Layout};
use metadata::Version;

/// How a client version was found: a public JSON contract (`client.version_from`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VersionFrom {
    /// `--client-version`.
    Option,
    /// Read from the installed distribution's metadata file; no Python started.
    Metadata,
    /// Asked an isolated interpreter (no known layout on disk).
    Interpreter,
    /// Not found: the newest modelled release is assumed.
    Assumed,
}

/// A client version found on this machine, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The version from the distribution metadata; escaped when it is not a version.
    pub version: String,
    /// Where, in words: which metadata file in which site directory, or which interpreter.
    pub from: String,
    /// Which way it was found.
    pub how: VersionFrom,
    /// The interpreter that runs it (for fixes such as `PYTHON -m pip install …`).
    pub python: Option<String>,
}

/// The clients found: the kaggle CLI and kagglehub.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Detected {
    /// The `kaggle` distribution.
    pub kaggle: Option<Found>,
    /// The `kagglehub` distribution.
    pub kagglehub: Option<Found>,
    /// Something the report should say about the search (an interpreter that timed out).
    pub note: Option<String>,
}

/// The command names looked up on PATH.
const KAGGLE: &[&str] = if cfg!(windows) { &["kaggle.exe", "kaggle"] } else { &["kaggle"] };
const PYTHON: &[&str] = if cfg!(windows) { &["python.exe", "python3.exe"] } else { &["python3"] };

/// Finds the installed kaggle and kagglehub; never runs past `deadline`.
pub fn detect(env: &Env, deadline: Instant) -> Detected {
    let layouts = layouts(env);
    if layouts.iter().any(|l| l.recognised) {
        return Detected {
            kaggle: from_layouts(&layouts, "kaggle", env),
            kagglehub: from_layouts(&layouts, "kagglehub", env),
            note: None,
        };
    }
    match layouts.iter().find(|l| l.interpreter.is_absolute() && is_executable(&l.interpreter)) {
        Some(layout) => interpreter::query(&layout.interpreter, env, deadline),
        None => Detected::default(),
    }
}

/// The layouts to search, in order: the `kaggle` script's interpreter, then `python3`.
pub fn layouts(env: &Env) -> Vec<Layout> {
    let which = |names: &[&str]| names.iter().find_map(|name| which(env, name));
    let mut out = Vec::new();
    if let Some(script) = which(KAGGLE) {
        out.extend(layout::of_script(&script, env, |name| which(&[name])));
    }
    if let Some(python) = which(PYTHON) {
        if out.iter().all(|l| l.interpreter != python) {
            out.push(layout::of_interpreter(&python, Flags::default(), env));
        }
    }
    out
}

/// The first `name` distribution in the layouts' site directories, in search order.
fn from_layouts(layouts: &[Layout], name: &str, env: &Env) -> Option<Found> {
    layouts.iter().find_map(|layout| {
        layout.sites.iter().find_map(|site| {
            let dist = metadata::find(site, name)?;
            let version = match metadata::version(&dist) {
                Version::Valid(v) | Version::Invalid(v) => v,
                Version::Unreadable(_) => "unknown".to_string(),
            };
            let from = format!(
                "{} in {} ({} of {}; read, no Python started)",
                dist.entry,
                env.display(site),
                layout.kind,
                env.display(&layout.interpreter)
            );
            Some(Found {
                version,
                from: sanitize::for_terminal(&from),
                how: VersionFrom::Metadata,
                python: Some(sanitize::for_terminal(&layout.interpreter.display().to_string())),
            })
        })
    })
}

/// The first file named `name` in the snapshot's PATH that is a command: a regular file
/// we may execute. Relative and empty PATH entries (the working directory) are skipped.
fn which(env: &Env, name: &str) -> Option<PathBuf> {
    let path = env.raw("PATH")?;
    std::env::split_paths(path).filter(|d| d.is_absolute()).map(|dir| dir.join(name)).find(|p| is_executable(p))
}

/// A regular file (after symlinks) that this process may execute.
pub fn is_executable(path: &Path) -> bool {
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let Ok(c_path) = std::ffi::CString::new(path.as_os_str().as_bytes()) else { return false };
        // SAFETY: `c_path` is a valid NUL-terminated string that outlives the call.
        unsafe { libc::access(c_path.as_ptr(), libc::X_OK) == 0 }
    }
    #[cfg(not(unix))]
    true
}

#[cfg(test)]
mod tests;
