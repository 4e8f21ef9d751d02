//! kaggle 1.6.x and 1.7.x: the legacy pair only (docs/client-behaviour.md "Every modelled
//! version range").
//!
//! `authenticate()` runs at import: the env pair if both `KAGGLE_USERNAME` and
//! `KAGGLE_KEY` are set, else kaggle.json replaces the whole config; without a complete
//! pair the import itself fails. 1.6 sends Basic of that pair, verbatim. 1.7's HTTP layer
//! decides on its own: `KAGGLE_API_TOKEN`, if set at all (even empty, even a path), goes
//! out verbatim as a Bearer token; else the pair when both halves are non-empty; else the
//! hard-coded `~/.kaggle/kaggle.json`. 1.5.x is 1.6 without the XDG location: its config
//! dir is `KAGGLE_CONFIG_DIR` or `~/.kaggle`, so a kaggle.json only under
//! `~/.config/kaggle` is never found (docs/client-behaviour.md).

use super::config::replace_rule;
use super::{Effective, Era, home_kaggle_json};
use crate::discover::network::CaFile;
use crate::discover::{Discovery, SourceId};

/// The proxy kaggle 1.5/1.6 send every request through: the config dict's `proxy` —
/// `KAGGLE_PROXY` when the env pair is used, kaggle.json's `"proxy"` when the file replaced
/// the env dict (then `KAGGLE_PROXY` is lost). 1.7+ ignore both. The raw URL: only the
/// probe may see a password in it.
pub(super) fn config_proxy(era: Era, d: &Discovery) -> Option<(String, &'static str)> {
    let json = |j: &crate::discover::KaggleJson| j.proxy.clone().filter(|p| !p.is_empty());
    let proxy = config_value(era, d, json, d.network.kaggle_proxy.clone())?;
    Some(proxy.either(("KAGGLE_PROXY", "kaggle.json \"proxy\"")))
}

/// The CA file kaggle 1.5/1.6 verify TLS with, instead of certifi's roots: the config
/// dict's `ssl_ca_cert`, by the same rule as [`config_proxy`]. They never read
/// `REQUESTS_CA_BUNDLE`/`CURL_CA_BUNDLE` (their HTTP layer is urllib3, not requests).
pub(super) fn config_ca_cert(era: Era, d: &Discovery) -> Option<(CaFile, &'static str)> {
    let n = &d.network;
    let file = config_value(era, d, |_| n.json_ssl_ca_cert.clone(), n.kaggle_ssl_ca_cert.clone())?;
    Some(file.either(("KAGGLE_SSL_CA_CERT", "kaggle.json \"ssl_ca_cert\"")))
}

/// A config value of kaggle 1.5/1.6, and whether it came from the env dict or the file.
enum FromDict<T> {
    Env(T),
    File(T),
}

impl<T> FromDict<T> {
    /// The value, with the name of where it came from: `(env name, file name)`.
    fn either(self, (env, file): (&'static str, &'static str)) -> (T, &'static str) {
        match self {
            FromDict::Env(v) => (v, env),
            FromDict::File(v) => (v, file),
        }
    }
}

/// kaggle 1.5/1.6's config dict: kaggle.json's value when the file replaced the env dict,
/// else the `KAGGLE_*` variable; 1.5 with kaggle.json only in the XDG dir never reads it.
fn config_value<T>(
    era: Era,
    d: &Discovery,
    in_file: impl Fn(&crate::discover::KaggleJson) -> Option<T>,
    in_env: Option<T>,
) -> Option<FromDict<T>> {
    if !matches!(era, Era::Legacy15 | Era::Legacy16) {
        return None;
    }
    let xdg = d.config_dir.as_ref().is_some_and(|c| c.why == crate::discover::DirRule::Xdg);
    if (era == Era::Legacy15 && xdg) || !replace_rule(d).file_read {
        return in_env.map(FromDict::Env);
    }
    let json = d.kaggle_json.as_ref().and_then(|r| r.as_ref().ok());
    json.and_then(in_file).map(FromDict::File)
}

pub(super) fn effective(era: Era, d: &Discovery) -> Effective {
    let mut reasons = Vec::new();
    let without_xdg;
    let d = if era == Era::Legacy15 && d.config_dir.as_ref().is_some_and(|c| c.why == crate::discover::DirRule::Xdg) {
        reasons.push("kaggle 1.5 looks for kaggle.json in ~/.kaggle only, never in the XDG config dir".to_string());
        without_xdg = Discovery { kaggle_json: None, ..d.clone() };
        &without_xdg
    } else {
        d
    };
    let dict = replace_rule(d);
    let (Some((user, user_from)), Some((key, key_from))) = (&dict.username, &dict.key) else {
        let why = if dict.file_read {
            "kaggle.json lacks a username or key: `import kaggle` fails with 'Missing username/key in configuration'"
        } else {
            "no KAGGLE_USERNAME+KAGGLE_KEY and no kaggle.json: `import kaggle` fails with 'Could not find kaggle.json'"
        };
        return Effective::stops(reasons, why);
    };
    reasons.push(format!(
        "the client selects the legacy pair from {}",
        if dict.file_read { "kaggle.json (it replaces every env value)" } else { "KAGGLE_USERNAME + KAGGLE_KEY" }
    ));
    if matches!(era, Era::Legacy15 | Era::Legacy16) {
        let json = d.kaggle_json.as_ref().and_then(|r| r.as_ref().ok());
        if let (true, Some((field, kind))) = (dict.file_read, json.and_then(|j| j.pair_not_text().first().copied())) {
            let why = format!(
                "kaggle.json's {field} is {kind}, not a string: kaggle 1.5/1.6 join username and key as text and crash (TypeError) before any request"
            );
            return Effective::stops(reasons, &why);
        }
        return Effective::basic((user, *user_from), (key, *key_from), reasons);
    }
    if let Some(token) = &d.env_api_token {
        if token.has_control_chars() || token.has_non_ascii() {
            let why = "kaggle 1.7 puts KAGGLE_API_TOKEN in the header verbatim, and requests refuses a newline, control or non-ASCII character there: every call fails with InvalidHeader";
            return Effective::stops(reasons, why);
        }
        reasons.push(
            "kaggle 1.7 sends KAGGLE_API_TOKEN verbatim as a Bearer token whenever it is set (no validation, no path lookup)"
                .into(),
        );
        return Effective::bearer(SourceId::EnvApiToken, token, reasons).believing(Some(*key_from));
    }
    if !dict.pair_truthy() {
        reasons.push(dict.falsy_reason());
        return home_kaggle_json(d, reasons);
    }
    Effective::basic((user, *user_from), (key, *key_from), reasons)
}
