//! Where a Python interpreter looks for installed distributions, modelled from the files
//! on disk so that no interpreter has to start (docs/client-behaviour.md, "How the installed
//! version is found").
//!
//! The model follows `site.py`'s order for `sys.path`:
//! 1. `PYTHONPATH` entries (unless the interpreter runs with `-E` or `-I`);
//! 2. the user site `~/.local/lib/pythonX.Y/site-packages` (or `$PYTHONUSERBASE/…`), unless
//!    `-s`/`-I`, `PYTHONNOUSERSITE`, or a venv created without system site packages;
//! 3. the prefix's own directory: a venv's (pyvenv.cfg next to `bin/`; pipx venvs and uv
//!    venvs are venvs) or a conda env's or a plain install's `lib/pythonX.Y/site-packages`;
//!    Debian's `local/lib/pythonX.Y/dist-packages`, `lib/python3/dist-packages`,
//!    `lib/pythonX.Y/dist-packages`; Windows' `Lib\site-packages`;
//! 4. for a venv with `include-system-site-packages = true`, then its base install's.
//!
//! `PYTHONHOME`, `.pth` path additions and `sitecustomize` are not modelled: a
//! distribution they add is not seen (the report then says the version was assumed).

use std::io::Read;
use std::path::{Path, PathBuf};

use super::metadata::open_regular;
use crate::discover::Env;

/// How a shebang's interpreter runs: the flags that change where Python looks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    /// `-E` or `-I`: `PYTHONPATH` and the other `PYTHON*` variables are ignored.
    pub ignore_env: bool,
    /// `-s` or `-I`: no user site.
    pub no_user_site: bool,
}

/// One interpreter's search path, as far as the files tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// "venv", "pipx venv", "conda env", "Debian system Python", "Python install", "Windows venv"…
    pub kind: &'static str,
    /// The interpreter this is the search path of.
    pub interpreter: PathBuf,
    /// Existing directories, in the order Python searches them.
    pub sites: Vec<PathBuf>,
    /// The prefix's own site directory exists: the layout is one we know.
    pub recognised: bool,
}

/// The layout behind a console script: `…/Scripts/kaggle.exe` on Windows, else the
/// interpreter named on its `#!` line.
pub fn of_script(script: &Path, env: &Env, which: impl Fn(&str) -> Option<PathBuf>) -> Option<Layout> {
    let dir = script.parent()?;
    if dir.file_name().is_some_and(|n| n.eq_ignore_ascii_case("Scripts")) {
        return Some(windows(dir.parent()?, dir.join("python.exe"), env));
    }
    let (program, flags) = shebang(script)?;
    let interpreter = match program {
        Program::Path(path) => path,
        Program::Env(name) => which(&name)?,
    };
    Some(of_interpreter(&interpreter, flags, env))
}

/// The layout of the interpreter at `python` (not canonicalised: a venv's `python3` is a
/// symlink to the base interpreter, and only its own location makes it the venv's).
pub fn of_interpreter(python: &Path, flags: Flags, env: &Env) -> Layout {
    let bin = python.parent().unwrap_or(Path::new("/"));
    if bin.file_name().is_some_and(|n| n.eq_ignore_ascii_case("Scripts")) {
        return windows(bin.parent().unwrap_or(bin), python.to_path_buf(), env);
    }
    if python.extension().is_some_and(|e| e.eq_ignore_ascii_case("exe")) {
        return windows(bin, python.to_path_buf(), env);
    }
    let prefix = bin.parent().unwrap_or(bin);
    let cfg = pyvenv_cfg(prefix);
    let xy = python_xy(python).or_else(|| cfg.as_ref().and_then(|c| c.version.clone()));
    let mut sites = python_path(env, flags);
    let own = own_sites(prefix, xy.as_deref());
    let recognised = !own.is_empty();
    let kind = match &cfg {
        Some(_) if prefix.to_string_lossy().contains("pipx") => "pipx venv",
        Some(_) => "venv",
        None if prefix.join("conda-meta").is_dir() => "conda env",
        None if prefix.join("lib/python3/dist-packages").is_dir() => "Debian system Python",
        None => "Python install",
    };
    let system_site = cfg.as_ref().is_none_or(|c| c.system_site);
    let env_disables = !flags.ignore_env && env.non_empty("PYTHONNOUSERSITE").is_some();
    if system_site && !flags.no_user_site && !env_disables {
        sites.extend(user_site(env, xy.as_deref()));
    }
    sites.extend(own);
    if let Some(base) = cfg.filter(|c| c.system_site).and_then(|c| c.home) {
        sites.extend(own_sites(base.parent().unwrap_or(&base), xy.as_deref()));
    }
    Layout { kind, interpreter: python.to_path_buf(), sites: existing(sites), recognised }
}

/// A Windows install or venv rooted at `prefix` (`Lib\site-packages`; a user install's
/// `%APPDATA%\Python\PythonXY` has `site-packages` directly).
fn windows(prefix: &Path, interpreter: PathBuf, env: &Env) -> Layout {
    let venv = prefix.join("pyvenv.cfg").is_file();
    let mut sites = python_path(env, Flags::default());
    let own = existing(vec![prefix.join("Lib").join("site-packages"), prefix.join("site-packages")]);
    let recognised = !own.is_empty();
    sites.extend(own);
    let kind = if venv { "Windows venv" } else { "Windows Python install" };
    Layout { kind, interpreter, sites: existing(sites), recognised }
}

/// The site directories a prefix owns. Without a known X.Y every `lib/python3.*` is
/// looked at, newest first.
fn own_sites(prefix: &Path, xy: Option<&str>) -> Vec<PathBuf> {
    let versions = match xy {
        Some(xy) => vec![format!("python{xy}")],
        None => lib_python_dirs(prefix),
    };
    let mut dirs = Vec::new();
    for v in &versions {
        dirs.push(prefix.join("local/lib").join(v).join("dist-packages"));
    }
    dirs.push(prefix.join("lib/python3/dist-packages"));
    for v in &versions {
        dirs.push(prefix.join("lib").join(v).join("dist-packages"));
        dirs.push(prefix.join("lib").join(v).join("site-packages"));
    }
    if prefix.join("lib/python3/dist-packages").is_dir() {
        // Debian's python adds `/usr/local/...` and dist-packages; its site-packages is unused.
        dirs.retain(|d| !d.ends_with("site-packages"));
    } else {
        dirs.retain(|d| d.ends_with("site-packages"));
    }
    existing(dirs)
}

/// `pythonX.Y` directory names under `prefix/lib`, newest first.
fn lib_python_dirs(prefix: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(prefix.join("lib")) else { return Vec::new() };
    let mut names: Vec<(u32, String)> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| Some((n.strip_prefix("python3.")?.parse().ok()?, n)))
        .collect();
    names.sort_by(|a, b| b.cmp(a));
    names.into_iter().map(|(_, n)| n).collect()
}

/// The user site of Python X.Y.
fn user_site(env: &Env, xy: Option<&str>) -> Option<PathBuf> {
    let xy = xy?;
    let base = match env.non_empty("PYTHONUSERBASE") {
        Some(base) => PathBuf::from(base),
        None => env.in_home(".local")?,
    };
    Some(base.join("lib").join(format!("python{xy}")).join("site-packages"))
}

/// `PYTHONPATH` entries, first on `sys.path` (relative ones resolve against the cwd).
fn python_path(env: &Env, flags: Flags) -> Vec<PathBuf> {
    match env.raw("PYTHONPATH").filter(|_| !flags.ignore_env) {
        Some(value) => {
            std::env::split_paths(value).filter(|p| !p.as_os_str().is_empty()).map(|p| env.cwd.join(p)).collect()
        }
        None => Vec::new(),
    }
}

fn existing(dirs: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for dir in dirs {
        if dir.is_dir() && !out.contains(&dir) {
            out.push(dir);
        }
    }
    out
}

/// `X.Y` from the interpreter's name, following its symlinks (`python3` → `python3.11`).
fn python_xy(python: &Path) -> Option<String> {
    let mut path = python.to_path_buf();
    for _ in 0..8 {
        if let Some(xy) = path.file_name().and_then(|n| n.to_str()).and_then(xy_of_name) {
            return Some(xy);
        }
        let target = std::fs::read_link(&path).ok()?;
        path = path.parent().map_or(target.clone(), |dir| dir.join(target));
    }
    None
}

fn xy_of_name(name: &str) -> Option<String> {
    let rest = name.strip_prefix("python3.")?;
    let minor: String = rest.chars().take_while(char::is_ascii_digit).collect();
    (!minor.is_empty() && rest.len() == minor.len()).then(|| format!("3.{minor}"))
}

/// The parts of `pyvenv.cfg` that decide the search path.
#[derive(Debug, Default)]
struct VenvCfg {
    system_site: bool,
    home: Option<PathBuf>,
    version: Option<String>,
}

/// `prefix/pyvenv.cfg`, when `prefix` is a venv (the file may also sit next to the binary).
fn pyvenv_cfg(prefix: &Path) -> Option<VenvCfg> {
    let text = read_small(&prefix.join("pyvenv.cfg"), 4096)?;
    let mut cfg = VenvCfg::default();
    for (key, value) in text.lines().filter_map(|l| l.split_once('=')) {
        let value = value.trim();
        match key.trim() {
            "include-system-site-packages" => cfg.system_site = value.eq_ignore_ascii_case("true"),
            "home" => cfg.home = Some(PathBuf::from(value)),
            "version" | "version_info" => {
                let mut parts = value.split('.');
                if let (Some(major), Some(minor)) = (parts.next(), parts.next()) {
                    cfg.version = Some(format!("{major}.{minor}"));
                }
            }
            _ => {}
        }
    }
    Some(cfg)
}

/// What a `#!` line runs.
#[derive(Debug, PartialEq, Eq)]
enum Program {
    /// An absolute interpreter path.
    Path(PathBuf),
    /// `/usr/bin/env NAME`: looked up on PATH.
    Env(String),
}

/// The interpreter and flags of a console script. pip writes `#!/path/python`, or for a
/// path with spaces or over 127 bytes a `/bin/sh` trampoline `'''exec' "/path/python" …`.
fn shebang(script: &Path) -> Option<(Program, Flags)> {
    let head = read_small(script, 512)?;
    let mut lines = head.lines();
    let first = lines.next()?.strip_prefix("#!")?.trim();
    if first == "/bin/sh" {
        let exec = lines.next()?.strip_prefix("'''exec' ")?;
        let path = exec.strip_prefix('"').and_then(|r| r.split('"').next()).or_else(|| exec.split(' ').next())?;
        return Some((Program::Path(PathBuf::from(path)), Flags::default()));
    }
    let mut words = first.split_whitespace();
    let program = words.next()?;
    let mut rest: Vec<&str> = words.collect();
    let program = if program.ends_with("/env") {
        rest.retain(|w| *w != "-S");
        let name = rest.iter().position(|w| !w.starts_with('-')).map(|i| rest.remove(i))?;
        Program::Env(name.to_string())
    } else {
        Program::Path(PathBuf::from(program))
    };
    let has = |letter: char| rest.iter().any(|w| w.starts_with('-') && !w.starts_with("--") && w.contains(letter));
    let isolated = has('I');
    Some((program, Flags { ignore_env: isolated || has('E'), no_user_site: isolated || has('s') }))
}

/// The first `limit` bytes of a regular file as text; never blocks (see `open_regular`).
fn read_small(path: &Path, limit: u64) -> Option<String> {
    let mut bytes = Vec::new();
    open_regular(path).ok()?.take(limit).read_to_end(&mut bytes).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shebangs_name_the_interpreter_and_its_flags() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("kaggle");
        let cases: [(&str, Program, Flags); 5] = [
            ("#!/opt/venv/bin/python3\nimport sys\n", Program::Path("/opt/venv/bin/python3".into()), Flags::default()),
            ("#!/usr/bin/env python3\n", Program::Env("python3".into()), Flags::default()),
            (
                "#!/usr/bin/env -S python3 -s\n",
                Program::Env("python3".into()),
                Flags { ignore_env: false, no_user_site: true },
            ),
            (
                "#!/usr/bin/python3 -I\n",
                Program::Path("/usr/bin/python3".into()),
                Flags { ignore_env: true, no_user_site: true },
            ),
            (
                "#!/bin/sh\n'''exec' \"/my venv/bin/python\" \"$0\" \"$@\"\n' '''\n",
                Program::Path("/my venv/bin/python".into()),
                Flags::default(),
            ),
        ];
        for (text, program, flags) in cases {
            std::fs::write(&script, text).unwrap();
            assert_eq!(shebang(&script), Some((program, flags)), "{text:?}");
        }
        std::fs::write(&script, "no shebang").unwrap();
        assert_eq!(shebang(&script), None);
    }

    #[test]
    fn interpreter_names_give_the_python_version() {
        assert_eq!(xy_of_name("python3.11"), Some("3.11".into()));
        assert_eq!(xy_of_name("python3"), None);
        assert_eq!(xy_of_name("python3.11-config"), None);
    }
}
