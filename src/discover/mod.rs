//! Discovery: every place a Kaggle credential can come from on this machine.
//!
//! The rules mirror what the official client reads (docs/client-behaviour.md: "The config
//! dir and kaggle.json", "Every `KAGGLE_*` variable is config", "The token chain", "OAuth
//! credentials that the client refreshes first"): `KAGGLE_CONFIG_DIR` only moves
//! kaggle.json; the Linux XDG dir is used only when `~/.kaggle` does not exist; `KAGGLE_API_TOKEN` holds a token or a path
//! to a file; `access_token`, `access_token.txt` and `credentials.json` always live in
//! `$HOME/.kaggle`; the notebook token counts only with `KAGGLE_KERNEL_RUN_TYPE` and
//! `KAGGLE_DATA_PROXY_URL` set. Discovery is the only stage that reads files and the
//! environment, and it does both through an [`Env`] snapshot.

pub mod client;
pub mod dirs;
mod dotenv;
pub mod env;
pub mod files;
mod hints;
mod legacy;
pub mod network;
mod oauth;
pub mod python_value;
mod reason;
mod tokens;

pub use env::Env;
pub use hints::Ci;
pub use legacy::{ConfigDir, DirRule};
pub use reason::{ClientCrash, Reason};

use serde::Serialize;

use crate::secret::{Credential, Fingerprint, Secret};
use crate::table::names;
pub use files::KaggleJson;

names! {
    /// Stable source ids: a public contract (docs/json.md). Declaration order is row order.
    pub enum SourceId {
        /// Token file of a Kaggle notebook session.
        NotebookToken = "notebook:KAGGLE_API_V1_TOKEN",
        /// `KAGGLE_API_TOKEN`: a token, or a path to a file holding one.
        EnvApiToken = "env:KAGGLE_API_TOKEN",
        /// `~/.kaggle/access_token`.
        FileAccessToken = "file:access_token",
        /// `~/.kaggle/access_token.txt`.
        FileAccessTokenTxt = "file:access_token.txt",
        /// `KAGGLE_USERNAME` + `KAGGLE_KEY`.
        EnvKeyPair = "env:KAGGLE_USERNAME+KAGGLE_KEY",
        /// `username` + `key` in kaggle.json.
        FileKaggleJson = "file:kaggle.json",
        /// `KAGGLE_TOKEN`, a config token sent as Bearer (docs/findings.md
        /// `config-token-overrides-key`).
        EnvToken = "env:KAGGLE_TOKEN",
        /// A `token` field in kaggle.json, sent the same way.
        FileKaggleJsonToken = "file:kaggle.json#token",
        /// OAuth credentials from `kaggle auth login`.
        FileCredentialsJson = "file:credentials.json",
        /// `KAGGLE_*` values in `./.env` (not read by the client itself).
        DotEnv = "dotenv:.env",
        /// kaggle 2.2.x's per-field overlay of `KAGGLE_*` env vars on kaggle.json, listed only
        /// when it yields a pair that no single source holds (docs/findings.md `mixed-key-pair`).
        MergedPair = "merged:kaggle.json+env",
        /// No credential at all: the baseline row.
        Anonymous = "anonymous",
    }
}

impl SourceId {
    /// The token chain of kagglesdk, in its order (docs/client-behaviour.md "The token chain").
    pub const TOKEN_CHAIN: [SourceId; 4] =
        [SourceId::NotebookToken, SourceId::EnvApiToken, SourceId::FileAccessToken, SourceId::FileAccessTokenTxt];
}

names! {
    /// What kind of credential a source holds.
    pub enum Kind {
        /// An access token, sent as Bearer.
        Token = "token",
        /// A legacy username + key, sent as Basic.
        KeyPair = "key_pair",
        /// OAuth credentials (refresh + access token).
        Oauth = "oauth",
        /// No credential (the anonymous row).
        None = "none",
    }
}

names! {
    /// Whether a source can be probed.
    pub enum State {
        /// Holds a credential that can be sent.
        Usable = "usable",
        /// Present but not usable; `reason` says why.
        Unusable = "unusable",
    }
}

/// A token's state as Kaggle's introspection reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TokenState {
    /// Introspection says active.
    Active,
    /// Introspection says not active (revoked, or never valid).
    Inactive,
    /// Introspection says not active, and its expiry is in the past.
    Expired,
}

impl TokenState {
    /// The JSON spelling, also used by every renderer.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenState::Active => "active",
            TokenState::Inactive => "inactive",
            TokenState::Expired => "expired",
        }
    }
}

/// What introspection said about one token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct TokenInfo {
    /// Active, inactive or expired.
    pub state: TokenState,
    /// The scopes granted, space-separated as Kaggle sends them (`null`: all / not said).
    pub scope: Option<String>,
    /// When the token expires (RFC 3339, UTC), when Kaggle says.
    pub expires_at: Option<String>,
}

/// One place a credential comes from.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Source {
    /// Stable id.
    pub id: SourceId,
    /// Token, key pair, OAuth or none.
    pub kind: Kind,
    /// Where it was found: an env var name or a path (home shown as `~`).
    pub origin: String,
    /// Usable or not.
    pub state: State,
    /// Why an unusable source cannot be used, in plain words.
    pub reason: Option<Reason>,
    /// The Kaggle username behind it, when known (locally, or from the server).
    pub username: Option<String>,
    /// Fingerprint of what would go on the wire.
    pub fingerprint: Option<Fingerprint>,
    /// For tokens that were introspected: what Kaggle says about them (active or not,
    /// scope, expiry). Filled after probing; `null` otherwise.
    pub token: Option<TokenInfo>,
    /// The credential itself; never serialised.
    #[serde(skip)]
    pub credential: Option<Credential>,
    /// For token sources: kagglesdk stops its token search here even though no token
    /// was found (an empty file named by `KAGGLE_API_TOKEN`; docs/client-behaviour.md
    /// "The token chain").
    #[serde(skip)]
    pub ends_token_chain: bool,
    /// For token sources: what kagglesdk-based clients crash with when their token search
    /// reaches this source (a directory, an over-long value, a newline, a BOM).
    #[serde(skip)]
    pub client_crash: Option<ClientCrash>,
    /// What the client does with this source before sending anything, when that is not
    /// just sending it (credentials.json with a stale access token: it refreshes first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_note: Option<String>,
}

impl Source {
    /// A usable source holding `credential`.
    pub fn usable(id: SourceId, kind: Kind, origin: String, credential: Credential) -> Self {
        let username = match &credential {
            Credential::Basic { username, .. } => Some(username.clone()),
            Credential::Bearer(_) => None,
        };
        Source {
            id,
            kind,
            origin,
            state: State::Usable,
            reason: None,
            username,
            fingerprint: Some(credential.fingerprint()),
            credential: Some(credential),
            token: None,
            ends_token_chain: false,
            client_crash: None,
            client_note: None,
        }
    }

    /// A source that is present but cannot be used.
    pub fn unusable(id: SourceId, kind: Kind, origin: String, reason: impl Into<Reason>) -> Self {
        Source {
            id,
            kind,
            origin,
            state: State::Unusable,
            reason: Some(reason.into()),
            username: None,
            fingerprint: None,
            credential: None,
            token: None,
            ends_token_chain: false,
            client_crash: None,
            client_note: None,
        }
    }

    /// The anonymous baseline.
    pub fn anonymous() -> Self {
        Source {
            id: SourceId::Anonymous,
            kind: Kind::None,
            origin: "no credential".into(),
            state: State::Usable,
            reason: None,
            username: None,
            fingerprint: None,
            credential: None,
            token: None,
            ends_token_chain: false,
            client_crash: None,
            client_note: None,
        }
    }

    /// "a token", "a key pair"…, for sentences.
    pub fn kind_label(&self) -> &'static str {
        match self.kind {
            Kind::Token => "a token",
            Kind::KeyPair => "a key pair",
            Kind::Oauth => "OAuth credentials",
            Kind::None => "no credential",
        }
    }

    /// True when the source can be probed.
    pub fn is_usable(&self) -> bool {
        self.state == State::Usable
    }
}

/// The answer to `--oauth-refresh`'s GenerateAccessToken request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OauthRefresh {
    /// A token was minted: the credentials.json row now holds it.
    Minted,
    /// Refused with 401: the client deletes credentials.json and sends nothing with it.
    Refused,
    /// Any other failure (status or network): the client stops with a traceback.
    Failed(String),
}

/// Everything discovery learned: the sources, plus the raw facts the client model needs
/// to replay the client's own merging rules.
#[derive(Clone, Debug, Default)]
pub struct Discovery {
    /// Every source found, in row order, ending with `anonymous`.
    pub sources: Vec<Source>,
    /// Where kaggle.json is looked for, and why there.
    pub config_dir: Option<ConfigDir>,
    /// kaggle.json in the config dir: parsed, or why not.
    pub kaggle_json: Option<Result<KaggleJson, String>>,
    /// kagglesdk's hard-coded `~/.kaggle/kaggle.json`, when the config dir is elsewhere.
    pub home_kaggle_json: Option<Result<KaggleJson, String>>,
    /// `KAGGLE_USERNAME` if set (possibly empty).
    pub env_username: Option<String>,
    /// `KAGGLE_KEY` if set (possibly empty).
    pub env_key: Option<Secret>,
    /// `KAGGLE_API_TOKEN` exactly as set (possibly empty): kaggle 1.7 sends it verbatim.
    pub env_api_token: Option<Secret>,
    /// `KAGGLE_TOKEN` if set (possibly empty): config `token` (docs/client-behaviour.md
    /// "Every `KAGGLE_*` variable is config").
    pub env_token: Option<Secret>,
    /// `KAGGLE_ENABLE_OAUTH` is 1, true or yes (kaggle 1.8.0–2.1.0).
    pub enable_oauth: bool,
    /// credentials.json: whether its access token is fresh by the client's own rule.
    pub oauth_fresh: Option<bool>,
    /// credentials.json `refresh_token` (what `--oauth-refresh` sends).
    pub oauth_refresh_token: Option<Secret>,
    /// What `--oauth-refresh` got; `None` when not asked.
    pub oauth_refresh: Option<OauthRefresh>,
    /// credentials.json `access_token_expiration`: Unix seconds, and whether it had a UTC
    /// offset (a naive one crashes the client; docs/findings.md `oauth-expiry-bug`).
    pub oauth_expiry: Option<(i64, bool)>,
    /// When discovery ran, in Unix seconds (diagnose compares expiry times with it).
    pub now: i64,
    /// Permission bits of the config-dir kaggle.json (Unix).
    pub kaggle_json_mode: Option<u32>,
    /// An XDG kaggle.json that the client ignores because `~/.kaggle` exists
    /// (docs/findings.md `xdg-kaggle-json-hidden`).
    pub xdg_hidden: Option<String>,
    /// Token or OAuth files placed under `KAGGLE_CONFIG_DIR`, where the client never
    /// looks for them (docs/findings.md `token-file-in-config-dir`).
    pub misplaced: Vec<String>,
    /// The config dir does not exist: the client creates it at import (docs/findings.md
    /// `config-dir-missing`).
    pub config_dir_missing: bool,
    /// `~/.kaggle` or the config dir, there but unusable (a file, a dangling symlink, a
    /// loop, a refusal).
    pub unusable_dirs: Vec<dirs::UnusableDir>,
    /// What the client raises at import creating its config dir (`os.makedirs` over a
    /// dangling symlink, a loop or a file); every version but 1.5.
    pub import_crash: Option<String>,
    /// The same for kaggle 1.5, whose config dir is never the XDG one.
    pub import_crash_legacy15: Option<String>,
    /// `KAGGLE_CONFIG_DIR` exactly as set.
    pub raw_config_dir: Option<String>,
    /// `KAGGLE_CONFIG_DIR` is set but empty (the CLI treats it as unset; kagglehub does not).
    pub config_dir_empty: bool,
    /// Files that look like a misplaced kaggle.json (display paths).
    pub near_misses: Vec<String>,
    /// Where this process runs, as far as it matters for credentials.
    pub hints: hints::Hints,
    /// kaggle.json as kagglehub reads it (its own path rule and strict parsing).
    pub hub_kaggle_json: Option<legacy::HubJson>,
    /// `KAGGLE_DATA_PROXY_URL`, set in Kaggle notebooks.
    pub network_proxy_url: Option<String>,
    /// `DISABLE_KAGGLE_CACHE` is truthy: kagglehub uses the API in notebooks too.
    pub disable_kaggle_cache: bool,
    /// `KAGGLE_USER_SECRETS_TOKEN` is set, even empty (kagglehub's notebook download
    /// channel: it raises only when the variable is absent).
    pub user_secrets_token: bool,
    /// `KAGGLE_DATA_PROXY_TOKEN` is set, even empty (the same channel's second header).
    pub data_proxy_token: bool,
    /// `KAGGLE_COMPETITION` if set and non-empty.
    pub env_competition: Option<String>,
    /// `KAGGLE_API_ENVIRONMENT` if set.
    pub api_environment: Option<String>,
    /// `KAGGLE_API_ENVIRONMENT` exactly as set, empty included (kagglehub rejects `""`).
    pub api_environment_raw: Option<String>,
    /// `KAGGLE_API_ENDPOINT` if set and non-empty (kaggle 1.5/1.6's API root).
    pub api_endpoint: Option<String>,
    /// `KAGGLE_API_ENDPOINT` as set, even empty (kagglehub 0.3 uses it whenever it is set).
    pub api_endpoint_raw: Option<String>,
    /// `KAGGLE_IAP_TOKEN` is set (kagglehub's STAGING and ADMIN need it).
    pub iap_token: bool,
    /// Every location looked at, for the "no credential found" finding.
    pub looked_in: Vec<String>,
    /// Proxies and CA bundle from the environment.
    pub network: network::Network,
    /// `KAGGLE_API_TOKEN` names a file (its value is a path, shown as such).
    pub env_api_token_is_path: bool,
    /// Secrets that are never sent but must never be shown either (the OAuth refresh
    /// token, kagglehub's notebook secrets token).
    pub unsent_secrets: Vec<Secret>,
}

impl Discovery {
    /// A scrubber for every secret discovery saw: each source's credential, the raw
    /// environment values, both kaggle.json files, kagglehub's view, proxy passwords.
    pub fn scrubber(&self) -> crate::secret::Scrubber {
        let mut s = crate::secret::Scrubber::default();
        for credential in self.sources.iter().filter_map(|src| src.credential.as_ref()) {
            s.add_credential(credential);
        }
        let env_api_token = self.env_api_token.as_ref().filter(|_| !self.env_api_token_is_path);
        for secret in [self.env_key.as_ref(), env_api_token, self.env_token.as_ref()].into_iter().flatten() {
            s.add(secret);
        }
        self.unsent_secrets.iter().for_each(|secret| s.add(secret));
        for json in [&self.kaggle_json, &self.home_kaggle_json].into_iter().flatten().filter_map(|j| j.as_ref().ok()) {
            for secret in [json.key.sent(), json.token.sent()].into_iter().flatten() {
                s.add(secret);
            }
            if let (Some(username), Some(key)) = (json.username.sent(), json.key.sent()) {
                s.add_credential(&Credential::Basic { username: username.clone(), key: key.clone() });
            }
            json.proxy.iter().for_each(|url| s.add_proxy_url(url));
        }
        if let Some(Ok(credential)) = self.hub_kaggle_json.as_ref().map(|h| &h.pair) {
            s.add_credential(credential);
        }
        let n = &self.network;
        for url in [&n.https_proxy, &n.http_proxy, &n.kaggle_proxy, &self.network_proxy_url].into_iter().flatten() {
            s.add_proxy_url(url);
        }
        s
    }

    /// The source with this id, if present.
    pub fn source(&self, id: SourceId) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// The first usable source of the token chain: the token the client (1.8+) tries
    /// first (docs/client-behaviour.md, "The token chain").
    pub fn first_usable_token(&self) -> Option<&Source> {
        SourceId::TOKEN_CHAIN.into_iter().filter_map(|id| self.source(id)).find(|s| s.is_usable())
    }

    /// The competition the client would use by default (`KAGGLE_COMPETITION`, else
    /// kaggle.json `competition`), with where it came from.
    pub fn default_competition(&self) -> Option<(String, &'static str)> {
        if let Some(c) = &self.env_competition {
            return Some((c.clone(), "KAGGLE_COMPETITION"));
        }
        let json = self.kaggle_json.as_ref()?.as_ref().ok()?;
        json.competition.clone().map(|c| (c, "kaggle.json"))
    }
}

/// Finds every credential source visible in `env`.
pub fn discover(env: &Env) -> Discovery {
    let mut d = Discovery {
        env_competition: env.non_empty("KAGGLE_COMPETITION").map(str::to_string),
        api_environment: env.non_empty("KAGGLE_API_ENVIRONMENT").map(str::to_string),
        api_environment_raw: match env.var("KAGGLE_API_ENVIRONMENT") {
            Some(env::Var::Text(v)) => Some(v.to_string()),
            Some(env::Var::NotUnicode) => Some("(not UTF-8)".into()),
            None => None,
        },
        iap_token: env.var("KAGGLE_IAP_TOKEN").is_some(),
        api_endpoint: env.non_empty("KAGGLE_API_ENDPOINT").map(str::to_string),
        api_endpoint_raw: match env.var("KAGGLE_API_ENDPOINT") {
            Some(env::Var::Text(v)) => Some(v.to_string()),
            Some(env::Var::NotUnicode) => Some("(not UTF-8)".into()),
            None => None,
        },
        network: network::network(env),
        raw_config_dir: env.non_empty("KAGGLE_CONFIG_DIR").map(str::to_string),
        config_dir_empty: env.var("KAGGLE_CONFIG_DIR") == Some(env::Var::Text("")),
        now: std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64),
        enable_oauth: env
            .non_empty("KAGGLE_ENABLE_OAUTH")
            .is_some_and(|v| ["1", "true", "yes"].contains(&v.to_ascii_lowercase().as_str())),
        ..Discovery::default()
    };
    tokens::notebook(env, &mut d);
    tokens::env_api_token(env, &mut d);
    tokens::access_token_files(env, &mut d);
    legacy::env_pair(env, &mut d);
    legacy::kaggle_json(env, &mut d);
    dirs::look(env, &mut d);
    tokens::env_config_token(env, &mut d);
    legacy::kaggle_json_token(&mut d);
    oauth::credentials_json(env, &mut d);
    dotenv::dotenv(env, &mut d);
    d.near_misses = hints::near_misses(env, d.config_dir.as_ref());
    d.hints = hints::hints(env);
    d.hub_kaggle_json = legacy::hub_kaggle_json(env);
    d.network_proxy_url = env.non_empty("KAGGLE_DATA_PROXY_URL").map(str::to_string);
    d.disable_kaggle_cache =
        env.non_empty("DISABLE_KAGGLE_CACHE").is_some_and(|v| ["true", "1", "t"].contains(&v.to_lowercase().as_str()));
    d.user_secrets_token = env.is_set("KAGGLE_USER_SECRETS_TOKEN");
    d.data_proxy_token = env.is_set("KAGGLE_DATA_PROXY_TOKEN");
    for name in ["KAGGLE_USER_SECRETS_TOKEN", "KAGGLE_DATA_PROXY_TOKEN"] {
        d.unsent_secrets.extend(env.non_empty(name).map(Secret::new));
    }
    d.sources.push(Source::anonymous());
    d.sources.sort_by_key(|s| s.id);
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_ids_are_in_row_order_and_serialise_as_printed() {
        let mut sorted = SourceId::ALL;
        sorted.sort();
        assert_eq!(sorted, SourceId::ALL);
        for id in SourceId::ALL {
            assert_eq!(serde_json::to_value(id).unwrap(), id.as_str());
        }
    }
}
