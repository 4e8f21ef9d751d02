//! A snapshot of everything outside the process that discovery may look at: environment
//! variables, the home directory, the working directory and the OS family.
//!
//! Discovery never calls `std::env` itself. The real run takes [`Env::from_process`];
//! `demo` and the unit tests build an `Env` for a sandbox, so they can never read the
//! user's real credentials.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

/// Process environment, home and working directory as discovery sees them.
#[derive(Clone, Debug, Default)]
pub struct Env {
    vars: BTreeMap<OsString, OsString>,
    /// `~` as the client expands it (`$HOME`, else the password database).
    pub home: Option<PathBuf>,
    /// The working directory: relative `KAGGLE_API_TOKEN` paths and `.env` resolve here.
    pub cwd: PathBuf,
    /// True on Linux, where the client falls back to the XDG config dir.
    pub linux: bool,
    /// Facts about the host that no variable tells (WSL kernel, container marker files);
    /// always false in a sandbox.
    pub host: Host,
}

/// Host facts read once from the real system.
#[derive(Clone, Copy, Debug, Default)]
pub struct Host {
    /// True for the real machine, false in a sandbox.
    pub real: bool,
    /// The kernel is WSL's (`/proc/version` mentions Microsoft).
    pub wsl: bool,
    /// A container marker exists (`/.dockerenv`, `/run/.containerenv`).
    pub container: bool,
}

impl Env {
    /// This machine's host name (for reports; `--redact strict` hides it).
    pub fn host_name(&self) -> String {
        if self.host.real {
            let from_kernel = std::fs::read_to_string("/proc/sys/kernel/hostname").ok();
            let name = from_kernel
                .or_else(|| self.non_empty("HOSTNAME").or_else(|| self.non_empty("COMPUTERNAME")).map(str::to_string));
            if let Some(name) = name {
                return name.trim().to_string();
            }
        }
        "sandbox-host".to_string()
    }
}

/// A variable's value, as the client would see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Var<'a> {
    /// Set to valid UTF-8 (possibly empty).
    Text(&'a str),
    /// Set, but not valid UTF-8: Python would see surrogate escapes; we cannot send it.
    NotUnicode,
}

impl Env {
    /// The environment of this process.
    pub fn from_process() -> Self {
        Env {
            vars: std::env::vars_os().collect(),
            home: dirs::home_dir(),
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            linux: cfg!(target_os = "linux"),
            host: Host {
                real: true,
                wsl: std::fs::read_to_string("/proc/version").is_ok_and(|v| v.to_lowercase().contains("microsoft")),
                container: Path::new("/.dockerenv").exists() || Path::new("/run/.containerenv").exists(),
            },
        }
    }

    /// An empty environment rooted at `home` and `cwd` (for sandboxes and tests).
    pub fn sandbox(home: &Path, cwd: &Path) -> Self {
        let mut env = Env {
            vars: BTreeMap::new(),
            home: Some(home.to_path_buf()),
            cwd: cwd.to_path_buf(),
            linux: true,
            host: Host::default(),
        };
        env.set("HOME", home.as_os_str());
        env
    }

    /// Sets a variable in this snapshot (never in the process).
    pub fn set(&mut self, name: impl Into<OsString>, value: impl Into<OsString>) {
        self.vars.insert(name.into(), value.into());
    }

    /// Every variable of the snapshot.
    pub fn vars(&self) -> impl Iterator<Item = (&OsStr, &OsStr)> {
        self.vars.iter().map(|(k, v)| (k.as_os_str(), v.as_os_str()))
    }

    /// The raw value of a variable.
    pub fn raw(&self, name: &str) -> Option<&OsStr> {
        self.vars.get(OsStr::new(name)).map(OsString::as_os_str)
    }

    /// The value of a variable, if set.
    pub fn var(&self, name: &str) -> Option<Var<'_>> {
        self.raw(name).map(|v| v.to_str().map_or(Var::NotUnicode, Var::Text))
    }

    /// The value if set, valid UTF-8 and non-empty.
    pub fn non_empty(&self, name: &str) -> Option<&str> {
        match self.var(name) {
            Some(Var::Text(v)) if !v.is_empty() => Some(v),
            _ => None,
        }
    }

    /// True when the variable exists at all (even empty).
    pub fn is_set(&self, name: &str) -> bool {
        self.raw(name).is_some()
    }

    /// `path` under the home directory, if there is one.
    pub fn in_home(&self, rel: &str) -> Option<PathBuf> {
        self.home.as_ref().map(|h| h.join(rel))
    }

    /// A path for display: the home prefix becomes `~`.
    pub fn display(&self, path: &Path) -> String {
        if let Some(rest) = self.home.as_ref().and_then(|h| path.strip_prefix(h).ok()) {
            if rest.as_os_str().is_empty() {
                return "~".to_string();
            }
            return format!("~/{}", rest.display());
        }
        path.display().to_string()
    }

    /// Resolves a possibly relative path against the working directory, as Python does.
    pub fn resolve(&self, path: &str) -> PathBuf {
        self.cwd.join(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_replaces_home_with_tilde() {
        let env = Env::sandbox(Path::new("/h/u"), Path::new("/w"));
        assert_eq!(env.display(Path::new("/h/u/.kaggle/kaggle.json")), "~/.kaggle/kaggle.json");
        assert_eq!(env.display(Path::new("/etc/x")), "/etc/x");
    }

    #[test]
    fn empty_values_are_set_but_not_non_empty() {
        let mut env = Env::sandbox(Path::new("/h"), Path::new("/w"));
        env.set("KAGGLE_KEY", "");
        assert!(env.is_set("KAGGLE_KEY"));
        assert_eq!(env.non_empty("KAGGLE_KEY"), None);
        assert_eq!(env.var("KAGGLE_KEY"), Some(Var::Text("")));
    }
}
