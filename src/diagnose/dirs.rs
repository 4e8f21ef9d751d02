//! `config-dir-unusable`: `~/.kaggle` or the config dir is there but is a file, a dangling
//! symlink, a loop, or refuses access (src/discover/dirs.rs says what the client does in
//! each case). The files that would live inside are not listed one by one — they cannot
//! be there, or cannot be looked for — so this one finding names the directory, what the
//! modelled client does about it, and how to repair the directory itself.

use super::fix::{self, Step};
use super::{Code, Finding, Input, Severity};
use crate::client_model::Era;
use crate::discover::SourceId;
use crate::discover::dirs::{Role, Trouble, UnusableDir};

/// One finding per unusable directory.
pub(super) fn check(input: &Input, out: &mut Vec<Finding>) {
    for dir in &input.discovery.unusable_dirs {
        out.push(finding(input, dir));
    }
}

fn finding(input: &Input, dir: &UnusableDir) -> Finding {
    let d = input.discovery;
    let legacy15 = input.client.model == Era::Legacy15;
    let crash = if legacy15 { &d.import_crash_legacy15 } else { &d.import_crash };
    let what = what_the_client_does(input, dir);
    let crash_words = crash.as_ref().map(|c| format!(" This client stops at import: {c}.")).unwrap_or_default();
    // An error when the client stops: repairing the directory is then the way forward.
    let severity = if input.effective.client_stops { Severity::Error } else { Severity::Warning };
    let sources = match dir.role {
        Role::DotKaggle => vec![SourceId::FileAccessToken, SourceId::FileCredentialsJson, SourceId::FileKaggleJson],
        Role::ConfigDir => vec![SourceId::FileKaggleJson],
    };
    Finding::new(
        Code::ConfigDirUnusable,
        severity,
        sources,
        format!("{} {}", dir.shown, dir.trouble.words()),
        format!("{what}{crash_words}"),
        repair(input, dir),
    )
}

/// What the client does about the directory, in the user's terms.
fn what_the_client_does(input: &Input, dir: &UnusableDir) -> String {
    let shown = &dir.shown;
    let xdg = input
        .discovery
        .config_dir
        .as_ref()
        .filter(|c| c.why == crate::discover::DirRule::Xdg)
        .map(|c| c.path.display().to_string());
    match (dir.role, dir.trouble) {
        (Role::DotKaggle, Trouble::Dangling | Trouble::Loop) => format!(
            "To the client {shown} does not exist: no access_token or credentials.json can be found there; on Linux kaggle 1.6 and later read kaggle.json from {} instead (creating it), and kaggle 1.5 crashes at import trying to create {shown} (FileExistsError).",
            xdg.as_deref().unwrap_or("${XDG_CONFIG_HOME:-~/.config}/kaggle")
        ),
        (Role::DotKaggle, Trouble::NotADirectory) => format!(
            "Nothing can be stored under it: the client finds no kaggle.json, access_token or credentials.json in {shown} (every version), and `kaggle auth login` cannot save there. Look inside the file: it may be a kaggle.json saved under the wrong name."
        ),
        (Role::DotKaggle, Trouble::Denied) => format!(
            "The client cannot look inside {shown}: kaggle 1.8 and later crash with PermissionError when their token search looks for {shown}/access_token (unless KAGGLE_API_TOKEN is set), and every version finds no kaggle.json or credentials.json there. This is typical after `sudo kaggle …` created it as root."
        ),
        (Role::ConfigDir, Trouble::NotADirectory) => format!(
            "kaggle.json is read from {shown}/kaggle.json, which cannot exist: the client finds no kaggle.json (every version). The config directory must be the directory that holds kaggle.json, not the file."
        ),
        (Role::ConfigDir, Trouble::Dangling | Trouble::Loop) => format!(
            "The client does not see {shown} and tries to create it at import, which fails over a broken symlink: every version crashes before sending anything."
        ),
        (Role::ConfigDir, Trouble::Denied) => {
            format!("The client cannot look inside {shown}: it finds no kaggle.json there (every version).")
        }
    }
}

/// Repairs the directory itself; never a move into it.
fn repair(input: &Input, dir: &UnusableDir) -> Vec<Step> {
    let path = dir.shown.clone();
    let env_var = input.discovery.raw_config_dir.is_some() && dir.role == Role::ConfigDir;
    let mut steps = if env_var {
        vec![
            Step::Unset(vec!["KAGGLE_CONFIG_DIR"]),
            Step::Note("(or point it at the directory that holds kaggle.json, as an absolute path)".into()),
        ]
    } else {
        match dir.trouble {
            Trouble::Dangling | Trouble::Loop => vec![
                Step::Note("remove the broken symlink (the link only), then create the directory:".into()),
                Step::RemoveLink(path.clone()),
                Step::MakePrivateDir(path),
            ],
            Trouble::NotADirectory => vec![
                Step::Note("move the file aside, then create the directory:".into()),
                Step::Move(path.clone(), format!("{path}.not-a-directory")),
                Step::MakePrivateDir(path),
            ],
            Trouble::Denied => vec![Step::TakeOwnership(path)],
        }
    };
    steps.push(fix::recheck());
    steps
}
