//! The one throw-away sandbox every test and the benchmark runs in: a temp dir holding
//! an empty HOME and a working dir, removed on drop. Shared with benches/matrix.rs
//! through `#[path]`.

use std::path::PathBuf;

use kaggle_auth_doctor::fake_kaggle::scenario::Local;
use tempfile::TempDir;

pub struct Sandbox {
    _dir: TempDir,
    pub home: PathBuf,
    pub cwd: PathBuf,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("temp dir");
        let (home, cwd) = (dir.path().join("home"), dir.path().join("work"));
        std::fs::create_dir_all(&home).expect("sandbox HOME");
        std::fs::create_dir_all(&cwd).expect("sandbox working dir");
        Sandbox { _dir: dir, home, cwd }
    }

    /// Writes a scenario's local setup here; returns the variables a process would see,
    /// HOME excepted (the caller sets it).
    pub fn lay_out(&self, local: &Local) -> Vec<(String, String)> {
        let env = local.lay_out(&self.home, &self.cwd).expect("lay out the scenario");
        let vars = env.vars().filter(|(k, _)| *k != "HOME");
        vars.map(|(k, v)| (k.to_string_lossy().into_owned(), v.to_string_lossy().into_owned())).collect()
    }
}
