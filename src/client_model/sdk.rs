//! kaggle 1.8.0 – 2.2.x on kagglesdk (docs/client-behaviour.md: "Every modelled version
//! range", "The token chain", "What goes in the Authorization header").
//!
//! `authenticate()` tries, in order: (1.8.0–2.1.0 only, with `KAGGLE_ENABLE_OAUTH`)
//! credentials.json; the first token of the chain, accepted only if IntrospectToken says
//! active with a username; the legacy pair (replace rule up to 2.1.x, per-field overlay
//! from 2.2.0); (2.1.2+) credentials.json; else it stops. The HTTP layer then sends the
//! config `token` if any (the accepted token, the OAuth token, `KAGGLE_TOKEN`, kaggle.json
//! `"token"`), else re-runs token discovery and sends that token **even if introspection
//! rejected it** (docs/findings.md `rejected-token-still-sent`), else the pair, else the
//! hard-coded `~/.kaggle/kaggle.json`.

use serde_json::Value;

use super::config::{overlay_rule, replace_rule};
use super::{ClientVersion, Effective, home_kaggle_json};
use crate::discover::{Discovery, OauthRefresh, Reason, Source, SourceId};
use crate::endpoints::EndpointId;
use crate::matrix::{Cell, Outcome};

/// 2.2.0+ overlay env vars on kaggle.json per field.
pub(super) fn overlays(v: &ClientVersion) -> bool {
    v.at_least(&[2, 2])
}

/// kaggle 1.8.0–1.8.2 run `del os.environ["KAGGLE_API_TOKEN"]` after every successful
/// token login: it raises `KeyError` exactly when the variable is absent from the
/// environment at that moment. Set (even empty, even when another token source won), it
/// is removed silently (docs/findings.md `token-env-deletion-crash`).
pub(crate) fn deletes_missing_env_token(v: &ClientVersion, d: &Discovery) -> bool {
    v.at_least(&[1, 8]) && !v.at_least(&[1, 8, 3]) && d.env_api_token.is_none()
}

/// What IntrospectToken said about a token source.
enum Introspection {
    Accepted(String),
    Rejected(String),
    Crash(String),
}

/// The IntrospectToken answer for `source`, from the request shaped like this client's:
/// 2.2.x put their config token (if any) in the header, earlier ones the token itself.
fn introspection(v: &ClientVersion, cells: &[Cell], source: SourceId) -> Introspection {
    let of_source = |c: &&Cell| c.source == source && c.endpoint == EndpointId::Introspect;
    let shaped = cells.iter().filter(of_source).find(|c| overlays(v) && c.header_from.is_some());
    let Some(cell) = shaped.or_else(|| cells.iter().filter(of_source).find(|c| c.header_from.is_none())) else {
        return Introspection::Rejected("it was not introspected".into());
    };
    let status = || cell.status_text();
    match cell.outcome {
        Outcome::Ok => {
            let answer = cell.answer.as_ref();
            let active = answer.and_then(|a| a.get("active")).and_then(Value::as_bool) == Some(true);
            let user = answer.and_then(|a| a.get("username")).and_then(Value::as_str).unwrap_or("");
            if active && !user.is_empty() {
                Introspection::Accepted(user.to_string())
            } else {
                Introspection::Rejected("Kaggle's token check says it is not active".into())
            }
        }
        Outcome::Forbidden | Outcome::NotFound => {
            Introspection::Rejected(format!("Kaggle's token check answered {}", status()))
        }
        Outcome::HttpError if cell.status == Some(400) => {
            Introspection::Rejected("Kaggle's token check answered 400".into())
        }
        Outcome::NotProbed | Outcome::Skipped => Introspection::Rejected("it was not introspected (offline)".into()),
        _ => Introspection::Crash(format!(
            "Kaggle's token check answered {}: the client does not handle that and stops with a traceback",
            status()
        )),
    }
}

/// 2.2.x's configured token (`KAGGLE_TOKEN`, kaggle.json `"token"`), which kagglesdk puts in
/// the Authorization header of IntrospectToken instead of the token it asks about.
pub(crate) fn introspection_header(d: &Discovery) -> Option<(SourceId, crate::secret::Secret)> {
    overlay_rule(d).config_token().map(|(t, id)| (id, t.clone()))
}

/// The first token of kagglesdk's chain, or the crash that the search runs into.
pub(super) fn first_token<'a>(d: &'a Discovery, reasons: &mut Vec<String>) -> Result<Option<&'a Source>, String> {
    for id in SourceId::TOKEN_CHAIN {
        let Some(source) = d.source(id) else { continue };
        if let Some(crash) = source.client_crash {
            return Err(format!("the client's token search reaches {} and crashes: {crash}", id.as_str()));
        }
        if source.is_usable() {
            return Ok(Some(source));
        }
        if source.ends_token_chain {
            let why = source.reason.as_ref().map_or("no token".to_string(), ToString::to_string);
            reasons.push(format!("{}: {why}; the client stops its token search there", id.as_str()));
            return Ok(None);
        }
    }
    Ok(None)
}

pub(super) fn token_of(source: &Source) -> Option<&crate::secret::Secret> {
    match &source.credential {
        Some(crate::secret::Credential::Bearer(t)) => Some(t),
        _ => None,
    }
}

/// credentials.json as authenticate() would use it, or why it stops; `None` when the
/// client moves on (file ignored, or a refresh refused with 401 deleted it).
fn oauth(d: &Discovery, reasons: &mut Vec<String>) -> Option<Effective> {
    let source = d.source(SourceId::FileCredentialsJson)?;
    if let Some(crash) = source.client_crash {
        let why = format!("the client reads ~/.kaggle/credentials.json and crashes: {crash}");
        return Some(Effective::stops(reasons.clone(), why));
    }
    d.oauth_refresh_token.as_ref()?;
    let token = token_of(source).filter(|_| source.is_usable());
    match (token, d.oauth_fresh, &d.oauth_refresh) {
        (Some(token), Some(true), _) => {
            reasons.push("the client uses the OAuth access token of ~/.kaggle/credentials.json".into());
            Some(Effective::bearer(SourceId::FileCredentialsJson, token, reasons.clone()))
        }
        _ if source.reason.as_ref().is_some_and(Reason::ignores_oauth_file) => None,
        (Some(token), _, Some(OauthRefresh::Minted)) => {
            reasons.push("the access token in ~/.kaggle/credentials.json is stale by the client's own rule: it refreshes first (GenerateAccessToken) and sends the token minted from the refresh token, probed here (--oauth-refresh)".into());
            let mut e = Effective::bearer(SourceId::FileCredentialsJson, token, reasons.clone());
            e.oauth_refresh = Some(super::RefreshState::Minted);
            Some(e)
        }
        (_, _, Some(OauthRefresh::Refused)) => {
            reasons.push("the client refreshes the stale OAuth token first; Kaggle refuses the refresh token (401): the client prints 'Invalid credentials!', deletes ~/.kaggle/credentials.json and moves on".into());
            None
        }
        (_, _, Some(OauthRefresh::Failed(why))) => {
            let why = format!(
                "the client refreshes the stale OAuth token first, and the refresh fails ({why}): it stops with a traceback"
            );
            Some(Effective::stops(reasons.clone(), why))
        }
        _ => {
            reasons.push(
                "the access token in ~/.kaggle/credentials.json is stale by the client's own rule: the client refreshes it first (GenerateAccessToken) and sends a token minted from the refresh token, which was not probed (the doctor mints one only with --oauth-refresh)".into(),
            );
            let mut e = Effective::new(super::Auth::Bearer, reasons.clone());
            e.source = Some(SourceId::FileCredentialsJson);
            e.oauth_refresh = Some(super::RefreshState::Unproven);
            Some(e)
        }
    }
}

pub(super) fn effective(v: &ClientVersion, d: &Discovery, cells: &[Cell]) -> Effective {
    let mut reasons = Vec::new();
    let oauth_first = !v.at_least(&[2, 1, 2]);
    // 0. 1.8.0–2.1.0: OAuth first, but only with KAGGLE_ENABLE_OAUTH (and only in the CLI).
    if oauth_first && d.enable_oauth {
        reasons.push("KAGGLE_ENABLE_OAUTH is set: the CLI tries ~/.kaggle/credentials.json first (1.8.0–2.1.0)".into());
        if let Some(e) = oauth(d, &mut reasons) {
            return e;
        }
    }
    // 1. The token chain, validated by IntrospectToken.
    let token = match first_token(d, &mut reasons) {
        Ok(token) => token,
        Err(crash) => return Effective::stops(reasons, crash),
    };
    if let Some(source) = token {
        let t = token_of(source).expect("usable token sources hold a Bearer credential");
        reasons.push(format!("{} is the first token the client finds ({})", source.id.as_str(), source.origin));
        match introspection(v, cells, source.id) {
            Introspection::Accepted(user) => {
                reasons
                    .push(format!("Kaggle's token check accepts it (user {user}): the client authenticates with it"));
                if deletes_missing_env_token(v, d) {
                    return Effective::stops(
                        reasons,
                        "kaggle 1.8.0–1.8.2 then deletes KAGGLE_API_TOKEN from the environment, which is not set: `import kaggle` crashes with KeyError; upgrade to ≥ 1.8.3",
                    );
                }
                if !v.at_least(&[1, 8, 3]) {
                    reasons.push("kaggle 1.8.0–1.8.2 then removes KAGGLE_API_TOKEN from the environment (it is set, so silently) and goes on".into());
                }
                return Effective::bearer(source.id, t, reasons);
            }
            Introspection::Crash(why) => return Effective::stops(reasons, why),
            Introspection::Rejected(why) => reasons.push(format!("{why}: the client moves on")),
        }
    }
    // 2. The legacy pair; its config token (KAGGLE_TOKEN, kaggle.json "token") wins on the wire.
    let dict = if overlays(v) { overlay_rule(d) } else { replace_rule(d) };
    if let (Some((user, user_from)), Some((key, key_from))) = (&dict.username, &dict.key) {
        reasons.push(format!(
            "the client selects the legacy pair: username from {}, key from {}",
            user_from.as_str(),
            key_from.as_str()
        ));
        if let Some((config_token, from)) = dict.config_token() {
            reasons.push(format!("config token {} is set: the client sends it instead", from.as_str()));
            return Effective::bearer(from, config_token, reasons).believing(Some(*key_from));
        }
        if let Some(source) = token {
            reasons.push(format!(
                "but the HTTP layer finds {} again and sends it anyway, rejected or not",
                source.id.as_str()
            ));
            let t = token_of(source).expect("usable token sources hold a Bearer credential");
            return Effective::bearer(source.id, t, reasons).believing(Some(*key_from));
        }
        if !dict.pair_truthy() {
            reasons.push(dict.falsy_reason());
            return home_kaggle_json(d, reasons);
        }
        return Effective::basic((user, *user_from), (key, *key_from), reasons);
    }
    if !overlays(v) && dict.file_read {
        let why = "kaggle.json lacks a username or key: the client stops with 'Missing username in configuration'";
        return Effective::stops(reasons, why);
    }
    if oauth_first {
        let why = "no token and no legacy pair: the client stops with 'You must authenticate before you can call the Kaggle API'";
        return Effective::stops(reasons, why);
    }
    // 3. 2.1.2+: OAuth credentials.json, last.
    if let Some(e) = oauth(d, &mut reasons) {
        return e;
    }
    Effective::stops(
        reasons,
        "no token, no legacy pair and no OAuth credentials: the client prints 'Authentication required' and exits 1",
    )
}
