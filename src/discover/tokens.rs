//! Token sources: the kagglesdk token chain (docs/client-behaviour.md "The token chain")
//! and the `KAGGLE_TOKEN` config token (docs/findings.md `config-token-overrides-key`).

use std::path::Path;

use super::files::{FileRead, Refusal, is_denied, read_bounded, token_text};
use super::{ClientCrash, Discovery, Env, Kind, Reason, Source, SourceId};
use crate::discover::env::Var;
use crate::secret::{Credential, Secret};

/// `KAGGLE_API_V1_TOKEN` names a token file; used only inside a Kaggle notebook session,
/// i.e. with `KAGGLE_KERNEL_RUN_TYPE` and `KAGGLE_DATA_PROXY_URL` both set.
pub(super) fn notebook(env: &Env, d: &mut Discovery) {
    let id = SourceId::NotebookToken;
    let run_type = env.is_set("KAGGLE_KERNEL_RUN_TYPE");
    let proxy = env.is_set("KAGGLE_DATA_PROXY_URL");
    let Some(path) = env.non_empty("KAGGLE_API_V1_TOKEN") else {
        if run_type {
            d.looked_in.push("env KAGGLE_API_V1_TOKEN (Kaggle notebook token)".into());
        }
        return;
    };
    let origin = format!("env KAGGLE_API_V1_TOKEN → {path}");
    d.looked_in.push(origin.clone());
    if !run_type {
        d.sources.push(Source::unusable(id, Kind::Token, origin, Reason::NotInNotebook));
        return;
    }
    if !proxy {
        d.sources.push(Source::unusable(id, Kind::Token, origin, Reason::NotebookWithoutProxy));
        return;
    }
    d.sources.push(token_file_source(id, origin, &env.resolve(path), "KAGGLE_API_V1_TOKEN"));
}

/// `KAGGLE_API_TOKEN`: the value, or — when it names an existing path relative to the
/// working directory — that file's stripped content. The value itself is not stripped.
pub(super) fn env_api_token(env: &Env, d: &mut Discovery) {
    let id = SourceId::EnvApiToken;
    d.looked_in.push("env KAGGLE_API_TOKEN".into());
    let value = match env.var("KAGGLE_API_TOKEN") {
        None => return,
        Some(Var::NotUnicode) => {
            let why = "KAGGLE_API_TOKEN is not valid UTF-8: it cannot be sent";
            d.sources.push(Source::unusable(id, Kind::Token, "env KAGGLE_API_TOKEN".into(), why));
            return;
        }
        Some(Var::Text(v)) => v,
    };
    d.env_api_token = Some(Secret::new(value));
    let origin = "env KAGGLE_API_TOKEN".to_string();
    if value.is_empty() {
        let why = "KAGGLE_API_TOKEN is set but empty: the client ignores it";
        d.sources.push(Source::unusable(id, Kind::Token, origin, why));
        return;
    }
    // The client asks os.path.exists(value): a value that names a file is a path.
    let path = env.resolve(value);
    if value.len() <= 255 && (path.exists() || path.symlink_metadata().is_ok()) {
        // A path, not a secret: the file's content is the token.
        d.env_api_token_is_path = true;
        let origin = format!("env KAGGLE_API_TOKEN → {}", env.display(&path));
        let mut source = token_file_source(id, origin, &path, "KAGGLE_API_TOKEN");
        if path.is_dir() {
            source.client_crash = Some(ClientCrash::TokenPathIsDirectory);
        }
        // An empty file there yields "no token" without falling through (docs/client-behaviour.md
        // "The token chain").
        source.ends_token_chain = !source.is_usable();
        d.sources.push(source);
        return;
    }
    let mut source = header_safe_token(id, origin, Secret::new(value), "KAGGLE_API_TOKEN");
    if value.len() > 255 {
        // os.path.exists raises on such a long name (docs/findings.md `token-path-trap`).
        source.client_crash = Some(ClientCrash::TokenPathTooLong);
    } else if path.symlink_metadata().is_err_and(|e| is_denied(&e)) {
        // `Path.exists` raises when a directory on the way refuses access.
        source.client_crash = Some(ClientCrash::PermissionDenied);
    }
    d.sources.push(source);
}

/// `~/.kaggle/access_token` and `~/.kaggle/access_token.txt` (always under `$HOME`).
pub(super) fn access_token_files(env: &Env, d: &mut Discovery) {
    for (id, name) in [
        (SourceId::FileAccessToken, ".kaggle/access_token"),
        (SourceId::FileAccessTokenTxt, ".kaggle/access_token.txt"),
    ] {
        let Some(path) = env.in_home(name) else { continue };
        let origin = env.display(&path);
        d.looked_in.push(origin.clone());
        if matches!(read_bounded(&path), FileRead::Missing) {
            continue;
        }
        d.sources.push(token_file_source(id, origin.clone(), &path, &origin));
    }
}

/// `KAGGLE_TOKEN`: every `KAGGLE_*` variable is config, and config `token` is sent as
/// Bearer by kagglesdk-based clients (docs/findings.md `config-token-overrides-key`).
pub(super) fn env_config_token(env: &Env, d: &mut Discovery) {
    let id = SourceId::EnvToken;
    let origin = "env KAGGLE_TOKEN".to_string();
    if let Some(Var::Text(v)) = env.var("KAGGLE_TOKEN") {
        d.env_token = Some(Secret::new(v));
    }
    match env.var("KAGGLE_TOKEN") {
        None => {}
        Some(Var::NotUnicode) => d.sources.push(Source::unusable(
            id,
            Kind::Token,
            origin,
            "KAGGLE_TOKEN is not valid UTF-8: it cannot be sent",
        )),
        Some(Var::Text("")) => {
            d.sources.push(Source::unusable(id, Kind::Token, origin, "KAGGLE_TOKEN is set but empty"))
        }
        Some(Var::Text(v)) => d.sources.push(header_safe_token(id, origin, Secret::new(v), "KAGGLE_TOKEN")),
    }
}

/// A token read from a file: stripped, and empty means "no token".
/// kagglesdk reads it with `pathlib` (`exists`, then `read_text`): a directory there, or
/// a refusal on the file or on the way to it, raises, and the token search crashes.
fn token_file_source(id: SourceId, origin: String, path: &Path, label: &str) -> Source {
    let crashing = |reason: Reason, crash: ClientCrash| {
        let mut source = Source::unusable(id, Kind::Token, origin.clone(), reason);
        source.client_crash = Some(crash);
        source
    };
    let bytes = match read_bounded(path) {
        FileRead::Bytes(bytes) => bytes,
        FileRead::Missing => {
            return Source::unusable(id, Kind::Token, origin, format!("{label}: the file does not exist"));
        }
        FileRead::Problem(p) if path.is_dir() => {
            return crashing(Reason::Directory(format!("{label}: the file {p}")), ClientCrash::FileIsDirectory);
        }
        FileRead::Problem(p) => return Source::unusable(id, Kind::Token, origin, format!("{label}: the file {p}")),
        FileRead::Denied(refusal) => {
            let words = format!("{label}: the file {}", refusal.words());
            let reason = match refusal {
                Refusal::File => Reason::Denied(words),
                Refusal::OnTheWay => Reason::InUnusableDir(words),
            };
            return crashing(reason, ClientCrash::PermissionDenied);
        }
    };
    match token_text(&bytes) {
        Err(p) => Source::unusable(id, Kind::Token, origin, format!("{label}: the file {p}")),
        Ok(None) => Source::unusable(id, Kind::Token, origin, format!("{label}: the file is empty")),
        Ok(Some(token)) => header_safe_token(id, origin, token, label),
    }
}

/// A token source, unless the value cannot be put in an HTTP header at all; kagglesdk
/// clients crash on those when their token search reaches them (docs/client-behaviour.md
/// "The token chain", "When the client stops").
pub(super) fn header_safe_token(id: SourceId, origin: String, token: Secret, label: &str) -> Source {
    let (why, crash) = if token.has_control_chars() {
        ("contains a newline or control character", ClientCrash::ControlCharInHeader)
    } else if token.starts_with_bom() {
        ("starts with a byte order mark (BOM)", ClientCrash::BomInHeader)
    } else if token.has_non_ascii() {
        ("contains non-ASCII characters", ClientCrash::NonAsciiInHeader)
    } else {
        return Source::usable(id, Kind::Token, origin, Credential::Bearer(token));
    };
    let why = format!("{label} {why}: it cannot be sent in an HTTP header");
    let mut source = Source::unusable(id, Kind::Token, origin, why);
    source.client_crash = Some(crash);
    source
}
