//! Directories the client needs, when they are there but cannot serve: `~/.kaggle` (token
//! files and credentials.json always live there, kaggle.json by default) and the config
//! dir kaggle.json is read from (`KAGGLE_CONFIG_DIR`, or the Linux XDG dir).
//!
//! What the client does then follows from Python's two ways of asking "is it there?"
//! (docs/client-behaviour.md): `os.path.exists` is false on any error, so kaggle.json and
//! credentials.json behind a file, a dangling symlink, a loop or a refusal are simply not
//! found, and a `~/.kaggle` that does not "exist" sends Linux clients to the XDG dir;
//! `pathlib.Path.exists` (kagglesdk's token search, Python 3.11/3.12) raises on a refusal,
//! so kaggle 1.8+ crash there. And the config dir is created at import with
//! `os.makedirs` when `os.path.exists` says it is not there: over a dangling symlink, a
//! loop or a file on the way, that raises and the client stops before anything else.
//! Each case is told apart here so that no row claims a file that cannot exist and no fix
//! moves a file into a directory that is not one.

use std::fs;
use std::io::ErrorKind;
use std::path::Path;

use serde::Serialize;

use super::{Discovery, Env};

/// Why a directory is there but unusable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trouble {
    /// A symlink to nothing.
    Dangling,
    /// A symlink loop.
    Loop,
    /// A regular file (or FIFO, device…) where the directory belongs.
    NotADirectory,
    /// A directory this user may not search (mode 000 or 600, owned by root after `sudo`).
    Denied,
}

impl Trouble {
    /// For sentences: "~/.kaggle {is a symlink to nothing}".
    pub fn words(self) -> &'static str {
        match self {
            Trouble::Dangling => "is a symlink to nothing",
            Trouble::Loop => "is a symlink loop",
            Trouble::NotADirectory => "is a file, not a directory",
            Trouble::Denied => "refuses access (permission denied)",
        }
    }
}

/// Which directory it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// `$HOME/.kaggle`.
    DotKaggle,
    /// The config dir kaggle.json is read from, when it is not `~/.kaggle`.
    ConfigDir,
}

/// A directory that is there but unusable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnusableDir {
    /// The path, home shown as `~`.
    pub shown: String,
    /// `~/.kaggle` or the config dir.
    pub role: Role,
    /// What is wrong.
    pub trouble: Trouble,
}

/// `~/.kaggle` and the config dir: which is unusable, and whether creating the config dir
/// at import raises.
pub(super) fn look(env: &Env, d: &mut Discovery) {
    let dot_kaggle = env.in_home(".kaggle");
    if let Some(path) = &dot_kaggle {
        if let Some(trouble) = trouble(path) {
            d.unusable_dirs.push(UnusableDir { shown: env.display(path), role: Role::DotKaggle, trouble });
        }
    }
    let shown = |p: &Path| env.display(p);
    if let Some(dir) = d.config_dir.as_ref() {
        if Some(&dir.path) != dot_kaggle.as_ref() {
            if let Some(trouble) = trouble(&dir.path) {
                d.unusable_dirs.push(UnusableDir { shown: env.display(&dir.path), role: Role::ConfigDir, trouble });
            }
        }
        d.import_crash = import_crash(&dir.path, &shown);
    }
    // kaggle 1.5 has no XDG rule: KAGGLE_CONFIG_DIR, else ~/.kaggle.
    let legacy15 = match env.non_empty("KAGGLE_CONFIG_DIR") {
        Some(dir) => Some(env.resolve(dir)),
        None => dot_kaggle,
    };
    d.import_crash_legacy15 = legacy15.and_then(|dir| import_crash(&dir, &shown));
}

/// What is wrong with `path` as a directory, if it is there at all and something is.
pub fn trouble(path: &Path) -> Option<Trouble> {
    match fs::metadata(path) {
        Ok(meta) if !meta.is_dir() => Some(Trouble::NotADirectory),
        // Looking anything up inside needs search permission: `dir/.` asks exactly that.
        Ok(_) => match fs::metadata(path.join(".")) {
            Err(e) if e.kind() == ErrorKind::PermissionDenied => Some(Trouble::Denied),
            _ => None,
        },
        Err(_) if fs::symlink_metadata(path).is_err() => None,
        Err(e) if is_loop(&e) => Some(Trouble::Loop),
        Err(e) if e.kind() == ErrorKind::PermissionDenied => Some(Trouble::Denied),
        Err(_) => Some(Trouble::Dangling),
    }
}

/// What `os.makedirs(path)` raises at import when `os.path.exists(path)` is false: the
/// path is itself a dangling symlink or a loop (`FileExistsError`), or a component on the
/// way is a file (`NotADirectoryError`) or a dangling symlink (`FileExistsError`). `None`
/// when the path is there or can be created (as far as types go: a read-only parent is
/// not checked).
pub fn import_crash(path: &Path, shown: &dyn Fn(&Path) -> String) -> Option<String> {
    if fs::metadata(path).is_ok() {
        return None;
    }
    let mut missing = path;
    for ancestor in path.ancestors() {
        if fs::symlink_metadata(ancestor).is_ok() {
            return match fs::metadata(ancestor) {
                Ok(meta) if meta.is_dir() => None,
                Ok(_) => Some(format!("NotADirectoryError: [Errno 20] Not a directory: '{}'", shown(missing))),
                Err(_) => Some(format!("FileExistsError: [Errno 17] File exists: '{}'", shown(ancestor))),
            };
        }
        missing = ancestor;
    }
    None
}

fn is_loop(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn each_trouble_is_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let p = |name: &str| dir.path().join(name);
        std::fs::create_dir(p("fine")).unwrap();
        std::fs::write(p("file"), "x").unwrap();
        symlink(p("nowhere"), p("dangling")).unwrap();
        symlink(p("loop"), p("loop")).unwrap();
        symlink(p("fine"), p("link-to-dir")).unwrap();
        assert_eq!(trouble(&p("fine")), None);
        assert_eq!(trouble(&p("link-to-dir")), None);
        assert_eq!(trouble(&p("absent")), None);
        assert_eq!(trouble(&p("file")), Some(Trouble::NotADirectory));
        assert_eq!(trouble(&p("dangling")), Some(Trouble::Dangling));
        assert_eq!(trouble(&p("loop")), Some(Trouble::Loop));
        assert_eq!(trouble(&p("file/sub")), None, "nothing is there");
    }

    #[test]
    fn makedirs_fails_over_links_and_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = |name: &str| dir.path().join(name);
        std::fs::write(p("file"), "x").unwrap();
        symlink(p("nowhere"), p("dangling")).unwrap();
        symlink(p("loop"), p("loop")).unwrap();
        let shown = |path: &Path| path.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(import_crash(dir.path(), &shown), None);
        assert_eq!(import_crash(&p("new/deeper"), &shown), None);
        assert!(import_crash(&p("dangling"), &shown).unwrap().starts_with("FileExistsError"));
        assert!(import_crash(&p("loop"), &shown).unwrap().starts_with("FileExistsError"));
        assert!(import_crash(&p("dangling/kaggle"), &shown).unwrap().contains("'dangling'"));
        let under_file = import_crash(&p("file/kaggle/x"), &shown).unwrap();
        assert_eq!(under_file, "NotADirectoryError: [Errno 20] Not a directory: 'kaggle'");
    }
}
