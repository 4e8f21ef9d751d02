//! Legacy key pairs: `KAGGLE_USERNAME` + `KAGGLE_KEY`, and kaggle.json in the config dir
//! (docs/client-behaviour.md "The config dir and kaggle.json", "Every `KAGGLE_*`
//! variable is config").

use std::path::PathBuf;

use serde::Serialize;

use super::env::Var;
use super::files::{Field, FileRead, KaggleJson, NotText, Refusal, parse_kaggle_json, read_bounded};
use super::tokens::header_safe_token;
use super::{Discovery, Env, Kind, Reason, Source, SourceId};
use crate::secret::{Credential, Secret};
use crate::table::names;

/// Where the client looks for kaggle.json, and why there.
#[derive(Clone, Debug, Serialize)]
pub struct ConfigDir {
    /// The directory.
    pub path: PathBuf,
    /// Which rule chose it.
    pub why: DirRule,
}

names! {
    /// The rule that chose the config dir.
    pub enum DirRule {
        /// `KAGGLE_CONFIG_DIR` is set.
        EnvVar = "KAGGLE_CONFIG_DIR",
        /// `~/.kaggle`: the default, and on Linux whenever it exists.
        DotKaggle = "~/.kaggle",
        /// Linux only, when `~/.kaggle` does not exist: `$XDG_CONFIG_HOME/kaggle`.
        Xdg = "XDG",
    }
}

/// The config dir exactly as the client computes it at import.
pub fn config_dir(env: &Env) -> Option<ConfigDir> {
    if let Some(dir) = env.non_empty("KAGGLE_CONFIG_DIR") {
        // Relative values resolve against the working directory; `~` is not expanded.
        return Some(ConfigDir { path: env.resolve(dir), why: DirRule::EnvVar });
    }
    let dot_kaggle = env.in_home(".kaggle")?;
    // `os.path.exists`: a dangling symlink or a loop does not exist (src/discover/dirs.rs).
    if !env.linux || std::fs::metadata(&dot_kaggle).is_ok() {
        return Some(ConfigDir { path: dot_kaggle, why: DirRule::DotKaggle });
    }
    let xdg = match env.non_empty("XDG_CONFIG_HOME") {
        Some(x) => PathBuf::from(x),
        None => env.in_home(".config")?,
    };
    Some(ConfigDir { path: xdg.join("kaggle"), why: DirRule::Xdg })
}

/// `KAGGLE_USERNAME` + `KAGGLE_KEY`. A half pair is listed too: kaggle 2.2.x mixes it
/// with kaggle.json (docs/client-behaviour.md "Every `KAGGLE_*` variable is config").
pub(super) fn env_pair(env: &Env, d: &mut Discovery) {
    let id = SourceId::EnvKeyPair;
    d.looked_in.push("env KAGGLE_USERNAME + KAGGLE_KEY".into());
    let user = env.var("KAGGLE_USERNAME");
    let key = env.var("KAGGLE_KEY");
    if let Some(Var::Text(u)) = user {
        d.env_username = Some(u.to_string());
    }
    if let Some(Var::Text(k)) = key {
        d.env_key = Some(Secret::new(k));
    }
    let origin = "env KAGGLE_USERNAME, KAGGLE_KEY".to_string();
    let problem = match (user, key) {
        (None, None) => return,
        (Some(Var::NotUnicode), _) => "KAGGLE_USERNAME is not valid UTF-8",
        (_, Some(Var::NotUnicode)) => "KAGGLE_KEY is not valid UTF-8",
        (None, Some(_)) => "KAGGLE_KEY set but KAGGLE_USERNAME missing",
        (Some(_), None) => "KAGGLE_USERNAME set but KAGGLE_KEY missing",
        (Some(Var::Text("")), Some(Var::Text(""))) => "KAGGLE_USERNAME and KAGGLE_KEY are both set but empty",
        (Some(Var::Text("")), _) => "KAGGLE_USERNAME is set but empty",
        (_, Some(Var::Text(""))) => "KAGGLE_KEY is set but empty",
        (Some(Var::Text(u)), Some(Var::Text(k))) => {
            let credential = Credential::Basic { username: u.to_string(), key: Secret::new(k) };
            d.sources.push(pair_source(id, origin, credential));
            return;
        }
    };
    d.sources.push(Source::unusable(id, Kind::KeyPair, origin, problem));
}

/// kaggle.json in the config dir, plus kagglesdk's hard-coded `~/.kaggle/kaggle.json`.
pub(super) fn kaggle_json(env: &Env, d: &mut Discovery) {
    let id = SourceId::FileKaggleJson;
    let Some(dir) = config_dir(env) else { return };
    let path = dir.path.join("kaggle.json");
    let origin = env.display(&path);
    d.looked_in.push(origin.clone());
    let home_path = env.in_home(".kaggle/kaggle.json");
    if home_path.as_ref().is_some_and(|h| *h != path) {
        d.home_kaggle_json = home_path.and_then(|p| load(&p));
    }
    look_around(env, &dir, d);
    d.kaggle_json_mode = mode_of(&path);
    d.config_dir = Some(dir);
    let Some(parsed) = load(&path) else { return };
    d.kaggle_json = Some(parsed.clone());
    let json = match parsed {
        Err(reason) => {
            let words = format!("kaggle.json: {reason}");
            let reason = if path.is_dir() {
                Reason::Directory(words)
            } else if matches!(read_bounded(&path), FileRead::Denied(_)) {
                Reason::Denied(words)
            } else {
                Reason::Other(words)
            };
            d.sources.push(Source::unusable(id, Kind::KeyPair, origin, reason));
            return;
        }
        Ok(json) => json,
    };
    d.network.json_ssl_ca_cert = match &json.ssl_ca_cert {
        Field::Present(path) if !path.is_empty() => {
            Some(super::network::ca_file(env, path, super::network::CaOpen::Urllib3))
        }
        // Python finds it true, so urllib3 expands it as a path: kaggle 1.5/1.6 raise
        // TypeError on every https request.
        Field::NotText(value) if value.truthy => {
            let why = format!("is {}, not a path: kaggle 1.5/1.6 fail (TypeError) on every https request", value.kind);
            Some((value.text.chars().take(40).collect(), Err(why)))
        }
        _ => None,
    };
    let source = match pair_of(&json) {
        Ok(credential) => {
            let mut source = pair_source(id, origin, credential);
            source.client_note = not_text_note(&json);
            source
        }
        Err(reason) => Source::unusable(id, Kind::KeyPair, origin, format!("kaggle.json: {reason}")),
    };
    d.sources.push(source);
}

/// What the clients do with a username or key that is not a JSON string
/// (docs/client-behaviour.md, "kaggle.json values that are not strings"). Names the type,
/// never the value.
fn not_text_note(json: &KaggleJson) -> Option<String> {
    let fields = json.pair_not_text();
    let (field, kind) = *fields.first()?;
    let falsy = !json.username.truthy() || !json.key.truthy();
    let fallback = if falsy {
        "; Python counts it as false, so kaggle 1.7+ and kagglehub 0.4+ send the pair of ~/.kaggle/kaggle.json instead (this file again when it is the one)"
    } else {
        ""
    };
    Some(format!(
        "kaggle.json's {field} is {kind}, not a string: kaggle 1.7+ and kagglehub send the text Python gives it (probed here){fallback}; kaggle 1.5/1.6 crash joining it to the other half and send nothing"
    ))
}

/// A `"token"` field inside the kaggle.json found above.
pub(super) fn kaggle_json_token(d: &mut Discovery) {
    let id = SourceId::FileKaggleJsonToken;
    let Some(Ok(json)) = &d.kaggle_json else { return };
    let Some(origin) = d.source(SourceId::FileKaggleJson).map(|s| format!("{}#token", s.origin)) else {
        return;
    };
    let source = match &json.token {
        Field::Absent => return,
        Field::NotText(t) if t.null => {
            Source::unusable(id, Kind::Token, origin, "kaggle.json: token is null, which the clients take as no token")
        }
        Field::NotText(t) => {
            let mut source = header_safe_token(id, origin, t.text.clone(), "kaggle.json token");
            source.client_note = Some(format!(
                "kaggle.json's token is {}, not a string: kaggle 1.8+ send the text Python gives it as a Bearer token (probed here); older clients and kagglehub ignore the field",
                t.kind
            ));
            source
        }
        Field::Present(t) if t.is_empty() => Source::unusable(id, Kind::Token, origin, "kaggle.json: token is empty"),
        Field::Present(t) => header_safe_token(id, origin, t.clone(), "kaggle.json token"),
    };
    d.sources.push(source);
}

/// Facts around the config dir that trip users (docs/findings.md): a hidden XDG
/// kaggle.json (`xdg-kaggle-json-hidden`), token files under `KAGGLE_CONFIG_DIR`
/// (`token-file-in-config-dir`), a config dir the client will create (`config-dir-missing`).
fn look_around(env: &Env, dir: &ConfigDir, d: &mut Discovery) {
    d.config_dir_missing = dir.path.symlink_metadata().is_err();
    if dir.why == DirRule::DotKaggle && env.linux && env.non_empty("KAGGLE_CONFIG_DIR").is_none() {
        let xdg = match env.non_empty("XDG_CONFIG_HOME") {
            Some(x) => Some(PathBuf::from(x)),
            None => env.in_home(".config"),
        };
        let hidden = xdg.map(|x| x.join("kaggle/kaggle.json")).filter(|p| p.is_file());
        d.xdg_hidden = hidden.map(|p| env.display(&p));
    }
    if dir.why == DirRule::EnvVar && env.in_home(".kaggle").as_ref() != Some(&dir.path) {
        for name in ["access_token", "access_token.txt", "credentials.json"] {
            let p = dir.path.join(name);
            if p.is_file() {
                d.misplaced.push(env.display(&p));
            }
        }
    }
}

#[cfg(unix)]
fn mode_of(path: &std::path::Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).ok().filter(|m| m.is_file()).map(|m| m.permissions().mode() & 0o777)
}

#[cfg(not(unix))]
fn mode_of(_: &std::path::Path) -> Option<u32> {
    None
}

/// Reads and parses a kaggle.json; `None` when there is no file.
fn load(path: &std::path::Path) -> Option<Result<KaggleJson, String>> {
    match read_bounded(path) {
        // `os.path.exists` is false behind a refusal on the way: no file, for the client.
        FileRead::Missing | FileRead::Denied(Refusal::OnTheWay) => None,
        FileRead::Problem(p) => Some(Err(p)),
        FileRead::Denied(refusal) => Some(Err(refusal.words().to_string())),
        FileRead::Bytes(bytes) => Some(parse_kaggle_json(&bytes)),
    }
}

/// The username/key pair of a kaggle.json, or what is wrong with it.
pub fn pair_of(json: &KaggleJson) -> Result<Credential, String> {
    // A value of another type is sent as the text Python gives it (`not_text_note`).
    let username = match &json.username {
        Field::Present(u) if !u.is_empty() => u.clone(),
        Field::Present(_) => return Err("username is empty".into()),
        Field::NotText(u) => u.text.clone(),
        Field::Absent => return Err(missing_fields(json, "username")),
    };
    match &json.key {
        Field::Present(k) if !k.is_empty() => Ok(Credential::Basic { username, key: k.clone() }),
        Field::Present(_) => Err("key is empty".into()),
        Field::NotText(k) => Ok(Credential::Basic { username, key: k.text.clone() }),
        Field::Absent => Err(missing_fields(json, "key")),
    }
}

/// "has no username (it holds only: competition, path)".
fn missing_fields(json: &KaggleJson, field: &str) -> String {
    if json.keys.is_empty() {
        return format!("has no {field} (the object is empty)");
    }
    // Key names are outside text: each escaped and bounded, and only the first few.
    const SHOWN: usize = 8;
    let mut names: Vec<String> = json.keys.iter().take(SHOWN).map(|k| crate::report::sanitize::untrusted(k)).collect();
    if json.keys.len() > SHOWN {
        names.push(format!("… {} more", json.keys.len() - SHOWN));
    }
    format!("has no {field} (it holds only: {})", names.join(", "))
}

/// A usable pair source. A key with stray whitespace is still sent as is (docs/findings.md
/// `credential-whitespace`), so it is probed like any other and the server's answer shows
/// the problem.
fn pair_source(id: SourceId, origin: String, credential: Credential) -> Source {
    Source::usable(id, Kind::KeyPair, origin, credential)
}

/// kaggle.json as kagglehub reads it (docs/client-behaviour.md "kagglehub, the other
/// official client", step 4).
#[derive(Clone, Debug)]
pub struct HubJson {
    /// Where, for display.
    pub origin: String,
    /// The pair, or why kagglehub raises on this file (which stops every operation).
    pub pair: Result<Credential, String>,
    /// Both halves are true for Python (not empty, `0`, `false`, `null`…): kagglehub 0.4+
    /// sends a pair only then.
    pub truthy: bool,
}

/// `$KAGGLE_CONFIG_DIR/kaggle.json` if the variable is set at all (verbatim: `""` is the
/// working directory, `~` is not expanded), else `$HOME/.kaggle/kaggle.json`; no XDG.
pub fn hub_kaggle_json(env: &Env) -> Option<HubJson> {
    let path = match env.var("KAGGLE_CONFIG_DIR") {
        Some(Var::Text(dir)) => env.resolve(dir).join("kaggle.json"),
        Some(Var::NotUnicode) => return None,
        None => env.in_home(".kaggle/kaggle.json")?,
    };
    let origin = env.display(&path);
    let mut truthy = false;
    let pair = match read_bounded(&path) {
        FileRead::Missing | FileRead::Denied(Refusal::OnTheWay) => return None,
        FileRead::Problem(p) => Err(format!("{origin} {p}")),
        FileRead::Denied(refusal) => Err(format!("{origin} {}", refusal.words())),
        FileRead::Bytes(bytes) => match parse_kaggle_json(&bytes) {
            Err(why) => Err(format!("Invalid Kaggle credentials file at {origin} ({why})")),
            Ok(json) => match (&json.username, &json.key) {
                (Field::Absent, _) => Err(format!("Kaggle credentials file at {origin} is missing 'username' key")),
                (_, Field::Absent) => Err(format!("Kaggle credentials file at {origin} is missing 'key' key")),
                // requests sends a value of another type as the text Python gives it.
                (Field::Present(u) | Field::NotText(NotText { text: u, .. }), key) => {
                    truthy = json.username.truthy() && json.key.truthy();
                    let key = key.sent().expect("present").clone();
                    Ok(Credential::Basic { username: u.clone(), key })
                }
            },
        },
    };
    Some(HubJson { origin, pair, truthy })
}
