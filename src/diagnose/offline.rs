//! Findings that need no network: how credentials are written (quotes, a token in a key
//! field, empty variables), files that look like a misplaced kaggle.json, and where the
//! process runs (sudo, WSL, a container, Colab, a Kaggle notebook, CI).

use super::fix::{self, Step};
use super::{Code, Finding, Input, Severity};
use crate::discover::SourceId;

/// Every offline check.
pub(super) fn check(input: &Input, effective_ok: bool, out: &mut Vec<Finding>) {
    out.extend(credential_quoted(input, effective_ok));
    out.extend(token_in_key_field(input, effective_ok));
    out.extend(empty_env_credential(input, effective_ok));
    out.extend(near_miss_credential_file(input));
    out.extend(environment(input));
}

fn quoted(value: &str) -> bool {
    let v = value.trim();
    v.len() >= 2 && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\'')))
}

fn severity(input: &Input, effective_ok: bool, id: SourceId) -> Severity {
    if input.effective.source == Some(id) && !effective_ok { Severity::Error } else { Severity::Warning }
}

fn credential_quoted(input: &Input, effective_ok: bool) -> Option<Finding> {
    let d = input.discovery;
    let env_token = d.env_api_token.as_ref().is_some_and(|t| t.starts_with("\"") || t.starts_with("'"));
    let env_key = d.env_key.as_ref().is_some_and(|k| k.starts_with("\"") || k.starts_with("'"));
    let json = d.kaggle_json.as_ref().and_then(|r| r.as_ref().ok());
    let json_key = json.is_some_and(|j| j.key.value().is_some_and(|k| k.starts_with("\"") || k.starts_with("'")))
        || json.is_some_and(|j| j.username.value().is_some_and(|u| quoted(u)));
    let mut sources = Vec::new();
    let mut steps = Vec::new();
    if env_token {
        sources.push(SourceId::EnvApiToken);
        steps.push(Step::StripQuotes("KAGGLE_API_TOKEN"));
    }
    if env_key {
        sources.push(SourceId::EnvKeyPair);
        steps.push(Step::StripQuotes("KAGGLE_KEY"));
    }
    if json_key {
        sources.push(SourceId::FileKaggleJson);
        steps.push(Step::Note("remove the extra quotes inside the kaggle.json values, e.g. \"key\": \"abc\", not \"key\": \"\\\"abc\\\"\"".into()));
    }
    if sources.is_empty() {
        return None;
    }
    steps.push(fix::recheck());
    let names: Vec<&str> = sources.iter().map(|s| s.as_str()).collect();
    let sev = sources.iter().map(|s| severity(input, effective_ok, *s)).min().unwrap_or(Severity::Warning);
    Some(Finding::new(
        Code::CredentialQuoted,
        sev,
        sources.clone(),
        format!("quotes are part of the credential: {}", names.join(", ")),
        "The value starts with a quote character, so the quotes are sent as part of the token or key and Kaggle answers 401. They usually come from copying `KAGGLE_KEY=\"…\"` into a CI secret or a .env file that is not parsed by a shell.".into(),
        steps,
    ))
}

fn token_in_key_field(input: &Input, effective_ok: bool) -> Option<Finding> {
    let d = input.discovery;
    // An error only when the key is what the client sends and it fails.
    let sev = |id: SourceId| {
        if input.effective.key_source == Some(id) && !effective_ok { Severity::Error } else { Severity::Warning }
    };
    if d.env_key.as_ref().is_some_and(|k| k.starts_with("KGAT_")) {
        return Some(Finding::new(
            Code::TokenInKeyField,
            sev(SourceId::EnvKeyPair),
            vec![SourceId::EnvKeyPair],
            "KAGGLE_KEY holds an access token (KGAT_…), not a legacy key".into(),
            "A KGAT_ token sent as the password of HTTP Basic is rejected (401). Tokens go in KAGGLE_API_TOKEN and are sent as Bearer; KAGGLE_KEY is for the 32-character legacy key.".into(),
            vec![Step::MoveVar("KAGGLE_KEY", "KAGGLE_API_TOKEN"), Step::Unset(vec!["KAGGLE_USERNAME"]), fix::recheck()],
        ));
    }
    let json = d.kaggle_json.as_ref().and_then(|r| r.as_ref().ok())?;
    if !json.key.value().is_some_and(|k| k.starts_with("KGAT_")) {
        return None;
    }
    let path =
        input.discovery.source(SourceId::FileKaggleJson).map_or("~/.kaggle/kaggle.json".into(), |s| s.origin.clone());
    Some(Finding::new(
        Code::TokenInKeyField,
        sev(SourceId::FileKaggleJson),
        vec![SourceId::FileKaggleJson],
        "kaggle.json's \"key\" holds an access token (KGAT_…), not a legacy key".into(),
        "kaggle.json is sent as HTTP Basic username:key, which a KGAT_ token does not satisfy (401). Put the token in ~/.kaggle/access_token (kaggle ≥ 1.8) instead.".into(),
        vec![
            Step::Note("save the token on its own, then take kaggle.json out of the way:".into()),
            Step::JsonFieldToFile(path.clone(), "key", "~/.kaggle/access_token".into()),
            Step::Move(path.clone(), format!("{path}.disabled")),
            fix::recheck(),
        ],
    ))
}

fn empty_env_credential(input: &Input, effective_ok: bool) -> Option<Finding> {
    let d = input.discovery;
    let empty: Vec<&'static str> = [
        ("KAGGLE_API_TOKEN", d.env_api_token.as_ref().is_some_and(|t| t.is_empty())),
        ("KAGGLE_USERNAME", d.env_username.as_deref() == Some("")),
        ("KAGGLE_KEY", d.env_key.as_ref().is_some_and(|k| k.is_empty())),
        ("KAGGLE_TOKEN", d.env_token.as_ref().is_some_and(|t| t.is_empty())),
    ]
    .into_iter()
    .filter_map(|(name, empty)| empty.then_some(name))
    .collect();
    if empty.is_empty() {
        return None;
    }
    let ci = d.hints.ci.map_or(String::new(), |ci| {
        format!(" In {ci} an empty value usually means the secret is not available to this job (a pull request from a fork, a missing environment, a typo in the secret's name).")
    });
    // When the client ends up sending nothing and fails, the empty variables are why: the
    // fix is to give them a value (in CI: make the secret reach the job), not to unset them.
    let why = input.effective.auth == crate::client_model::Auth::None && !effective_ok;
    let (severity, steps) = if why {
        let name = if empty.contains(&"KAGGLE_API_TOKEN") || !empty.contains(&"KAGGLE_KEY") {
            "KAGGLE_API_TOKEN"
        } else {
            "KAGGLE_KEY"
        };
        (Severity::Error, vec![Step::Set(name, "<your token>".into()), fix::recheck()])
    } else {
        (Severity::Warning, vec![Step::Unset(empty.clone()), fix::recheck()])
    };
    Some(Finding::new(
        Code::EmptyEnvCredential,
        severity,
        vec![SourceId::EnvApiToken, SourceId::EnvKeyPair],
        format!("set but empty: {}", empty.join(", ")),
        format!(
            "An empty variable still counts as set for some clients: kaggle 1.7 sends an empty Bearer token when KAGGLE_API_TOKEN is empty, and an empty KAGGLE_KEY makes 1.6 send `user:` and newer clients fall back to ~/.kaggle/kaggle.json.{ci}"
        ),
        steps,
    ))
}

fn near_miss_credential_file(input: &Input) -> Option<Finding> {
    let misses = &input.discovery.near_misses;
    let first = misses.first()?;
    let target = input.discovery.config_dir.as_ref().map_or("~/.kaggle/kaggle.json".to_string(), |c| {
        input
            .discovery
            .source(SourceId::FileKaggleJson)
            .map_or_else(|| format!("{}/kaggle.json", c.path.display()), |s| s.origin.clone())
    });
    let has_kaggle_json = input.discovery.kaggle_json.is_some();
    Some(Finding::new(
        Code::NearMissCredentialFile,
        if has_kaggle_json { Severity::Info } else { Severity::Warning },
        Vec::new(),
        format!("a file that looks like kaggle.json is where the client never looks: {}", misses.join(", ")),
        format!(
            "The client reads exactly {target}; downloads land as ~/Downloads/kaggle.json or 'kaggle (1).json', and some editors add .txt."
        ),
        if has_kaggle_json {
            vec![Step::Note(
                "kaggle.json already exists where the client looks; remove the stray copy if it is stale".into(),
            )]
        } else {
            vec![
                Step::MoveIntoDotKaggleAs(first.clone(), "kaggle.json"),
                Step::OwnerOnly("~/.kaggle/kaggle.json".into()),
                fix::recheck(),
            ]
        },
    ))
}

fn environment(input: &Input) -> Vec<Finding> {
    let h = &input.discovery.hints;
    let mut out = Vec::new();
    let info = |code, title: &str, detail: &str, steps| {
        Finding::new(code, Severity::Info, Vec::new(), title.into(), detail.into(), steps)
    };
    if let Some(user) = &h.sudo_user {
        out.push(Finding::new(
            Code::RunningUnderSudo,
            Severity::Warning,
            Vec::new(),
            format!("running under sudo for {user}: the client reads root's home and environment, not {user}'s"),
            "sudo resets HOME and drops most variables, so ~/.kaggle and KAGGLE_* of the invoking user are not seen."
                .into(),
            vec![Step::Run(format!("sudo -u {user} -E kaggle-auth-doctor   # or run without sudo"))],
        ));
    }
    if h.wsl {
        out.push(info(
            Code::WslEnvironment,
            "running in WSL: the Linux home is not C:\\Users\\<you>",
            "A kaggle.json saved on the Windows side (C:\\Users\\<you>\\.kaggle) is not read by a client running in WSL.",
            vec![Step::Run("mkdir -p ~/.kaggle && cp /mnt/c/Users/<you>/.kaggle/kaggle.json ~/.kaggle/ && chmod 600 ~/.kaggle/kaggle.json".into())],
        ));
    }
    if h.container {
        out.push(info(
            Code::ContainerEnvironment,
            "running in a container: the host's ~/.kaggle is not here unless mounted",
            "Pass credentials in explicitly: -e KAGGLE_API_TOKEN, or mount the host's ~/.kaggle read-only.",
            vec![Step::Note("docker run -e KAGGLE_API_TOKEN -v \"$HOME/.kaggle:/root/.kaggle:ro\" …".into())],
        ));
    }
    if h.colab {
        out.push(info(
            Code::ColabEnvironment,
            "running in Google Colab",
            "An uploaded kaggle.json lands in /content, not ~/.kaggle; Colab secrets reach the kaggle CLI only when copied into the environment (kagglehub reads them itself). The doctor never reads Colab secrets.",
            vec![Step::Run("mkdir -p ~/.kaggle && cp /content/kaggle.json ~/.kaggle/ && chmod 600 ~/.kaggle/kaggle.json".into())],
        ));
    }
    if h.kaggle_notebook {
        out.push(info(
            Code::KaggleNotebookEnvironment,
            "running in a Kaggle notebook",
            "The notebook's session token (KAGGLE_API_V1_TOKEN) comes first in the token chain and is scoped to the notebook; actions it does not cover need a token of your own from Add-ons → Secrets.",
            Vec::new(),
        ));
    }
    if let Some(ci) = h.ci {
        out.push(info(
            Code::CiEnvironment,
            &format!("running in {ci}"),
            "Credentials come from the job's secrets: check that they are exposed to this step as KAGGLE_API_TOKEN (or KAGGLE_USERNAME and KAGGLE_KEY), and not empty. docs/ci.md has a preflight job.",
            Vec::new(),
        ));
    }
    out
}
