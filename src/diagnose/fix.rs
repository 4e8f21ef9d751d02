//! Fixes as exact commands for where the user is: POSIX sh by default, PowerShell on
//! Windows or with `--shell powershell`, Python cell syntax in a Kaggle or Colab notebook
//! (where `export` in a `!` line dies with its subshell), the workflow's `env:` and
//! secrets in CI. Rules describe a fix as shell-neutral [`Step`]s; [`render`] writes them
//! for one [`Context`]. Fixes are printed, never run; `#` lines explain.

use crate::discover::{Ci, Source, SourceId};

/// The shell fixes are written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize, schemars::JsonSchema)]
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

/// Where the fix will be typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// A terminal running `shell`.
    Terminal,
    /// A Kaggle notebook: Python cells, the notebook's Secrets, and a platform token that
    /// outranks `KAGGLE_API_TOKEN` unless it is taken out of the environment first.
    KaggleNotebook,
    /// Google Colab: Python cells and Colab's Secrets panel (`userdata`).
    Colab,
    /// A CI job: credentials come from the workflow's secrets.
    Ci(Ci),
}

/// Everything a fix is written for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    /// The shell of `Terminal` and of `!` lines.
    pub shell: Shell,
    /// Where the user is.
    pub place: Place,
    /// True on Windows: PowerShell fixes may use `icacls` and the user's registry env.
    pub windows: bool,
    /// The interpreter that runs the detected client (for pip upgrades).
    pub python: Option<String>,
    /// The user's own command line again, for the re-check.
    pub recheck: String,
}

impl Context {
    /// A plain terminal with `shell`; the re-check is the bare command. (Unit tests only:
    /// the doctor always builds its context from what it detected.)
    #[cfg(test)]
    pub fn terminal(shell: Shell) -> Context {
        Context {
            shell,
            place: Place::Terminal,
            windows: cfg!(windows),
            python: None,
            recheck: "kaggle-auth-doctor".into(),
        }
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
    /// Remove a symlink (only the link, never what it points to).
    RemoveLink(String),
    /// Create a directory readable by its owner only.
    MakePrivateDir(String),
    /// Give a file or directory (recursively) back to the current user, owner-only.
    TakeOwnership(String),
    /// A command spelled the same in every shell.
    Run(String),
    /// Run the doctor again, with the user's own flags.
    Recheck,
    /// Upgrade a Python package with the interpreter that runs the client.
    PipUpgrade(String),
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
    Step::Recheck
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

/// Renders steps for `context`.
pub fn render(context: &Context, steps: &[Step]) -> Vec<String> {
    steps.iter().flat_map(|s| place_step(context, s)).collect()
}

/// A step where the user is: notebooks and CI spell some steps their own way, the rest
/// is the shell's (prefixed with `!` in a notebook cell).
fn place_step(cx: &Context, s: &Step) -> Vec<String> {
    match cx.place {
        Place::KaggleNotebook | Place::Colab => {
            if let Some(lines) = notebook_step(cx, s) {
                return lines;
            }
            let line = step(cx, s);
            if line.starts_with('#') { vec![line] } else { vec![format!("!{line}")] }
        }
        Place::Ci(ci) => ci_step(cx, ci, s).unwrap_or_else(|| vec![step(cx, s)]),
        Place::Terminal => vec![step(cx, s)],
    }
}

fn py_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Python for a notebook cell: environment changes must happen in the kernel's own
/// process (before `import kaggle`), not in a `!` subshell.
fn notebook_step(cx: &Context, s: &Step) -> Option<Vec<String>> {
    let env = |name: &str| format!("os.environ[{}]", py_str(name));
    let line = match s {
        Step::Unset(names) => {
            let pops: Vec<String> = names.iter().map(|n| format!("os.environ.pop({}, None)", py_str(n))).collect();
            format!("import os; {}", pops.join("; "))
        }
        Step::Set(name, value) if value.starts_with('<') && name.starts_with("KAGGLE_") => {
            return Some(notebook_secret(cx, name));
        }
        Step::Set(name, value) => format!("import os; {} = {}", env(name), py_str(value)),
        Step::StripVar(name) => format!("import os; {} = \"\".join({}.split())", env(name), env(name)),
        Step::TrimPrefix(name, prefix) => {
            format!("import os; {} = {}.removeprefix({})", env(name), env(name), py_str(prefix))
        }
        Step::SetFromFile(name, path) => format!(
            "import os, pathlib; {} = pathlib.Path({}).expanduser().read_text().strip()",
            env(name),
            py_str(path)
        ),
        Step::StripQuotes(name) => format!("import os; {} = {}.strip(\"\\\"'\")", env(name), env(name)),
        Step::MoveVar(from, to) => format!("import os; {} = os.environ.pop({})", env(to), py_str(from)),
        _ => return None,
    };
    Some(vec![line])
}

/// A new credential in a notebook: the notebook's own Secrets, read into the kernel's
/// environment; in a Kaggle notebook the platform token is taken out of the way first,
/// since it outranks `KAGGLE_API_TOKEN`.
fn notebook_secret(cx: &Context, name: &str) -> Vec<String> {
    let var = py_str(name);
    if cx.place == Place::KaggleNotebook {
        vec![
            format!(
                "# add it under Add-ons → Secrets as {name} (attached to this notebook), then run before `import kaggle`:"
            ),
            format!(
                "import os; from kaggle_secrets import UserSecretsClient; os.environ.pop(\"KAGGLE_API_V1_TOKEN\", None); os.environ[{var}] = UserSecretsClient().get_secret({var})"
            ),
        ]
    } else {
        vec![
            format!(
                "# add it in Colab's Secrets panel (key icon) as {name}, with notebook access on, then run before `import kaggle`:"
            ),
            format!("import os; from google.colab import userdata; os.environ[{var}] = userdata.get({var})"),
        ]
    }
}

/// CI: a credential is set in the workflow from a secret, not pasted into a command.
fn ci_step(cx: &Context, ci: Ci, s: &Step) -> Option<Vec<String>> {
    match s {
        Step::Set(name, value) if value.starts_with('<') && name.starts_with("KAGGLE_") => {
            let mut lines = vec![format!("# store it as a secret named {name}, then give it to the job:")];
            if ci == Ci::GithubActions {
                lines.push(format!("#   env:  {name}: ${{{{ secrets.{name} }}}}"));
                lines.push(
                    "# is the secret available to this job? Forks get no secrets; environment secrets need `environment:` on the job."
                        .into(),
                );
            } else {
                lines.push(format!("# ({ci}: as a masked variable {name} available to this job and branch)"));
            }
            Some(lines)
        }
        Step::Unset(names) if names.iter().any(|n| n.starts_with("KAGGLE_")) => {
            Some(vec![step(cx, s), format!("# and remove {} from the workflow's env: and secrets", names.join(", "))])
        }
        _ => None,
    }
}

fn step(cx: &Context, s: &Step) -> String {
    let shell = cx.shell;
    let ps = shell == Shell::Powershell;
    let p = |path: &str| if ps { ps_path(path) } else { sh_path(path) };
    match s {
        Step::Note(text) => format!("# {text}"),
        Step::Run(cmd) => cmd.clone(),
        Step::Recheck => cx.recheck.clone(),
        Step::PipUpgrade(spec) => {
            let python = interpreter(cx);
            let spec = if ps { ps_quote(spec) } else { sh_quote(spec) };
            format!("{python} -m pip install --upgrade {spec}")
        }
        Step::PerShell { sh, powershell } => {
            if ps {
                powershell.clone()
            } else {
                sh.clone()
            }
        }
        Step::Unset(names) if ps && cx.windows => names
            .iter()
            .map(|n| format!("Remove-Item Env:{n}; [Environment]::SetEnvironmentVariable('{n}', $null, 'User')"))
            .collect::<Vec<_>>()
            .join("; "),
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
            interpreter(cx),
            p(path),
            p(dest)
        ),
        Step::RemoveLink(path) if ps => format!("(Get-Item -Force {}).Delete()", p(path)),
        Step::RemoveLink(path) => format!("rm {}", p(path)),
        Step::MakePrivateDir(path) if ps => format!("New-Item -ItemType Directory {} | Out-Null", p(path)),
        Step::MakePrivateDir(path) => format!("mkdir -m 700 {}", p(path)),
        Step::TakeOwnership(path) if ps && cx.windows => {
            format!("takeown /r /f {} ; icacls {} /reset /t", p(path), p(path))
        }
        Step::TakeOwnership(path) => {
            format!("sudo chown -R \"$(id -un)\" {} && chmod -R u+rwX,go-rwx {}", p(path), p(path))
        }
        Step::Copy(from, to) if ps => format!("Copy-Item {} {}", p(from), p(to)),
        Step::Copy(from, to) => format!("cp -p {} {}", p(from), p(to)),
        Step::OwnerOnly(path) if ps && cx.windows => {
            format!("icacls {} /inheritance:r /grant:r \"${{env:USERNAME}}:F\"", p(path))
        }
        Step::OwnerOnly(path) => format!("chmod 600 {}", p(path)),
        // The Python code has no quotes of its own, so the same line works in both shells.
        Step::DropJsonField(path, field) => format!(
            "{} -c 'import json,pathlib,sys; f=pathlib.Path(sys.argv[1]).expanduser(); d=json.loads(f.read_text()); d.pop(sys.argv[2],None); f.write_text(json.dumps(d))' {} {field}",
            interpreter(cx),
            p(path)
        ),
        Step::StripJsonValues(path) => format!(
            "{} -c 'import json,pathlib,sys; f=pathlib.Path(sys.argv[1]).expanduser(); d=json.loads(f.read_text()); f.write_text(json.dumps({{k: v.strip() if isinstance(v, str) else v for k, v in d.items()}}))' {}",
            interpreter(cx),
            p(path)
        ),
    }
}

/// The interpreter that runs the detected client, as a command word; else the usual one.
fn interpreter(cx: &Context) -> String {
    match &cx.python {
        Some(path) if cx.shell == Shell::Powershell => format!("& {}", ps_quote(path)),
        Some(path) => sh_path(path),
        None => python(cx.shell).to_string(),
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
            render(&Context::terminal(Shell::Sh), &steps),
            [
                "unset A B",
                "export A='x y'",
                "export A=\"$(printf '%s' \"$A\" | tr -d '[:space:]')\"",
                "export A=\"${A#Bearer }\"",
                "mv ~/.kaggle/access_token ~/.kaggle/access_token.disabled",
                "chmod 600 ~/.kaggle/kaggle.json",
            ]
        );
        let windows = Context { windows: true, ..Context::terminal(Shell::Powershell) };
        assert_eq!(
            render(&windows, &steps),
            [
                "Remove-Item Env:A; [Environment]::SetEnvironmentVariable('A', $null, 'User'); Remove-Item Env:B; [Environment]::SetEnvironmentVariable('B', $null, 'User')",
                "$env:A = 'x y'",
                "$env:A = $env:A -replace '\\s', ''",
                "$env:A = $env:A.Substring(7)",
                "Move-Item \"$HOME/.kaggle/access_token\" \"$HOME/.kaggle/access_token.disabled\"",
                "icacls \"$HOME/.kaggle/kaggle.json\" /inheritance:r /grant:r \"${env:USERNAME}:F\"",
            ]
        );
    }

    #[test]
    fn powershell_off_windows_uses_chmod_and_a_session_unset() {
        let linux = Context { windows: false, ..Context::terminal(Shell::Powershell) };
        let lines = render(&linux, &[Step::OwnerOnly("~/.kaggle/kaggle.json".into()), Step::Unset(vec!["A"])]);
        assert_eq!(lines, ["chmod 600 \"$HOME/.kaggle/kaggle.json\"", "Remove-Item Env:A"]);
    }

    #[test]
    fn notebooks_get_python_cells_and_their_secrets() {
        let kaggle = Context { place: Place::KaggleNotebook, ..Context::terminal(Shell::Sh) };
        let lines = render(
            &kaggle,
            &[Step::Unset(vec!["KAGGLE_API_TOKEN"]), Step::Set("KAGGLE_API_TOKEN", "<paste>".into()), Step::Recheck],
        );
        assert_eq!(lines[0], "import os; os.environ.pop(\"KAGGLE_API_TOKEN\", None)");
        assert!(lines[1].starts_with("# add it under Add-ons → Secrets"), "{lines:?}");
        assert!(
            lines[2].contains("os.environ.pop(\"KAGGLE_API_V1_TOKEN\", None)")
                && lines[2].contains("UserSecretsClient")
        );
        assert_eq!(lines[3], "!kaggle-auth-doctor");
        assert!(!lines.iter().any(|l| l.contains("export ")), "{lines:?}");
        let colab = Context { place: Place::Colab, ..Context::terminal(Shell::Sh) };
        let lines = render(&colab, &[Step::Set("KAGGLE_API_TOKEN", "<paste>".into())]);
        assert!(lines[1].contains("userdata.get(\"KAGGLE_API_TOKEN\")"), "{lines:?}");
    }

    #[test]
    fn ci_gets_a_workflow_snippet_not_a_pasted_token() {
        let ci = Context { place: Place::Ci(Ci::GithubActions), ..Context::terminal(Shell::Sh) };
        let lines = render(&ci, &[Step::Set("KAGGLE_API_TOKEN", "<paste the new token>".into())]);
        assert!(lines.iter().all(|l| l.starts_with('#')), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("${{ secrets.KAGGLE_API_TOKEN }}")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("Forks get no secrets")), "{lines:?}");
    }

    #[test]
    fn upgrades_use_the_detected_interpreter_and_rechecks_repeat_flags() {
        let cx = Context {
            python: Some("/opt/venv/bin/python".into()),
            recheck: "kaggle-auth-doctor -c titanic".into(),
            ..Context::terminal(Shell::Sh)
        };
        let lines = render(&cx, &[Step::PipUpgrade("kaggle>=1.8.3".into()), Step::Recheck]);
        assert_eq!(
            lines,
            ["/opt/venv/bin/python -m pip install --upgrade 'kaggle>=1.8.3'", "kaggle-auth-doctor -c titanic"]
        );
    }
}
