//! What the official `kaggle` client does with the sources that discovery found: which
//! credential it believes it uses, and which one it actually puts on the wire
//! (shared/kaggle-client-spec.md §0.2, §3.4).
//!
//! Behaviour changed across releases, so the model is chosen by version [`Era`]. Each era
//! answers two questions: which extra source its merging rules create before probing
//! ([`extra_sources`]), and, given the probe results, what goes on the wire
//! ([`effective`]). Adding an era means adding a module, not rewriting this one.

mod sdk2;

use serde::Serialize;

use crate::discover::{Discovery, Source, SourceId};
use crate::probe::Cell;
use crate::secret::Fingerprint;

/// The newest release the models know; used when no client version is given or found.
pub const NEWEST_MODELLED: &str = "2.2.5";

/// A client version such as `2.2.5` or `1.7.4.5`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClientVersion(Vec<u32>);

impl ClientVersion {
    /// Parses dotted numbers (at least major.minor); pre-release suffixes are ignored.
    pub fn parse(text: &str) -> Option<Self> {
        let core = text.trim().split(['-', '+', 'a', 'b', 'r']).next()?;
        let parts: Option<Vec<u32>> = core.split('.').map(|p| p.parse().ok()).collect();
        parts.filter(|p| p.len() >= 2).map(ClientVersion)
    }

    fn at_least(&self, other: &[u32]) -> bool {
        self.0.as_slice() >= other
    }
}

impl std::fmt::Display for ClientVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(u32::to_string).collect();
        f.write_str(&parts.join("."))
    }
}

/// Version ranges with distinct credential behaviour (spec §0.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Era {
    /// 1.6.x: legacy pair only.
    #[serde(rename = "1.6.x")]
    Legacy16,
    /// 1.7.x: legacy pair; `KAGGLE_API_TOKEN` replaces it on the wire.
    #[serde(rename = "1.7.x")]
    Legacy17,
    /// 1.8.0–1.8.2: kagglesdk, env token deleted after use.
    #[serde(rename = "1.8.0-1.8.2")]
    Sdk180,
    /// 1.8.3–2.1.0: kagglesdk, OAuth behind `KAGGLE_ENABLE_OAUTH`.
    #[serde(rename = "1.8.3-2.1.0")]
    Sdk183,
    /// 2.1.2–2.2.x: kagglesdk, OAuth last, 2.2.x overlays env on kaggle.json.
    #[serde(rename = "2.1.2-2.2.x")]
    Sdk212,
}

impl Era {
    /// The era a version belongs to.
    pub fn of(version: &ClientVersion) -> Era {
        if version.at_least(&[2, 1, 2]) {
            Era::Sdk212
        } else if version.at_least(&[1, 8, 3]) {
            Era::Sdk183
        } else if version.at_least(&[1, 8]) {
            Era::Sdk180
        } else if version.at_least(&[1, 7]) {
            Era::Legacy17
        } else {
            Era::Legacy16
        }
    }

    /// True when this era has its own model; others borrow the newest one for now.
    pub fn is_modelled(self) -> bool {
        self == Era::Sdk212
    }
}

/// The client version the model runs for, and where it came from.
#[derive(Clone, Debug, Serialize)]
pub struct ClientInfo {
    /// The version, e.g. `2.2.5`.
    pub version: String,
    /// Where it came from: `--client-version`, or `assumed (newest modelled)`.
    pub from: String,
    /// The behaviour range used to predict it.
    pub model: Era,
    /// A caveat, when the model is not exact for this version.
    pub note: Option<String>,
}

impl ClientInfo {
    /// Info for `--client-version`, or the newest modelled version.
    pub fn new(given: Option<&ClientVersion>) -> ClientInfo {
        let (version, from) = match given {
            Some(v) => (v.clone(), "--client-version".to_string()),
            None => (
                ClientVersion::parse(NEWEST_MODELLED).expect("valid constant"),
                "assumed: the newest release modelled; pass --client-version to change".to_string(),
            ),
        };
        let model = Era::of(&version);
        let note = (!model.is_modelled()).then(|| {
            format!("kaggle {version} is predicted with the 2.1.2–2.2.x rules; its own model is not written yet")
        });
        ClientInfo { version: version.to_string(), from, model, note }
    }
}

/// How the effective credential authenticates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Auth {
    /// `Authorization: Bearer`.
    Bearer,
    /// `Authorization: Basic`.
    Basic,
    /// No header: nothing is sent (or the client stops before sending).
    None,
}

/// The credential the official client will put on the wire (DESIGN.md "effective").
#[derive(Clone, Debug, Serialize)]
pub struct Effective {
    /// The client version modelled.
    pub client_version: String,
    /// Where that version came from.
    pub client_version_from: String,
    /// Bearer, Basic or none.
    pub auth: Auth,
    /// The source of the token, or of the pair.
    pub source: Option<SourceId>,
    /// Basic only: where the username comes from.
    pub username_source: Option<SourceId>,
    /// Basic only: where the key comes from.
    pub key_source: Option<SourceId>,
    /// Fingerprint of exactly what goes on the wire.
    pub fingerprint: Option<Fingerprint>,
    /// What the client believes it uses, when that differs from the wire.
    pub believed_source: Option<SourceId>,
    /// Why, step by step, in the client's own order.
    pub reasons: Vec<String>,
    /// True when the client stops (crash or "authentication required") before any call.
    pub client_stops: bool,
}

/// Sources that exist only because of the client's merging rules (e.g. 2.2.x's mixed
/// pair), to be probed like the others.
pub fn extra_sources(info: &ClientInfo, d: &Discovery) -> Vec<Source> {
    // Every era borrows the newest model until its own lands (see `Era::is_modelled`).
    let _ = info.model;
    sdk2::extra_sources(d)
}

/// The credential on the wire, given discovery and the probe results.
pub fn effective(info: &ClientInfo, d: &Discovery, cells: &[Cell]) -> Effective {
    let mut effective = sdk2::effective(d, cells);
    effective.client_version = info.version.clone();
    effective.client_version_from = info.from.clone();
    effective
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_map_to_eras() {
        let era = |v: &str| Era::of(&ClientVersion::parse(v).unwrap());
        assert_eq!(era("1.6.17"), Era::Legacy16);
        assert_eq!(era("1.7.4.5"), Era::Legacy17);
        assert_eq!(era("1.8.0"), Era::Sdk180);
        assert_eq!(era("1.8.2"), Era::Sdk180);
        assert_eq!(era("1.8.4"), Era::Sdk183);
        assert_eq!(era("2.1.0"), Era::Sdk183);
        assert_eq!(era("2.1.2"), Era::Sdk212);
        assert_eq!(era("2.2.5"), Era::Sdk212);
        assert!(ClientVersion::parse("two").is_none());
        assert!(ClientVersion::parse("2").is_none());
    }
}
