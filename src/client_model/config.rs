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
    /// `username`/`key` whose value Python counts as false though it is not an empty
    /// string (kaggle.json's `0`, `false`, `null`, `[]`…), by name.
    pub falsy: Vec<&'static str>,
}

impl ConfigDict {
    /// True when both halves of the pair are present (possibly empty: presence counts).
    pub fn has_pair(&self) -> bool {
        self.username.is_some() && self.key.is_some()
    }

    /// True when the HTTP layer uses the pair: both halves true for Python (non-empty,
    /// and not a `0`, `false`, `null`… of kaggle.json).
    pub fn pair_truthy(&self) -> bool {
        let empty = |v: Option<&str>| v.is_none_or(str::is_empty);
        self.falsy.is_empty()
            && !empty(self.username.as_ref().map(|u| u.0.as_str()))
            && !self.key.as_ref().is_none_or(|k| k.0.is_empty())
    }

    /// Why the HTTP layer passes the pair over (when [`ConfigDict::pair_truthy`] is false).
    pub fn falsy_reason(&self) -> String {
        match self.falsy.first() {
            Some(field) => format!(
                "kaggle.json's {field} counts as false in Python (0, false, null, an empty list or object), so the HTTP layer does not use the pair"
            ),
            None => "the pair has an empty half, so the HTTP layer does not use it".into(),
        }
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
        falsy: Vec::new(),
    }
}

fn file_dict(json: Option<&KaggleJson>) -> ConfigDict {
    let Some(json) = json else { return ConfigDict { file_read: true, ..ConfigDict::default() } };
    // A value that is not a string is the text Python gives it (docs/client-behaviour.md,
    // "kaggle.json values that are not strings"); a null token is no token.
    let falsy = |name: &'static str, truthy: Option<bool>| truthy.is_some_and(|t| !t).then_some(name);
    ConfigDict {
        username: json.username.sent().cloned().map(|u| (u, SourceId::FileKaggleJson)),
        key: json.key.sent().cloned().map(|k| (k, SourceId::FileKaggleJson)),
        token: json
            .token
            .sent()
            .filter(|_| !json.token.not_text().is_some_and(|t| t.null))
            .cloned()
            .map(|t| (t, SourceId::FileKaggleJsonToken)),
        file_read: true,
        falsy: [
            falsy("username", json.username.not_text().map(|u| u.truthy)),
            falsy("key", json.key.not_text().map(|k| k.truthy)),
        ]
        .into_iter()
        .flatten()
        .collect(),
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
    // A field the environment overrides loses the file's falsiness with its value.
    let falsy = file
        .falsy
        .into_iter()
        .filter(|f| match *f {
            "username" => env.username.is_none(),
            _ => env.key.is_none(),
        })
        .collect();
    ConfigDict {
        username: env.username.or(file.username),
        key: env.key.or(file.key),
        token: env.token.or(file.token),
        file_read: file.file_read,
        falsy,
    }
}
