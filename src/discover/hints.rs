//! What surrounds the credentials: files that look like a misplaced kaggle.json
//! (docs/findings.md `near-miss-credential-file`), and the kind of place this process runs
//! in — under sudo, in WSL, a container, Colab, a Kaggle notebook, CI (docs/findings.md
//! "Offline checks: how credentials are written, where the process runs").

use std::path::Path;

use super::{ConfigDir, Env};
use crate::table::names;

/// Where the process runs.
#[derive(Clone, Debug, Default)]
pub struct Hints {
    /// `SUDO_USER`: the user who ran sudo (HOME is then usually root's).
    pub sudo_user: Option<String>,
    /// Running in WSL.
    pub wsl: bool,
    /// Running in a container.
    pub container: bool,
    /// Running in Google Colab.
    pub colab: bool,
    /// Running in a Kaggle notebook.
    pub kaggle_notebook: bool,
    /// The CI system, if any.
    pub ci: Option<Ci>,
}

names! {
    /// A CI system; the spelling is the name shown to the user.
    pub enum Ci {
        /// `GITHUB_ACTIONS=true`.
        GithubActions = "GitHub Actions",
        /// `GITLAB_CI` set.
        GitlabCi = "GitLab CI",
        /// Another CI (`CI` set and not false).
        Other = "CI",
    }
}

pub(super) fn hints(env: &Env) -> Hints {
    let ci = if env.non_empty("GITHUB_ACTIONS") == Some("true") {
        Some(Ci::GithubActions)
    } else if env.is_set("GITLAB_CI") {
        Some(Ci::GitlabCi)
    } else if env.non_empty("CI").is_some_and(|v| v != "false" && v != "0") {
        Some(Ci::Other)
    } else {
        None
    };
    Hints {
        sudo_user: env.non_empty("SUDO_USER").map(str::to_string),
        wsl: env.host.wsl || env.is_set("WSL_DISTRO_NAME"),
        container: env.host.container || env.is_set("container"),
        colab: env.is_set("COLAB_RELEASE_TAG") || env.is_set("COLAB_BACKEND_VERSION"),
        kaggle_notebook: env.is_set("KAGGLE_KERNEL_RUN_TYPE"),
        ci,
    }
}

/// Files named like kaggle.json where the client never looks: `~/Downloads/kaggle*.json`,
/// `./kaggle.json`, `kaggle.json.txt` or `kaggle (1).json` next to where it should be,
/// Colab's `/content/kaggle.json`.
pub(super) fn near_misses(env: &Env, config_dir: Option<&ConfigDir>) -> Vec<String> {
    let mut found = Vec::new();
    let looks_like = |name: &str| {
        let lower = name.to_lowercase();
        lower.starts_with("kaggle")
            && (lower.ends_with(".json") || lower.ends_with(".json.txt"))
            && lower != "kaggle.json"
    };
    let mut scan = |dir: &Path, also_exact: bool| {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten().take(1000) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if (looks_like(&name) || (also_exact && name == "kaggle.json")) && entry.path().is_file() {
                found.push(env.display(&entry.path()));
            }
        }
    };
    if let Some(downloads) = env.in_home("Downloads") {
        scan(&downloads, true);
    }
    if let Some(dir) = config_dir {
        scan(&dir.path, false);
    }
    let cwd_json = env.cwd.join("kaggle.json");
    if config_dir.is_none_or(|d| d.path != env.cwd) && cwd_json.is_file() {
        found.push("./kaggle.json".into());
    }
    found.sort();
    found.dedup();
    found
}
