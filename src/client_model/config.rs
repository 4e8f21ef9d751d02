//! The client's config dict: how `KAGGLE_*` env vars and kaggle.json combine into
//! `username`, `key` and `token`, with where each value came from (docs/client-behaviour.md
//! "Every `KAGGLE_*` variable is config").

use crate::discover::files::KaggleJson;
use crate::discover::{Discovery, SourceId};
use crate::secret::Secret;

/// `username`, `key` and `token` of the config dict, each with its source.
#[derive(Clone, Debug, Default)]
pub struct ConfigDict {
    /// `username`.
    pub username: Option<(String, SourceId)>,
    /// `key`.
    pub key: Option<(Secret, SourceId)>,
    /// `token` (`KAGGLE_TOKEN` or kaggle.json `"token"`): sent as Bearer (docs/findings.md
    /// `config-token-overrides-key`).
    pub token: Option<(Secret, SourceId)>,
    /// True when kaggle.json was read into the dict.
    pub file_read: bool,
}

impl ConfigDict {
    /// True when both halves of the pair are present (possibly empty: presence counts).
    pub fn has_pair(&self) -> bool {
        self.username.is_some() && self.key.is_some()
    }

    /// The config token, when non-empty.
    pub fn config_token(&self) -> Option<(&Secret, SourceId)> {
        self.token.as_ref().filter(|(t, _)| !t.is_empty()).map(|(t, id)| (t, *id))
    }
}

fn env_dict(d: &Discovery) -> ConfigDict {
    ConfigDict {
        username: d.env_username.clone().map(|u| (u, SourceId::EnvKeyPair)),
        key: d.env_key.clone().map(|k| (k, SourceId::EnvKeyPair)),
        token: d.env_token.clone().map(|t| (t, SourceId::EnvToken)),
        file_read: false,
    }
}

fn file_dict(json: Option<&KaggleJson>) -> ConfigDict {
    let Some(json) = json else { return ConfigDict { file_read: true, ..ConfigDict::default() } };
    ConfigDict {
        username: json.username.value().cloned().map(|u| (u, SourceId::FileKaggleJson)),
        key: json.key.value().cloned().map(|k| (k, SourceId::FileKaggleJson)),
        token: json.token.value().cloned().map(|t| (t, SourceId::FileKaggleJsonToken)),
        file_read: true,
    }
}

fn parsed_file(d: &Discovery) -> Option<&KaggleJson> {
    d.kaggle_json.as_ref().and_then(|r| r.as_ref().ok())
}

/// 1.6 – 2.1.x: the env dict, unless it lacks `username` or `key` and kaggle.json
/// exists — then the file's JSON replaces the whole dict (an unparsable file is empty).
pub fn replace_rule(d: &Discovery) -> ConfigDict {
    let env = env_dict(d);
    if env.has_pair() || d.kaggle_json.is_none() {
        return env;
    }
    file_dict(parsed_file(d))
}

/// 2.2.x: kaggle.json first, then every `KAGGLE_*` env var overrides its key.
pub fn overlay_rule(d: &Discovery) -> ConfigDict {
    let env = env_dict(d);
    let file = if d.kaggle_json.is_some() { file_dict(parsed_file(d)) } else { ConfigDict::default() };
    ConfigDict {
        username: env.username.or(file.username),
        key: env.key.or(file.key),
        token: env.token.or(file.token),
        file_read: file.file_read,
    }
}
