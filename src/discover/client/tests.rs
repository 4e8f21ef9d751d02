//! Every layout, built as a fake tree in a temp dir: the version must come from the right
//! metadata file without any interpreter starting (the fake interpreters here would leave a
//! marker if they ran), and the hostile trees must neither run anything nor hang.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::*;

/// A fake file system root with a sandbox HOME.
struct Tree {
    dir: tempfile::TempDir,
}

impl Tree {
    fn new() -> Tree {
        let tree = Tree { dir: tempfile::tempdir().unwrap() };
        std::fs::create_dir_all(tree.path("home")).unwrap();
        std::fs::create_dir_all(tree.path("work")).unwrap();
        tree
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn file(&self, rel: &str, content: &str) -> PathBuf {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, content).unwrap();
        path
    }

    /// An executable file; a fake interpreter that would leave `ran` if it were started.
    fn exe(&self, rel: &str, content: &str) -> PathBuf {
        let path = self.file(rel, content);
        set_mode(&path, 0o755);
        path
    }

    fn python(&self, rel: &str) -> PathBuf {
        let marker = self.path("ran");
        self.exe(rel, &format!("#!/bin/sh\necho \"$0 $*\" >> '{}'\n", marker.display()))
    }

    fn dist(&self, site: &str, name: &str, version: &str) {
        let metadata =
            format!("Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: x\n\nVersion: 0.0.0\n");
        self.file(&format!("{site}/{name}-{version}.dist-info/METADATA"), &metadata);
    }

    /// The script pip writes for `kaggle` into `bin` of a prefix, run by `python`.
    fn script(&self, rel: &str, python: &Path) -> PathBuf {
        self.exe(rel, &format!("#!{}\nimport sys\nfrom kaggle.cli import main\n", python.display()))
    }

    fn env(&self, path: &[&str]) -> Env {
        let mut env = Env::sandbox(&self.path("home"), &self.path("work"));
        let dirs: Vec<PathBuf> = path.iter().map(|p| self.path(p)).collect();
        env.set("PATH", std::env::join_paths(dirs).unwrap());
        env
    }

    fn ran(&self) -> bool {
        self.path("ran").exists()
    }
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn detect_now(env: &Env) -> Detected {
    detect(env, Instant::now() + Duration::from_secs(10))
}

fn version(found: &Option<Found>) -> Option<(&str, VersionFrom)> {
    found.as_ref().map(|f| (f.version.as_str(), f.how))
}

/// A venv as `python -m venv` makes it, with a user site that it must ignore.
fn venv(tree: &Tree, system_site: bool) -> Env {
    tree.file(
        "venv/pyvenv.cfg",
        &format!("home = /usr/bin\ninclude-system-site-packages = {system_site}\nversion = 3.11.7\n"),
    );
    let python = tree.python("venv/bin/python3");
    tree.script("venv/bin/kaggle", &python);
    tree.dist("venv/lib/python3.11/site-packages", "kaggle", "1.7.4.5");
    tree.dist("venv/lib/python3.11/site-packages", "kagglehub", "0.3.13");
    tree.dist("home/.local/lib/python3.11/site-packages", "kaggle", "1.6.17");
    tree.env(&["venv/bin"])
}

#[test]
fn a_venv_is_read_without_starting_python_and_ignores_the_user_site() {
    let tree = Tree::new();
    let found = detect_now(&venv(&tree, false));
    assert_eq!(version(&found.kaggle), Some(("1.7.4.5", VersionFrom::Metadata)));
    assert_eq!(version(&found.kagglehub), Some(("0.3.13", VersionFrom::Metadata)));
    let kaggle = found.kaggle.unwrap();
    assert_eq!(kaggle.python, Some(tree.path("venv/bin/python3").display().to_string()));
    let from = &kaggle.from;
    assert!(from.starts_with("kaggle-1.7.4.5.dist-info in ") && from.contains("(venv of "), "{from}");
    assert!(from.ends_with("read, no Python started)"), "{from}");
    assert!(!tree.ran());
}

#[test]
fn a_venv_with_system_site_packages_sees_the_user_site_first() {
    let tree = Tree::new();
    let found = detect_now(&venv(&tree, true));
    assert_eq!(version(&found.kaggle), Some(("1.6.17", VersionFrom::Metadata)));
    assert!(found.kaggle.unwrap().from.contains("~/.local/lib/python3.11/site-packages"));
    assert!(!tree.ran());
}

#[test]
fn a_conda_env_is_read_and_the_user_site_comes_first() {
    let tree = Tree::new();
    std::fs::create_dir_all(tree.path("conda/envs/ml/conda-meta")).unwrap();
    tree.python("conda/envs/ml/bin/python3.11");
    std::os::unix::fs::symlink("python3.11", tree.path("conda/envs/ml/bin/python3")).unwrap();
    tree.script("conda/envs/ml/bin/kaggle", &tree.path("conda/envs/ml/bin/python3"));
    tree.dist("conda/envs/ml/lib/python3.11/site-packages", "kaggle", "1.6.17");
    let env = tree.env(&["conda/envs/ml/bin"]);
    let found = detect_now(&env);
    assert_eq!(version(&found.kaggle), Some(("1.6.17", VersionFrom::Metadata)));
    assert!(found.kaggle.unwrap().from.contains("conda env"));

    tree.dist("home/.local/lib/python3.11/site-packages", "kaggle", "1.5.16");
    assert_eq!(version(&detect_now(&env).kaggle), Some(("1.5.16", VersionFrom::Metadata)));
    let mut no_user_site = env.clone();
    no_user_site.set("PYTHONNOUSERSITE", "1");
    assert_eq!(version(&detect_now(&no_user_site).kaggle), Some(("1.6.17", VersionFrom::Metadata)));
    assert!(!tree.ran());
}

#[test]
fn pipx_venvs_are_found_through_the_symlinked_script() {
    for pipx in ["home/.local/pipx/venvs/kaggle", "home/.local/share/pipx/venvs/kaggle"] {
        let tree = Tree::new();
        tree.file(
            &format!("{pipx}/pyvenv.cfg"),
            "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.12.1\n",
        );
        let python = tree.python(&format!("{pipx}/bin/python"));
        let script = tree.script(&format!("{pipx}/bin/kaggle"), &python);
        tree.dist(&format!("{pipx}/lib/python3.12/site-packages"), "kaggle", "2.0.2");
        std::fs::create_dir_all(tree.path("home/.local/bin")).unwrap();
        std::os::unix::fs::symlink(&script, tree.path("home/.local/bin/kaggle")).unwrap();
        let found = detect_now(&tree.env(&["home/.local/bin"]));
        assert_eq!(version(&found.kaggle), Some(("2.0.2", VersionFrom::Metadata)), "{pipx}");
        assert!(found.kaggle.unwrap().from.contains("pipx venv"));
        assert!(!tree.ran());
    }
}

#[test]
fn debian_dist_packages_are_searched_in_debians_order() {
    let tree = Tree::new();
    tree.python("usr/bin/python3.11");
    std::os::unix::fs::symlink("python3.11", tree.path("usr/bin/python3")).unwrap();
    tree.script("usr/local/bin/kaggle", &tree.path("usr/bin/python3"));
    std::fs::create_dir_all(tree.path("usr/lib/python3/dist-packages")).unwrap();
    tree.dist("usr/local/lib/python3.11/dist-packages", "kaggle", "1.6.17");
    // An apt package: an .egg-info directory with PKG-INFO.
    tree.file("usr/lib/python3/dist-packages/kagglehub-0.3.4.egg-info/PKG-INFO", "Name: kagglehub\nVersion: 0.3.4\n");
    tree.dist("usr/lib/python3.11/site-packages", "kaggle", "9.9.9");
    let found = detect_now(&tree.env(&["usr/local/bin", "usr/bin"]));
    assert_eq!(version(&found.kaggle), Some(("1.6.17", VersionFrom::Metadata)));
    assert!(found.kaggle.unwrap().from.contains("Debian system Python"));
    assert_eq!(version(&found.kagglehub), Some(("0.3.4", VersionFrom::Metadata)));
    assert!(!tree.ran());
}

#[test]
fn a_user_install_is_found_in_the_user_site() {
    let tree = Tree::new();
    let python = tree.python("usr/bin/python3.11");
    std::fs::create_dir_all(tree.path("usr/lib/python3.11/site-packages")).unwrap();
    tree.script("home/.local/bin/kaggle", &python);
    tree.dist("home/.local/lib/python3.11/site-packages", "kaggle", "1.7.4.5");
    let env = tree.env(&["home/.local/bin", "usr/bin"]);
    let found = detect_now(&env);
    assert_eq!(version(&found.kaggle), Some(("1.7.4.5", VersionFrom::Metadata)));
    assert!(found.kaggle.unwrap().from.contains("~/.local/lib/python3.11/site-packages"));

    let mut moved = env.clone();
    tree.dist("userbase/lib/python3.11/site-packages", "kaggle", "1.6.17");
    moved.set("PYTHONUSERBASE", tree.path("userbase"));
    assert_eq!(version(&detect_now(&moved).kaggle), Some(("1.6.17", VersionFrom::Metadata)));
    let mut off = env.clone();
    off.set("PYTHONNOUSERSITE", "1");
    assert_eq!(detect_now(&off).kaggle, None);
    // PYTHONPATH comes before every site directory.
    tree.dist("work/vendored", "kaggle", "1.5.16");
    let mut vendored = env;
    vendored.set("PYTHONPATH", "vendored");
    assert_eq!(version(&detect_now(&vendored).kaggle), Some(("1.5.16", VersionFrom::Metadata)));
    assert!(!tree.ran());
}

#[test]
fn windows_scripts_and_lib_site_packages() {
    let tree = Tree::new();
    let script = tree.exe("Py/Scripts/kaggle.exe", "MZ\u{0}\u{0}binary launcher");
    tree.file("Py/pyvenv.cfg", "home = C:\\Python311\ninclude-system-site-packages = false\n");
    tree.dist("Py/Lib/site-packages", "kaggle", "1.7.4.5");
    let env = tree.env(&[]);
    let layout = layout::of_script(&script, &env, |_| None).expect("a layout");
    assert_eq!(layout.kind, "Windows venv");
    assert!(layout.recognised);
    let found = from_layouts(&[layout], "kaggle", &env);
    assert_eq!(version(&found), Some(("1.7.4.5", VersionFrom::Metadata)));
    // A system install: python.exe at the prefix.
    let python = tree.exe("Python311/python.exe", "MZ");
    tree.dist("Python311/Lib/site-packages", "kagglehub", "0.3.13");
    let layout = layout::of_interpreter(&python, layout::Flags::default(), &env);
    assert_eq!(layout.kind, "Windows Python install");
    assert_eq!(version(&from_layouts(&[layout], "kagglehub", &env)), Some(("0.3.13", VersionFrom::Metadata)));
}

/// A prefix that is no layout we know: the interpreter is asked, isolated, from `/`.
#[test]
fn without_a_known_layout_the_interpreter_runs_isolated_from_the_root() {
    let tree = Tree::new();
    let args = tree.path("args");
    let cwd = tree.path("cwd");
    tree.exe(
        "odd/bin/python3",
        &format!(
            "#!/bin/sh\necho \"$@\" > '{}'\npwd > '{}'\necho kaggle 1.6.17\necho 'kagglehub 0.3.13\u{1b}[2J'\n",
            args.display(),
            cwd.display()
        ),
    );
    tree.file("work/csv.py", &format!("open('{}', 'w')\n", tree.path("csv-ran").display()));
    let found = detect_now(&tree.env(&["odd/bin"]));
    assert_eq!(version(&found.kaggle), Some(("1.6.17", VersionFrom::Interpreter)));
    assert_eq!(found.kaggle.unwrap().python, Some(tree.path("odd/bin/python3").display().to_string()));
    let hub = found.kagglehub.unwrap();
    assert_eq!(hub.how, VersionFrom::Interpreter);
    assert!(hub.version.chars().all(|c| c.is_ascii_graphic()), "{:?}", hub.version);
    assert!(std::fs::read_to_string(&args).unwrap().starts_with("-I -c "));
    assert_eq!(std::fs::read_to_string(&cwd).unwrap().trim(), "/");
    assert!(!tree.path("csv-ran").exists());
}

#[test]
fn an_interpreter_past_the_deadline_is_stopped() {
    let tree = Tree::new();
    tree.exe("odd/bin/python3", "#!/bin/sh\nexec /bin/sleep 30\n");
    let found = detect(&tree.env(&["odd/bin"]), Instant::now() + Duration::from_millis(200));
    assert_eq!(found.kaggle, None, "{found:?}");
    assert!(found.note.clone().unwrap_or_else(|| panic!("{found:?}")).contains("did not answer before the deadline"));
}

#[test]
fn a_kaggle_that_is_not_a_command_is_never_followed() {
    let tree = Tree::new();
    // Its #! names a fake interpreter in a venv holding 9.9.9; neither may count.
    tree.file("venv/pyvenv.cfg", "include-system-site-packages = false\nversion = 3.11.7\n");
    let python = tree.python("venv/bin/python3");
    tree.dist("venv/lib/python3.11/site-packages", "kaggle", "9.9.9");
    let script = tree.script("plain/kaggle", &python);
    set_mode(&script, 0o644);
    std::fs::create_dir_all(tree.path("dir/kaggle")).unwrap();
    std::os::unix::fs::symlink(&script, tree.path("link/kaggle")).unwrap_or_else(|_| {
        std::fs::create_dir_all(tree.path("link")).unwrap();
        std::os::unix::fs::symlink(&script, tree.path("link/kaggle")).unwrap();
    });
    let fifo = tree.path("fifo/kaggle");
    std::fs::create_dir_all(fifo.parent().unwrap()).unwrap();
    mkfifo(&fifo);
    for dir in ["plain", "dir", "link", "fifo"] {
        let found = detect_now(&tree.env(&[dir]));
        assert_eq!(found.kaggle, None, "{dir}");
    }
    assert!(!tree.ran());
}

#[test]
fn hostile_metadata_is_escaped_bounded_and_never_blocks() {
    let tree = Tree::new();
    tree.file("venv/pyvenv.cfg", "version = 3.11.7\n");
    let python = tree.python("venv/bin/python3");
    tree.script("venv/bin/kaggle", &python);
    let site = "venv/lib/python3.11/site-packages";
    let env = tree.env(&["venv/bin"]);
    let metadata = tree.file(&format!("{site}/kaggle-1.0.dist-info/METADATA"), "Version: 1.7\u{1b}[2J\u{7}\u{202e}\n");
    let found = detect_now(&env).kaggle.unwrap();
    assert!(found.version.chars().all(|c| c.is_ascii_graphic()), "{:?}", found.version);
    assert!(found.version.contains("\\u{1b}"));

    // Headers past the bounded read: the version is unknown, not searched for in 10 MB.
    let junk = "X-Junk: ".to_string() + &"y".repeat(100) + "\n";
    std::fs::write(&metadata, junk.repeat(100_000) + "Version: 1.7.4.5\n").unwrap();
    assert_eq!(version(&detect_now(&env).kaggle), Some(("unknown", VersionFrom::Metadata)));
    std::fs::write(&metadata, "Version: 1.7.4.5\n".to_string() + &junk.repeat(100_000)).unwrap();
    assert_eq!(version(&detect_now(&env).kaggle), Some(("1.7.4.5", VersionFrom::Metadata)));

    // A FIFO (no writer: a plain open would block forever) and a directory.
    std::fs::remove_file(&metadata).unwrap();
    mkfifo(&metadata);
    assert_eq!(version(&detect_now(&env).kaggle), Some(("unknown", VersionFrom::Metadata)));
    std::fs::remove_file(&metadata).unwrap();
    std::fs::create_dir(&metadata).unwrap();
    assert_eq!(version(&detect_now(&env).kaggle), Some(("unknown", VersionFrom::Metadata)));
    assert!(!tree.ran());
}

fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
}

#[test]
fn nothing_is_found_without_a_path() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(detect_now(&Env::sandbox(dir.path(), dir.path())), Detected::default());
}
