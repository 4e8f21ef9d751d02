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
use crate::report::sanitize::untrusted;

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
    /// A dataset to probe (as `--dataset`).
    #[serde(default)]
    pub dataset: Option<String>,
    /// A model instance to probe (as `--model`).
    #[serde(default)]
    pub model: Option<String>,
    /// A kernel to probe (as `--kernel`).
    #[serde(default)]
    pub kernel: Option<String>,
    /// A pasted error text (as `--from-error`).
    #[serde(default)]
    pub from_error: Option<String>,
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
    /// IntrospectToken demands a valid credential in the Authorization header
    /// (docs/client-behaviour.md "Introspection as the client sends it"):
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
    /// Datasets (`--dataset`).
    #[serde(default)]
    pub datasets: Vec<Shared>,
    /// Model instances (`--model`).
    #[serde(default)]
    pub models: Vec<ModelSpec>,
    /// Kernels (`--kernel`).
    #[serde(default)]
    pub kernels: Vec<Shared>,
    /// Endpoint ids that answer 500 `Internal error` whoever asks (an outage on one method).
    #[serde(default)]
    pub outage: Vec<String>,
}

/// A dataset or kernel: `owner/slug`, public unless `private`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shared {
    /// `owner/slug`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Only the owner and `shared_with` see it.
    #[serde(default)]
    pub private: bool,
    /// Users a private resource is shared with.
    #[serde(default)]
    pub shared_with: Vec<String>,
    /// Created a moment ago: Kaggle does not serve it yet (403 on get, 404 on download).
    #[serde(default)]
    pub just_created: bool,
    /// The highest version (datasets).
    #[serde(default = "one")]
    pub versions: u32,
}

/// A model instance: `owner/model/framework/variation`, with its licence gate.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// `owner/model/framework/variation`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// The highest version.
    #[serde(default = "one")]
    pub versions: u32,
    /// Downloads need the user's consent to the licence (Gemma, Llama).
    #[serde(default)]
    pub gated: bool,
    /// Users who accepted the licence.
    #[serde(default)]
    pub consented_by: Vec<String>,
    /// Only the owner and `shared_with` see it.
    #[serde(default)]
    pub private: bool,
    /// Users a private model is shared with.
    #[serde(default)]
    pub shared_with: Vec<String>,
}

fn one() -> u32 {
    1
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
    /// An expired OAuth access token the way Kaggle was seen answering it: 403
    /// `Permission '….get' was denied` on resource calls instead of 401.
    #[serde(default)]
    pub expired_answers_403: bool,
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
    ("gated-model", include_str!("../../fixtures/scenarios/gated-model.json")),
    ("typo-slug", include_str!("../../fixtures/scenarios/typo-slug.json")),
    ("rules-on-download", include_str!("../../fixtures/scenarios/rules-on-download.json")),
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
                FileRead::Denied(r) => bail!("cannot read {shown}: it {}", r.words()),
            };
            let text = String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("{shown} is not UTF-8 text"))?;
            return Scenario::parse(&text).with_context(|| format!("in {shown}"));
        }
        let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
        bail!("no scenario named '{name_or_path}' (built in: {}; or give a path to a .json file)", names.join(", "))
    }

    /// The command-line flags the scenario stands for (`--competition`, `--dataset`, …).
    pub fn flags(&self) -> Vec<String> {
        let named = [
            ("--competition", &self.competition),
            ("--dataset", &self.dataset),
            ("--model", &self.model),
            ("--kernel", &self.kernel),
            ("--from-error", &self.from_error),
        ];
        let mut args = Vec::new();
        for (flag, value) in named {
            if let Some(v) = value {
                args.extend([flag.to_string(), v.clone()]);
            }
        }
        args
    }

    /// Writes the local setup under `home` and `cwd` and returns the environment a
    /// process would see there. Only the sandbox is touched.
    pub fn lay_out(&self, home: &Path, cwd: &Path) -> Result<Env> {
        self.local.lay_out(home, cwd)
    }
}

impl Local {
    /// Writes the files under `home` and `cwd` and returns the environment a process
    /// would see there. A scenario file is untrusted input: every file lands inside the
    /// sandbox (no `..`, no absolute path, no symlink followed), modes lose their
    /// setuid/setgid/sticky bits, and no variable may point outside the sandbox or send
    /// requests off this machine — so a demo can never read, or send, real credentials.
    pub fn lay_out(&self, home: &Path, cwd: &Path) -> Result<Env> {
        let root = home.parent().unwrap_or(home);
        let mut env = Env::sandbox(home, cwd);
        let expand = |v: &str| v.replace("$HOME", &home.to_string_lossy()).replace("$CWD", &cwd.to_string_lossy());
        for (name, value) in &self.env {
            let value = expand(value);
            if let Err(why) = confined_value(&value, root) {
                bail!("scenario variable {} is refused: {why}", untrusted(name));
            }
            env.set(name, value);
        }
        for (path, spec) in &self.files {
            let shown = untrusted(path);
            let target = match (path.strip_prefix("~/"), path.strip_prefix("./")) {
                (Some(rest), _) => inside(home, rest),
                (_, Some(rest)) => inside(cwd, rest),
                _ => bail!("scenario file path '{shown}' must start with ~/ or ./"),
            }
            .with_context(|| format!("scenario file path '{shown}'"))?;
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
                let real = parent.canonicalize()?;
                if !real.starts_with(root.canonicalize()?) {
                    bail!("scenario file path '{shown}' leads outside the sandbox");
                }
            }
            let (bytes, mode) = match spec {
                FileSpec::Text(text) => (text.clone().into_bytes(), None),
                FileSpec::Json { json, mode } => (serde_json::to_vec(json)?, mode.clone()),
            };
            write_new(&target, &bytes).with_context(|| format!("cannot write scenario file '{shown}'"))?;
            set_mode(&target, mode.as_deref().unwrap_or("600"))?;
        }
        Ok(env)
    }
}

/// `base/rest` when `rest` is a plain relative path (no `..`, no root, no `~user`).
fn inside(base: &Path, rest: &str) -> Result<std::path::PathBuf> {
    use std::path::Component;
    let rest = Path::new(rest);
    if rest.as_os_str().is_empty() || !rest.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
    {
        bail!("must be a plain relative path inside the sandbox (no '..', no absolute path)");
    }
    Ok(base.join(rest))
}

/// Why an environment value would reach outside the sandbox, if it would: a URL to a
/// host other than this machine (a proxy, an API endpoint, a CA bundle URL), or a path
/// (absolute, `~user`, or with `..`) outside `root`.
fn confined_value(value: &str, root: &Path) -> std::result::Result<(), String> {
    if let Some((_, rest)) = value.split_once("://") {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = match host_port.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(""),
            None => host_port.split(':').next().unwrap_or(""),
        };
        let loopback =
            host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
        return if loopback { Ok(()) } else { Err("a demo never sends requests off this machine".into()) };
    }
    let path = Path::new(value);
    if value.starts_with('~') && !(value == "~" || value.starts_with("~/")) {
        return Err("a path in another user's home is outside the sandbox".into());
    }
    if path.components().any(|c| c == std::path::Component::ParentDir) {
        return Err("a path with '..' may lead outside the sandbox".into());
    }
    // Absolute: under the sandbox root as written and, once resolved, as it really is.
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let resolved_inside = path.canonicalize().map_or(true, |real| real.starts_with(&canonical_root));
    if path.is_absolute() && !(path.starts_with(root) && resolved_inside) {
        return Err("the path is outside the sandbox".into());
    }
    Ok(())
}

/// Creates `path` (never following a symlink there, never replacing a file) and writes it.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path)?.write_all(bytes)
}

/// Permission bits only: a scenario cannot make a setuid, setgid or sticky file.
#[cfg(unix)]
fn set_mode(path: &Path, mode: &str) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let bits = u32::from_str_radix(mode, 8).with_context(|| format!("mode '{}' is not octal", untrusted(mode)))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(bits & 0o777))?;
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

    #[cfg(unix)]
    #[test]
    fn modes_lose_setuid_setgid_and_sticky_bits() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let (home, cwd) = (dir.path().join("home"), dir.path().join("work"));
        for mode in ["4755", "2755", "1777", "7777", "600"] {
            let local: Local = serde_json::from_value(serde_json::json!({
                "files": {"~/f": {"json": {}, "mode": mode}}
            }))
            .unwrap();
            let _ = std::fs::remove_file(home.join("f"));
            local.lay_out(&home, &cwd).unwrap();
            let bits = std::fs::metadata(home.join("f")).unwrap().permissions().mode() & 0o7777;
            assert_eq!(bits, u32::from_str_radix(mode, 8).unwrap() & 0o777, "{mode}");
        }
    }

    #[test]
    fn values_that_leave_the_sandbox_are_refused() {
        let root = Path::new("/tmp/sandbox-root");
        for bad in [
            "/etc/passwd",
            "/tmp/sandbox-root/../x",
            "../x",
            "~root/x",
            "http://10.0.0.1:3128",
            "https://u:p@evil.example/",
        ] {
            assert!(confined_value(bad, root).is_err(), "{bad}");
        }
        for ok in
            ["KGAT_abc", "/tmp/sandbox-root/home/x", "rel/x", "~/x", "http://127.0.0.1:9", "http://[::1]:8/v1", "*"]
        {
            assert!(confined_value(ok, root).is_ok(), "{ok}");
        }
    }
}
