//! kagglehub ≥ 0.4.3 (shared/kagglehub-spec.md §0.1, §8): the other official client.
//!
//! kagglehub's own lookup (`get_kaggle_credentials`) takes the first of: the token chain
//! (the same kagglesdk function as the CLI, crashes included), `KAGGLE_USERNAME` +
//! `KAGGLE_KEY` when both are non-empty (never a mixed pair), kaggle.json at its own path
//! (`KAGGLE_CONFIG_DIR` verbatim, no XDG; a malformed file stops every operation), Colab
//! secrets. It never validates. kagglesdk then sends that credential — or, when the
//! lookup found nothing, Basic from the hard-coded `~/.kaggle/kaggle.json`.
//! `login()`/`set_*()` values live in the user's process and cannot be seen from here.

use serde::Serialize;

use super::{Auth, Effective, home_kaggle_json};
use crate::discover::{Discovery, SourceId};
use crate::secret::{Credential, Fingerprint};

/// What one kagglehub operation does on the wire.
#[derive(Clone, Debug, Serialize)]
pub struct Operation {
    /// `whoami`, `dataset_download`, `model_download`, `competition_download`.
    pub operation: &'static str,
    /// `bearer`, `basic`, `none` (anonymous request), `no-request`, or
    /// `x-kaggle-authorization` (the Kaggle-notebook data proxy).
    pub sends: &'static str,
    /// The source of what is sent.
    pub source: Option<SourceId>,
    /// Its fingerprint.
    pub fingerprint: Option<Fingerprint>,
    /// What the user sees, when it matters.
    pub note: Option<String>,
}

/// kagglehub's prediction: what it chooses, what goes on the wire, per operation.
#[derive(Clone, Debug, Serialize)]
pub struct Hub {
    /// The credential of authenticated API calls (`whoami`, downloads).
    pub effective: Effective,
    /// What kagglehub's own lookup returns (`None`: it believes it is anonymous).
    pub chosen: Option<SourceId>,
    /// Per operation.
    pub operations: Vec<Operation>,
}

pub(super) fn predict(d: &Discovery) -> Hub {
    let mut reasons = vec!["if your code calls kagglehub.login() or set_kaggle_api_token(), that token wins and the doctor cannot see it; set_kaggle_credentials() still loses to any token found below (K1)".to_string()];
    let (chosen, effective) = lookup(d, &mut reasons);
    let operations = operations(d, chosen, &effective);
    Hub { effective, chosen, operations }
}

fn lookup(d: &Discovery, reasons: &mut Vec<String>) -> (Option<SourceId>, Effective) {
    match super::sdk::first_token(d, reasons) {
        Err(crash) => return (None, Effective::stops(std::mem::take(reasons), crash)),
        Ok(Some(source)) => {
            let token = super::sdk::token_of(source).expect("usable token sources hold a Bearer credential");
            reasons.push(format!(
                "{} is the first token kagglehub finds; it is sent unvalidated (no IntrospectToken; K2)",
                source.id.as_str()
            ));
            return (Some(source.id), Effective::bearer(source.id, token, std::mem::take(reasons)));
        }
        Ok(None) => {}
    }
    if let Some(Credential::Basic { username, key }) =
        d.source(SourceId::EnvKeyPair).and_then(|s| s.credential.as_ref())
    {
        reasons
            .push("KAGGLE_USERNAME and KAGGLE_KEY are both set: kagglehub uses them, kaggle.json is not opened".into());
        let pair = ((username.as_str(), SourceId::EnvKeyPair), (key, SourceId::EnvKeyPair));
        return (Some(SourceId::EnvKeyPair), Effective::basic(pair.0, pair.1, std::mem::take(reasons)));
    }
    if d.env_username.is_some() != d.env_key.is_some() {
        reasons.push("a lone KAGGLE_USERNAME or KAGGLE_KEY is ignored by kagglehub (never a mixed pair)".into());
    }
    if let Some(hub) = &d.hub_kaggle_json {
        match &hub.pair {
            Err(why) => {
                let why = format!("kagglehub raises on every operation, downloads of public data included: {why} (K8)");
                return (None, Effective::stops(std::mem::take(reasons), why));
            }
            Ok(Credential::Basic { username, key }) if !username.is_empty() && !key.is_empty() => {
                reasons.push(format!("kagglehub reads {}", hub.origin));
                let e = Effective::basic(
                    (username, SourceId::FileKaggleJson),
                    (key, SourceId::FileKaggleJson),
                    std::mem::take(reasons),
                );
                return (Some(SourceId::FileKaggleJson), e);
            }
            Ok(_) => {
                reasons.push(format!("{} has an empty username or key: kagglesdk ignores the pair", hub.origin));
                return (Some(SourceId::FileKaggleJson), home_kaggle_json(d, std::mem::take(reasons)));
            }
        }
    }
    if d.hints.colab {
        reasons.push("in Colab, kagglehub would now read the KAGGLE_API_TOKEN secret: present or not, it cannot be read from here".into());
    }
    reasons.push("kagglehub's lookup finds nothing: whoami() and competition downloads say 'not authenticated'".into());
    (None, home_kaggle_json(d, std::mem::take(reasons)))
}

fn operations(d: &Discovery, chosen: Option<SourceId>, e: &Effective) -> Vec<Operation> {
    let wire = |operation: &'static str| Operation {
        operation,
        sends: match (e.client_stops, e.auth) {
            (true, _) => "no-request",
            (false, Auth::Bearer) => "bearer",
            (false, Auth::Basic) => "basic",
            (false, Auth::None) => "none",
        },
        source: e.source,
        fingerprint: e.fingerprint.clone(),
        note: e.client_stops.then(|| e.reasons.last().cloned().unwrap_or_default()),
    };
    let needs_login = |operation: &'static str| match chosen {
        None if !e.client_stops => Operation {
            operation,
            sends: "no-request",
            source: None,
            fingerprint: None,
            note: Some("UnauthenticatedError: User is not authenticated".into()),
        },
        _ => wire(operation),
    };
    let notebook = d.hints.kaggle_notebook && d.network_proxy_url.is_some() && !d.disable_kaggle_cache;
    let download = |operation: &'static str| {
        if notebook {
            let note = if d.user_secrets_token {
                "via the notebook's data proxy"
            } else {
                "CredentialError: KAGGLE_USER_SECRETS_TOKEN is missing"
            };
            Operation {
                operation,
                sends: "x-kaggle-authorization",
                source: None,
                fingerprint: None,
                note: Some(note.into()),
            }
        } else {
            wire(operation)
        }
    };
    vec![
        needs_login("whoami"),
        download("dataset_download"),
        download("model_download"),
        if notebook { download("competition_download") } else { needs_login("competition_download") },
    ]
}
