//! kaggle 2.1.2–2.2.x on kagglesdk (spec §0.2, §1.3, §3.1–§3.5).
//!
//! `authenticate()` tries, in order: the first token of the chain (accepted only if
//! IntrospectToken says active with a username), the legacy pair from kaggle.json with
//! every `KAGGLE_*` env var laid over it per field, then `credentials.json`. The HTTP
//! layer then sends the config `token` if any, else re-runs token discovery and sends
//! that token **even if introspection rejected it** (B1), else the pair, else the
//! hard-coded `~/.kaggle/kaggle.json`, else nothing.

use serde_json::Value;

use super::{Auth, Effective};
use crate::discover::files::{Field, KaggleJson};
use crate::discover::{Discovery, Kind, Source, SourceId};
use crate::endpoints::EndpointId;
use crate::probe::{Cell, Outcome};
use crate::secret::{Credential, Secret};

/// Where each half of the overlaid pair comes from.
struct Pair {
    username: Option<(String, SourceId)>,
    key: Option<(Secret, SourceId)>,
}

/// kaggle.json first, then `KAGGLE_USERNAME` / `KAGGLE_KEY` override per field.
fn overlaid_pair(d: &Discovery) -> Pair {
    let json = d.kaggle_json.as_ref().and_then(|r| r.as_ref().ok());
    let username = d
        .env_username
        .clone()
        .map(|u| (u, SourceId::EnvKeyPair))
        .or_else(|| json.and_then(|j| j.username.value().cloned()).map(|u| (u, SourceId::FileKaggleJson)));
    let key = d
        .env_key
        .clone()
        .map(|k| (k, SourceId::EnvKeyPair))
        .or_else(|| json.and_then(|j| j.key.value().cloned()).map(|k| (k, SourceId::FileKaggleJson)));
    Pair { username, key }
}

/// The mixed pair (one half from env, the other from kaggle.json), when there is one.
pub(super) fn extra_sources(d: &Discovery) -> Vec<Source> {
    let Pair { username: Some((user, user_from)), key: Some((key, key_from)) } = overlaid_pair(d) else {
        return Vec::new();
    };
    if user_from == key_from || user.is_empty() || key.is_empty() {
        return Vec::new();
    }
    let origin = format!(
        "username from {}, key from {} (kaggle 2.2.x overlays env vars on kaggle.json)",
        half_origin(user_from, "KAGGLE_USERNAME"),
        half_origin(key_from, "KAGGLE_KEY")
    );
    let credential = Credential::Basic { username: user, key };
    vec![Source::usable(SourceId::MergedPair, Kind::KeyPair, origin, credential)]
}

fn half_origin(from: SourceId, var: &str) -> String {
    match from {
        SourceId::EnvKeyPair => format!("env {var}"),
        _ => "kaggle.json".to_string(),
    }
}

/// What IntrospectToken said about a token source.
enum Introspection {
    Accepted(String),
    Rejected(String),
    Crash(String),
}

fn introspection(cells: &[Cell], source: SourceId) -> Introspection {
    let Some(cell) = cells.iter().find(|c| c.source == source && c.endpoint == EndpointId::Introspect) else {
        return Introspection::Rejected("it was not introspected".into());
    };
    match cell.outcome {
        Outcome::Ok => {
            let answer = cell.answer.as_ref();
            let active = answer.and_then(|a| a.get("active")).and_then(Value::as_bool) == Some(true);
            let user = answer.and_then(|a| a.get("username")).and_then(Value::as_str).unwrap_or("");
            if active && !user.is_empty() {
                Introspection::Accepted(user.to_string())
            } else {
                Introspection::Rejected("IntrospectToken says it is not active".into())
            }
        }
        Outcome::Forbidden | Outcome::NotFound => {
            Introspection::Rejected(format!("IntrospectToken answered {}", status_text(cell)))
        }
        Outcome::HttpError if cell.status == Some(400) => {
            Introspection::Rejected("IntrospectToken answered 400".into())
        }
        Outcome::NotProbed | Outcome::Skipped => Introspection::Rejected("it was not introspected (offline)".into()),
        _ => Introspection::Crash(format!(
            "IntrospectToken answered {}: the client does not handle that and stops with a traceback (spec B3)",
            status_text(cell)
        )),
    }
}

fn status_text(cell: &Cell) -> String {
    cell.status.map_or_else(|| format!("{:?}", cell.outcome).to_lowercase(), |s| s.to_string())
}

/// The first token of kagglesdk's chain: notebook file, `KAGGLE_API_TOKEN`,
/// `~/.kaggle/access_token`, `~/.kaggle/access_token.txt`.
fn first_token(d: &Discovery, reasons: &mut Vec<String>) -> Option<SourceId> {
    for id in SourceId::TOKEN_CHAIN {
        let Some(source) = d.source(id) else { continue };
        if source.is_usable() {
            return Some(id);
        }
        if source.ends_token_chain {
            reasons.push(format!(
                "{}: {}; the client stops its token search there",
                id.as_str(),
                source.reason.as_deref().unwrap_or("no token")
            ));
            return None;
        }
    }
    None
}

fn bearer(source: &Source, mut reasons: Vec<String>, believed: Option<SourceId>, stops: bool) -> Effective {
    if let Some(fp) = &source.fingerprint {
        reasons.push(format!("on the wire: Authorization: Bearer <{}> ({fp})", source.id.as_str()));
    }
    Effective {
        auth: Auth::Bearer,
        source: Some(source.id),
        fingerprint: source.fingerprint.clone(),
        believed_source: believed.filter(|b| *b != source.id),
        reasons,
        client_stops: stops,
        ..none(Vec::new())
    }
}

fn none(reasons: Vec<String>) -> Effective {
    Effective {
        client_version: String::new(),
        client_version_from: String::new(),
        auth: Auth::None,
        source: None,
        username_source: None,
        key_source: None,
        fingerprint: None,
        believed_source: None,
        reasons,
        client_stops: false,
    }
}

pub(super) fn effective(d: &Discovery, cells: &[Cell]) -> Effective {
    let mut reasons = Vec::new();
    let token = first_token(d, &mut reasons);
    // 1. The token chain, validated by IntrospectToken.
    if let Some(id) = token {
        let source = d.source(id).expect("first_token returns present sources");
        reasons.push(format!("{} is the first token the client finds ({})", id.as_str(), source.origin));
        match introspection(cells, id) {
            Introspection::Accepted(user) => {
                reasons.push(format!("IntrospectToken accepts it (user {user}): the client authenticates with it"));
                return bearer(source, reasons, Some(id), false);
            }
            Introspection::Crash(why) => {
                reasons.push(why);
                return bearer(source, reasons, None, true);
            }
            Introspection::Rejected(why) => {
                reasons.push(format!("{why}: authenticate() falls back to the next method"));
            }
        }
    }
    // 2. The legacy pair, kaggle.json overlaid with KAGGLE_* env vars; its config `token`
    //    (KAGGLE_TOKEN or kaggle.json "token") then wins on the wire.
    let pair = overlaid_pair(d);
    if let (Some((user, user_from)), Some((key, key_from))) = (&pair.username, &pair.key) {
        reasons.push(format!(
            "authenticate() selects the legacy pair: username from {}, key from {}",
            user_from.as_str(),
            key_from.as_str()
        ));
        let config_token = [SourceId::EnvToken, SourceId::FileKaggleJsonToken]
            .into_iter()
            .filter_map(|id| d.source(id))
            .find(|s| s.is_usable());
        if let Some(ct) = config_token {
            reasons.push(format!("config token {} is set: the client sends it instead (spec B11)", ct.id.as_str()));
            return bearer(ct, reasons, Some(*key_from), false);
        }
        if let Some(id) = token {
            let source = d.source(id).expect("present");
            reasons.push(format!(
                "but the HTTP layer re-discovers {} and sends it anyway, valid or not (spec B1)",
                id.as_str()
            ));
            return bearer(source, reasons, Some(*key_from), false);
        }
        if !user.is_empty() && !key.is_empty() {
            let source = if user_from == key_from { *key_from } else { SourceId::MergedPair };
            let credential = Credential::Basic { username: user.clone(), key: key.clone() };
            let fp = credential.fingerprint();
            reasons.push(format!("on the wire: Authorization: Basic <{}> ({fp})", source.as_str()));
            return Effective {
                auth: Auth::Basic,
                source: Some(source),
                username_source: Some(*user_from),
                key_source: Some(*key_from),
                fingerprint: Some(fp),
                ..none(reasons)
            };
        }
        reasons.push("the pair has an empty half, so the HTTP layer does not use it".into());
        return home_kaggle_json_fallback(d, reasons);
    }
    if let Some(id) = token {
        let source = d.source(id).expect("present");
        reasons.push(format!("no legacy pair either, but the HTTP layer still sends {} (spec B1)", id.as_str()));
        return bearer(source, reasons, None, false);
    }
    // 3. OAuth credentials.json, last.
    if let Some(oauth) = d.source(SourceId::FileCredentialsJson).filter(|s| s.is_usable()) {
        reasons.push("no token and no legacy pair: the client uses ~/.kaggle/credentials.json (OAuth)".into());
        return bearer(oauth, reasons, Some(oauth.id), false);
    }
    reasons.push(
        "no token, no legacy pair and no OAuth credentials: the client prints 'Authentication required' and exits 1"
            .into(),
    );
    let mut e = none(reasons);
    e.client_stops = true;
    e
}

/// kagglesdk's last resort: the hard-coded `~/.kaggle/kaggle.json` (spec §3.4 step 4).
fn home_kaggle_json_fallback(d: &Discovery, mut reasons: Vec<String>) -> Effective {
    let home_json: Option<&KaggleJson> = match &d.home_kaggle_json {
        Some(r) => r.as_ref().ok(),
        None if d.config_dir.as_ref().is_some_and(|c| c.why == "~/.kaggle") => {
            d.kaggle_json.as_ref().and_then(|r| r.as_ref().ok())
        }
        None => None,
    };
    if let Some(json) = home_json {
        if let (Field::Present(u), Field::Present(k)) = (&json.username, &json.key) {
            let credential = Credential::Basic { username: u.clone(), key: k.clone() };
            let fp = credential.fingerprint();
            reasons.push(format!("it falls back to the hard-coded ~/.kaggle/kaggle.json: Basic ({fp})"));
            return Effective {
                auth: Auth::Basic,
                source: Some(SourceId::FileKaggleJson),
                username_source: Some(SourceId::FileKaggleJson),
                key_source: Some(SourceId::FileKaggleJson),
                fingerprint: Some(fp),
                ..none(reasons)
            };
        }
    }
    reasons.push("nothing else to send: requests go out without credentials".into());
    none(reasons)
}
