//! Scenario files (`fixtures/scenarios/*.json`, or a user's file given to `demo`): what
//! the fake Kaggle API knows (accounts, tokens, competitions) and the local credential
//! setup to lay out in a sandbox (env vars and files). `demo` plays them; the tests read
//! the same format plus keys of their own (expectations, faults: tests/support/fixture.rs).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use serde_json::Value;

use crate::discover::Env;
use crate::discover::files::{FileRead, READ_TIMEOUT, read_bounded_within};

/// A scenario file larger than this is not one (the built-in ones are a few KB).
pub const MAX_SCENARIO_BYTES: u64 = 1024 * 1024;

/// One scenario.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name (the file stem).
    pub name: String,
    /// One line: what it shows.
    pub description: String,
    /// What the fake API knows.
    #[serde(default)]
    pub server: Server,
    /// The machine's credential setup.
    #[serde(default)]
    pub local: Local,
    /// The competition the user names, if any (as `--competition`).
    #[serde(default)]
    pub competition: Option<String>,
    /// The client version to model (as `--client-version`).
    #[serde(default)]
    pub client_version: Option<String>,
}

/// The fake API's world.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    /// Legacy accounts (username + key).
    #[serde(default)]
    pub accounts: Vec<Account>,
    /// Access tokens.
    #[serde(default)]
    pub tokens: Vec<Token>,
    /// Competitions (the fake also knows `titanic` unless listed).
    #[serde(default)]
    pub competitions: Vec<Competition>,
    /// IntrospectToken demands a valid credential in the Authorization header (spec B24):
    /// a rejected token then gets 401 there instead of `{"active": false}`.
    #[serde(default)]
    pub introspect_requires_auth: bool,
    /// Answer every request with 429 and this `Retry-After` value.
    #[serde(default)]
    pub rate_limited: Option<String>,
    /// Answer every request with this HTTP status (an outage).
    #[serde(default)]
    pub fail_with: Option<u16>,
    /// Send a `Date` header this many seconds off the real time.
    #[serde(default)]
    pub clock_skew_secs: Option<i64>,
    /// OAuth refresh tokens GenerateAccessToken accepts; any other gets 401.
    #[serde(default)]
    pub refresh_tokens: Vec<RefreshToken>,
}

/// An OAuth refresh token and the access token GenerateAccessToken mints from it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefreshToken {
    /// The refresh token (credentials.json `refresh_token`).
    pub refresh_token: String,
    /// The access token it mints: one of the scenario's `tokens`.
    pub token: String,
}

/// A user with a legacy API key.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// Kaggle username.
    pub username: String,
    /// Legacy API key.
    pub key: String,
    /// False when Kaggle demands phone verification before competition data.
    #[serde(default = "yes")]
    pub verified: bool,
}

/// An access token.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Token {
    /// The token string.
    pub token: String,
    /// Its owner.
    pub username: String,
    /// Granted scopes; `*` (the default) grants everything.
    #[serde(default = "all_scopes")]
    pub scopes: Vec<String>,
    /// False for a revoked token.
    #[serde(default = "yes")]
    pub active: bool,
    /// True for an expired token.
    #[serde(default)]
    pub expired: bool,
}

fn all_scopes() -> Vec<String> {
    vec!["*".into()]
}

fn yes() -> bool {
    true
}

/// A competition.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Competition {
    /// The slug.
    pub slug: String,
    /// Users who accepted the rules.
    #[serde(default)]
    pub rules_accepted_by: Vec<String>,
    /// Closed to new entrants: users who have not joined get 403.
    #[serde(default)]
    pub closed: bool,
}

/// The local setup.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Local {
    /// Environment variables; `$HOME` and `$CWD` in values expand to the sandbox dirs.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Files, by path: `~/…` under the sandbox HOME, `./…` under the sandbox working dir.
    #[serde(default)]
    pub files: BTreeMap<String, FileSpec>,
}

/// A file's content: text as is, or a JSON value written compactly.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum FileSpec {
    /// Raw text.
    Text(String),
    /// `{"json": …, "mode": "600"}`.
    Json {
        /// The JSON value to write.
        json: Value,
        /// Octal permission bits (default 600).
        #[serde(default)]
        mode: Option<String>,
    },
}

/// The scenarios shipped inside the binary, so `demo` works from any directory.
pub const BUILTIN: &[(&str, &str)] = &[
    ("token-shadows-key", include_str!("../../fixtures/scenarios/token-shadows-key.json")),
    ("all-good", include_str!("../../fixtures/scenarios/all-good.json")),
    ("no-credentials", include_str!("../../fixtures/scenarios/no-credentials.json")),
    ("expired-token", include_str!("../../fixtures/scenarios/expired-token.json")),
    ("rules-not-accepted", include_str!("../../fixtures/scenarios/rules-not-accepted.json")),
    ("every-source-rejected", include_str!("../../fixtures/scenarios/every-source-rejected.json")),
    ("every-source", include_str!("../../fixtures/scenarios/every-source.json")),
];

/// The scenario `demo` plays when none is named: the motivating case.
pub const DEFAULT: &str = "token-shadows-key";

impl Scenario {
    /// Parses scenario JSON.
    pub fn parse(text: &str) -> Result<Scenario> {
        serde_json::from_str(text).context("invalid scenario file")
    }

    /// A built-in scenario by name, or a scenario file by path.
    pub fn load(name_or_path: &str) -> Result<Scenario> {
        if let Some((_, text)) = BUILTIN.iter().find(|(n, _)| *n == name_or_path) {
            return Scenario::parse(text);
        }
        let path = Path::new(name_or_path);
        if path.extension().is_some_and(|e| e == "json") {
            let shown = crate::report::sanitize::untrusted(name_or_path);
            // A scenario file is untrusted input: read like a credential file (regular
            // files only, never blocking, bounded in size and time).
            let bytes = match read_bounded_within(path, MAX_SCENARIO_BYTES, READ_TIMEOUT) {
                FileRead::Bytes(bytes) => bytes,
                FileRead::Missing => bail!("cannot read {shown}: it does not exist"),
                FileRead::Problem(why) => bail!("cannot read {shown}: it {why}"),
            };
            let text = String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("{shown} is not UTF-8 text"))?;
            return Scenario::parse(&text).with_context(|| format!("in {shown}"));
        }
        let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
        bail!("no scenario named '{name_or_path}' (built in: {}; or give a path to a .json file)", names.join(", "))
    }

    /// Writes the local setup under `home` and `cwd` and returns the environment a
    /// process would see there. Only the sandbox is touched.
    pub fn lay_out(&self, home: &Path, cwd: &Path) -> Result<Env> {
        self.local.lay_out(home, cwd)
    }
}

impl Local {
    /// Writes the files under `home` and `cwd` and returns the environment a process
    /// would see there. Only the sandbox is touched.
    pub fn lay_out(&self, home: &Path, cwd: &Path) -> Result<Env> {
        let mut env = Env::sandbox(home, cwd);
        let expand = |v: &str| v.replace("$HOME", &home.to_string_lossy()).replace("$CWD", &cwd.to_string_lossy());
        for (name, value) in &self.env {
            env.set(name, expand(value));
        }
        for (path, spec) in &self.files {
            let target = if let Some(rest) = path.strip_prefix("~/") {
                home.join(rest)
            } else if let Some(rest) = path.strip_prefix("./") {
                cwd.join(rest)
            } else {
                bail!("scenario file path '{path}' must start with ~/ or ./");
            };
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let (bytes, mode) = match spec {
                FileSpec::Text(text) => (text.clone().into_bytes(), None),
                FileSpec::Json { json, mode } => (serde_json::to_vec(json)?, mode.clone()),
            };
            std::fs::write(&target, bytes)?;
            set_mode(&target, mode.as_deref().unwrap_or("600"))?;
        }
        Ok(env)
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: &str) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let bits = u32::from_str_radix(mode, 8).with_context(|| format!("mode '{mode}' is not octal"))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(bits))?;
    Ok(())
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: &str) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_scenario_parses_and_is_named_after_itself() {
        for (name, text) in BUILTIN {
            let s = Scenario::parse(text).unwrap_or_else(|e| panic!("{name}: {e:#}"));
            assert_eq!(&s.name, name);
        }
    }
}
