//! Fixes as exact commands for the user's shell: POSIX sh by default, PowerShell on
//! Windows or with `--shell powershell`. Rules describe a fix as [`Step`]s; [`render`]
//! writes them for one shell. Fixes are printed, never run; `#` lines explain.

use crate::discover::{Source, SourceId};

/// The shell fixes are written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Shell {
    /// POSIX sh (bash, zsh, dash…).
    Sh,
    /// Windows PowerShell / pwsh.
    Powershell,
}

impl Shell {
    /// PowerShell on Windows, sh elsewhere.
    pub fn native() -> Shell {
        if cfg!(windows) { Shell::Powershell } else { Shell::Sh }
    }
}

/// One step of a fix, shell-neutral.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// An explanation line.
    Note(String),
    /// Remove environment variables from the current shell.
    Unset(Vec<&'static str>),
    /// Set an environment variable to a literal (a placeholder such as `<paste the new token>`).
    Set(&'static str, String),
    /// Set a variable to its own value with all whitespace removed.
    StripVar(&'static str),
    /// Set a variable to its own value without a leading prefix.
    TrimPrefix(&'static str, &'static str),
    /// Set a variable to the content of a file.
    SetFromFile(&'static str, String),
    /// Move a file (paths in display form: `~/…` or absolute).
    Move(String, String),
    /// Create `~/.kaggle` and move a file into it.
    MoveIntoDotKaggle(String),
    /// Create `~/.kaggle` and move a file into it under a new name.
    MoveIntoDotKaggleAs(String, &'static str),
    /// Strip quote characters from a variable's value.
    StripQuotes(&'static str),
    /// Move a variable's value to another variable.
    MoveVar(&'static str, &'static str),
    /// Write one string field of a JSON file to a file of its own (owner-only).
    JsonFieldToFile(String, &'static str, String),
    /// Copy a file, keeping its mode.
    Copy(String, String),
    /// Make a file readable by its owner only.
    OwnerOnly(String),
    /// Remove a top-level field from a JSON file.
    DropJsonField(String, &'static str),
    /// Strip whitespace around every string value of a JSON file.
    StripJsonValues(String),
    /// A command spelled the same in every shell.
    Run(String),
    /// A command spelled differently per shell.
    PerShell {
        /// For POSIX sh.
        sh: String,
        /// For PowerShell.
        powershell: String,
    },
}

/// The last step of most fixes: check again.
pub fn recheck() -> Step {
    Step::Run("kaggle-auth-doctor".into())
}

/// Steps that take `source` out of the client's way.
pub fn remove_source(source: &Source) -> Vec<Step> {
    let path = source.origin.split(" → ").nth(1).unwrap_or(&source.origin).to_string();
    match source.id {
        SourceId::EnvApiToken => vec![
            Step::Unset(vec!["KAGGLE_API_TOKEN"]),
            Step::Note("and delete the line that sets it from your shell profile or CI secrets".into()),
        ],
        SourceId::NotebookToken => vec![Step::Unset(vec!["KAGGLE_API_V1_TOKEN"])],
        SourceId::EnvToken => vec![Step::Unset(vec!["KAGGLE_TOKEN"])],
        SourceId::EnvKeyPair | SourceId::MergedPair => vec![Step::Unset(vec!["KAGGLE_USERNAME", "KAGGLE_KEY"])],
        SourceId::FileAccessToken
        | SourceId::FileAccessTokenTxt
        | SourceId::FileCredentialsJson
        | SourceId::FileKaggleJson => vec![Step::Move(path.clone(), format!("{path}.disabled"))],
        SourceId::FileKaggleJsonToken => {
            vec![Step::DropJsonField(path.trim_end_matches("#token").to_string(), "token")]
        }
        SourceId::DotEnv | SourceId::Anonymous => Vec::new(),
    }
}

/// How to get a fresh credential.
pub fn new_credential() -> Vec<Step> {
    vec![
        Step::Note("create a new API token at https://www.kaggle.com/settings (API section), then:".into()),
        Step::Set("KAGGLE_API_TOKEN", "<paste the new token>".into()),
    ]
}

/// Renders steps for `shell`.
pub fn render(shell: Shell, steps: &[Step]) -> Vec<String> {
    steps.iter().map(|s| step(shell, s)).collect()
}

fn step(shell: Shell, s: &Step) -> String {
    let ps = shell == Shell::Powershell;
    let p = |path: &str| if ps { ps_path(path) } else { sh_path(path) };
    match s {
        Step::Note(text) => format!("# {text}"),
        Step::Run(cmd) => cmd.clone(),
        Step::PerShell { sh, powershell } => {
            if ps {
                powershell.clone()
            } else {
                sh.clone()
            }
        }
        Step::Unset(names) if ps => names.iter().map(|n| format!("Remove-Item Env:{n}")).collect::<Vec<_>>().join("; "),
        Step::Unset(names) => format!("unset {}", names.join(" ")),
        Step::Set(name, value) if ps => format!("$env:{name} = {}", ps_quote(value)),
        Step::Set(name, value) => format!("export {name}={}", sh_quote(value)),
        Step::StripVar(name) if ps => format!("$env:{name} = $env:{name} -replace '\\s', ''"),
        Step::StripVar(name) => format!("export {name}=\"$(printf '%s' \"${name}\" | tr -d '[:space:]')\""),
        Step::TrimPrefix(name, prefix) if ps => format!("$env:{name} = $env:{name}.Substring({})", prefix.len()),
        Step::TrimPrefix(name, prefix) => format!("export {name}=\"${{{name}#{prefix}}}\""),
        Step::SetFromFile(name, path) if ps => format!("$env:{name} = (Get-Content -Raw {}).Trim()", p(path)),
        Step::SetFromFile(name, path) => format!("export {name}=\"$(cat {})\"", p(path)),
        Step::Move(from, to) if ps => format!("Move-Item {} {}", p(from), p(to)),
        Step::Move(from, to) => format!("mv {} {}", p(from), p(to)),
        Step::MoveIntoDotKaggle(from) if ps => {
            format!(
                "New-Item -ItemType Directory -Force \"$HOME/.kaggle\" | Out-Null; Move-Item {} \"$HOME/.kaggle/\"",
                p(from)
            )
        }
        Step::MoveIntoDotKaggle(from) => format!("mkdir -p ~/.kaggle && mv {} ~/.kaggle/", p(from)),
        Step::MoveIntoDotKaggleAs(from, name) if ps => format!(
            "New-Item -ItemType Directory -Force \"$HOME/.kaggle\" | Out-Null; Move-Item {} \"$HOME/.kaggle/{name}\"",
            p(from)
        ),
        Step::MoveIntoDotKaggleAs(from, name) => format!("mkdir -p ~/.kaggle && mv {} ~/.kaggle/{name}", p(from)),
        Step::StripQuotes(name) if ps => format!("$env:{name} = $env:{name}.Trim([char]34, [char]39)"),
        Step::StripQuotes(name) => format!("export {name}=\"$(printf '%s' \"${name}\" | tr -d \"\\\"'\")\""),
        Step::MoveVar(from, to) if ps => format!("$env:{to} = $env:{from}; Remove-Item Env:{from}"),
        Step::MoveVar(from, to) => format!("export {to}=\"${from}\" && unset {from}"),
        Step::JsonFieldToFile(path, field, dest) => format!(
            "{} -c 'import json,pathlib,sys; f=pathlib.Path(sys.argv[1]).expanduser(); t=pathlib.Path(sys.argv[3]).expanduser(); t.parent.mkdir(exist_ok=True); t.write_text(json.loads(f.read_text())[sys.argv[2]]); t.chmod(0o600)' {} {field} {}",
            python(shell),
            p(path),
            p(dest)
        ),
        Step::Copy(from, to) if ps => format!("Copy-Item {} {}", p(from), p(to)),
        Step::Copy(from, to) => format!("cp -p {} {}", p(from), p(to)),
        Step::OwnerOnly(path) if ps => format!("icacls {} /inheritance:r /grant:r \"${{env:USERNAME}}:F\"", p(path)),
        Step::OwnerOnly(path) => format!("chmod 600 {}", p(path)),
        // The Python code has no quotes of its own, so the same line works in both shells.
        Step::DropJsonField(path, field) => format!(
            "{} -c 'import json,pathlib,sys; f=pathlib.Path(sys.argv[1]).expanduser(); d=json.loads(f.read_text()); d.pop(sys.argv[2],None); f.write_text(json.dumps(d))' {} {field}",
            python(shell),
            p(path)
        ),
        Step::StripJsonValues(path) => format!(
            "{} -c 'import json,pathlib,sys; f=pathlib.Path(sys.argv[1]).expanduser(); d=json.loads(f.read_text()); f.write_text(json.dumps({{k: v.strip() if isinstance(v, str) else v for k, v in d.items()}}))' {}",
            python(shell),
            p(path)
        ),
    }
}

fn python(shell: Shell) -> &'static str {
    if shell == Shell::Powershell { "python" } else { "python3" }
}

/// A path as a sh word: `~/…` stays expandable when it needs no quoting.
pub fn sh_path(path: &str) -> String {
    let safe = |s: &str| s.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+@:,".contains(c));
    if let Some(rest) = path.strip_prefix("~/") {
        if safe(rest) {
            return path.to_string();
        }
        return format!("~/{}", sh_quote(rest));
    }
    if safe(path) { path.to_string() } else { sh_quote(path) }
}

fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A path as a PowerShell word: `~/` becomes `$HOME/` inside double quotes.
fn ps_path(path: &str) -> String {
    match path.strip_prefix("~/") {
        Some(rest) => format!("\"$HOME/{}\"", rest.replace('`', "``").replace('"', "`\"").replace('$', "`$")),
        None => ps_quote(path),
    }
}

fn ps_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_quoted_only_when_needed() {
        assert_eq!(sh_path("~/.kaggle/access_token"), "~/.kaggle/access_token");
        assert_eq!(sh_path("~/my dir/kaggle.json"), "~/'my dir/kaggle.json'");
        assert_eq!(sh_path("/tmp/it's"), r"'/tmp/it'\''s'");
    }

    #[test]
    fn every_step_renders_for_both_shells() {
        let steps = [
            Step::Unset(vec!["A", "B"]),
            Step::Set("A", "x y".into()),
            Step::StripVar("A"),
            Step::TrimPrefix("A", "Bearer "),
            Step::Move("~/.kaggle/access_token".into(), "~/.kaggle/access_token.disabled".into()),
            Step::OwnerOnly("~/.kaggle/kaggle.json".into()),
        ];
        assert_eq!(
            render(Shell::Sh, &steps),
            [
                "unset A B",
                "export A='x y'",
                "export A=\"$(printf '%s' \"$A\" | tr -d '[:space:]')\"",
                "export A=\"${A#Bearer }\"",
                "mv ~/.kaggle/access_token ~/.kaggle/access_token.disabled",
                "chmod 600 ~/.kaggle/kaggle.json",
            ]
        );
        assert_eq!(
            render(Shell::Powershell, &steps),
            [
                "Remove-Item Env:A; Remove-Item Env:B",
                "$env:A = 'x y'",
                "$env:A = $env:A -replace '\\s', ''",
                "$env:A = $env:A.Substring(7)",
                "Move-Item \"$HOME/.kaggle/access_token\" \"$HOME/.kaggle/access_token.disabled\"",
                "icacls \"$HOME/.kaggle/kaggle.json\" /inheritance:r /grant:r \"${env:USERNAME}:F\"",
            ]
        );
    }
}
