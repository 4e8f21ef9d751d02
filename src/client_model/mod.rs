//! What the official `kaggle` client does with the sources that discovery found: which
//! credential it believes it uses, and which one it actually puts on the wire
//! (docs/client-behaviour.md "Every modelled version range", "Believed vs. sent").
//!
//! Behaviour changed across releases, so the model is chosen by version [`Era`]: 1.6/1.7
//! in `legacy`, the kagglesdk-based 1.8+ in `sdk` (its differences are flags). Each
//! answers two questions: which extra source its merging rules create before probing
//! ([`extra_sources`]), and, given the probe results, what goes on the wire
//! ([`effective`]).

mod config;
pub mod kagglehub;
mod legacy;
pub mod reach;
mod sdk;

use serde::Serialize;

pub(crate) use sdk::{deletes_missing_env_token, introspection_header};

use crate::discover::client::{Detected, VersionFrom};
use crate::discover::{DirRule, Discovery, Kind, Source, SourceId};
use crate::matrix::Cell;
use crate::secret::{Credential, Fingerprint, Secret};
use crate::table::names;

/// The newest release the models know; used when no client version is given or found.
pub const NEWEST_MODELLED: &str = "2.2.5";

/// A client version as pip orders them (PEP 440): `2.2.5`, `1.7.4.5`, `1.7.4.post1`,
/// `1.8.0.dev1`, `2.0.0rc1`; a local part (`+ubuntu1`) and a leading `v` are ignored.
/// `1.8.0.dev1 < 1.8.0rc1 < 1.8.0 < 1.8.0.post1`.
#[derive(Clone, Debug)]
pub struct ClientVersion {
    epoch: u32,
    release: Vec<u32>,
    pre: Option<(PreRelease, u32)>,
    post: Option<u32>,
    dev: Option<u32>,
}

/// The pre-release phases, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum PreRelease {
    Alpha,
    Beta,
    Candidate,
}

impl PreRelease {
    fn as_str(self) -> &'static str {
        match self {
            PreRelease::Alpha => "a",
            PreRelease::Beta => "b",
            PreRelease::Candidate => "rc",
        }
    }
}

impl ClientVersion {
    /// Parses a PEP 440 version with at least major.minor (a kaggle release always has).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_ascii_lowercase();
        let text = text.strip_prefix('v').unwrap_or(&text);
        let public = text.split('+').next()?;
        let (epoch, rest) = match public.split_once('!') {
            Some((e, rest)) => (e.parse().ok()?, rest),
            None => (0, public),
        };
        let end = rest.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(rest.len());
        let (release_text, mut suffix) = rest.split_at(end);
        let release_text = match release_text.strip_suffix('.') {
            // `1.8.0.dev1`: the dot belongs to the suffix.
            Some(core) if !suffix.is_empty() => core,
            _ => release_text,
        };
        let release: Option<Vec<u32>> = release_text.split('.').map(|p| p.parse().ok()).collect();
        let release = release.filter(|r| r.len() >= 2)?;
        let pre = take_segment(
            &mut suffix,
            &[
                ("alpha", PreRelease::Alpha),
                ("a", PreRelease::Alpha),
                ("beta", PreRelease::Beta),
                ("b", PreRelease::Beta),
                ("rc", PreRelease::Candidate),
                ("c", PreRelease::Candidate),
                ("preview", PreRelease::Candidate),
                ("pre", PreRelease::Candidate),
            ],
        );
        let post = take_post(&mut suffix);
        let dev = take_segment(&mut suffix, &[("dev", ())]).map(|((), n)| n);
        suffix.is_empty().then_some(ClientVersion { epoch, release, pre, post, dev })
    }

    /// A plain release, e.g. `[1, 8, 3]` for 1.8.3.
    fn release(parts: &[u32]) -> Self {
        ClientVersion { epoch: 0, release: parts.to_vec(), pre: None, post: None, dev: None }
    }

    pub(crate) fn at_least(&self, other: &[u32]) -> bool {
        *self >= ClientVersion::release(other)
    }

    /// The key PEP 440 sorts by: release without trailing zeros; a bare `.devN` sorts
    /// before every pre-release of its release; no pre-release after all of them; no
    /// post-release first; no dev-release last.
    fn sort_key(&self) -> SortKey<'_> {
        let trimmed = self.release.len() - self.release.iter().rev().take_while(|p| **p == 0).count();
        let pre = match (self.pre, self.post, self.dev) {
            (None, None, Some(_)) => (0, None),
            (Some(pre), _, _) => (1, Some(pre)),
            (None, _, _) => (2, None),
        };
        let post = self.post.map_or((0, 0), |n| (1, n));
        let dev = self.dev.map_or((1, 0), |n| (0, n));
        (self.epoch, &self.release[..trimmed], pre, post, dev)
    }
}

/// Epoch, release, pre-release, post-release, dev-release (ranks first, then numbers).
type SortKey<'a> = (u32, &'a [u32], (u8, Option<(PreRelease, u32)>), (u8, u32), (u8, u32));

/// Takes `[.-_]?NAME[.-_]?N` off the front of `suffix` (N defaults to 0).
fn take_segment<T: Copy>(suffix: &mut &str, names: &[(&str, T)]) -> Option<(T, u32)> {
    let rest = suffix.trim_start_matches(['.', '-', '_']);
    let (name, value) = names.iter().find(|(name, _)| rest.starts_with(name))?;
    let rest = rest[name.len()..].trim_start_matches(['.', '-', '_']);
    let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    let number = if digits == 0 { 0 } else { rest[..digits].parse().ok()? };
    *suffix = &rest[digits..];
    Some((*value, number))
}

/// A post-release: `.postN`, `.revN`, `.rN`, or the implicit `-N`.
fn take_post(suffix: &mut &str) -> Option<u32> {
    if let Some(rest) = suffix.strip_prefix('-') {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        if digits > 0 {
            *suffix = &rest[digits..];
            return rest[..digits].parse().ok();
        }
    }
    take_segment(suffix, &[("post", ()), ("rev", ()), ("r", ())]).map(|((), n)| n)
}

impl PartialEq for ClientVersion {
    fn eq(&self, other: &Self) -> bool {
        self.sort_key() == other.sort_key()
    }
}

impl Eq for ClientVersion {}

impl PartialOrd for ClientVersion {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ClientVersion {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

/// The normalised form (`1.7.4.post1`, `2.0.0rc1`, `1.8.0.dev1`).
impl std::fmt::Display for ClientVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.epoch > 0 {
            write!(f, "{}!", self.epoch)?;
        }
        let parts: Vec<String> = self.release.iter().map(u32::to_string).collect();
        f.write_str(&parts.join("."))?;
        if let Some((phase, n)) = self.pre {
            write!(f, "{}{n}", phase.as_str())?;
        }
        if let Some(n) = self.post {
            write!(f, ".post{n}")?;
        }
        if let Some(n) = self.dev {
            write!(f, ".dev{n}")?;
        }
        Ok(())
    }
}

/// Version ranges with distinct credential behaviour (docs/client-behaviour.md "Every
/// modelled version range").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub enum Era {
    /// 1.5.x: legacy pair only, as 1.6, but kaggle.json never in the XDG dir.
    #[serde(rename = "1.5.x")]
    Legacy15,
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
    /// The range as the report spells it (`1.6.x`, …).
    pub fn label(self) -> &'static str {
        match self {
            Era::Legacy15 => "1.5.x",
            Era::Legacy16 => "1.6.x",
            Era::Legacy17 => "1.7.x",
            Era::Sdk180 => "1.8.0-1.8.2",
            Era::Sdk183 => "1.8.3-2.1.0",
            Era::Sdk212 => "2.1.2-2.2.x",
        }
    }

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
        } else if version.at_least(&[1, 6]) {
            Era::Legacy16
        } else {
            Era::Legacy15
        }
    }
}

/// The oldest release the models were checked against (docs/client-behaviour.md).
pub const OLDEST_MODELLED: &str = "1.5.16";

/// True when `version` lies inside the modelled ranges (1.5.16 up to 2.2.x); outside them
/// the nearest model is used and the report says so.
pub fn in_modelled_range(version: &ClientVersion) -> bool {
    version.at_least(&[1, 5, 16]) && !version.at_least(&[2, 3])
}

/// The client version the model runs for, and where it came from.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ClientInfo {
    /// The version, e.g. `2.2.5`.
    pub version: String,
    /// Where it came from: `--client-version`, the metadata file read, the interpreter
    /// asked, or `assumed (newest modelled)`.
    pub from: String,
    /// Which way the version was found: `option`, `metadata`, `interpreter`, `assumed`.
    pub version_from: VersionFrom,
    /// The behaviour range used to predict it.
    pub model: Era,
    /// A caveat, when the model is not exact for this version.
    pub note: Option<String>,
    /// False when the version lies outside every modelled range (the nearest one is used).
    pub in_modelled_range: bool,
    /// The version, parsed.
    #[serde(skip)]
    pub parsed: ClientVersion,
    /// True when no version was found or given: the newest one modelled stands in.
    #[serde(skip)]
    pub assumed: bool,
}

impl ClientInfo {
    /// Info for `--client-version`, else the detected client, else the newest modelled.
    pub fn new(given: Option<&(ClientVersion, String)>, detected: &Detected) -> ClientInfo {
        if let Some((v, from)) = given {
            return ClientInfo::detected(v.clone(), from.clone(), None).found_by(VersionFrom::Option);
        }
        let newest = || ClientVersion::parse(NEWEST_MODELLED).expect("valid constant");
        match &detected.kaggle {
            Some(f) => match ClientVersion::parse(&f.version) {
                Some(v) => ClientInfo::detected(v, f.from.clone(), None).found_by(f.how),
                None => {
                    let note = format!(
                        "found kaggle '{}' ({}), which is not a version; modelled as {NEWEST_MODELLED}",
                        f.version, f.from
                    );
                    ClientInfo::assumed(newest(), "assumed".into(), note)
                }
            },
            None => ClientInfo::assumed(
                newest(),
                "assumed: no kaggle client found (on PATH or in python3); the newest release modelled".into(),
                match &detected.note {
                    Some(note) => format!("{note}; pass --client-version X.Y.Z to model another version"),
                    None => "pass --client-version X.Y.Z to model another version".into(),
                },
            ),
        }
    }

    /// Info for a version found on the machine (or given), with a caveat if any.
    pub fn detected(version: ClientVersion, from: String, note: Option<String>) -> ClientInfo {
        let model = Era::of(&version);
        let in_range = in_modelled_range(&version);
        let note = match (in_range, note) {
            (true, note) => note,
            (false, note) => {
                let outside = format!(
                    "kaggle {version} is outside the versions checked against the real client ({OLDEST_MODELLED} to {NEWEST_MODELLED}); predicted with the nearest model, {}",
                    model.label()
                );
                Some(note.map_or(outside.clone(), |n| format!("{outside}; {n}")))
            }
        };
        ClientInfo {
            version: version.to_string(),
            from,
            version_from: VersionFrom::Assumed,
            model,
            note,
            in_modelled_range: in_range,
            parsed: version,
            assumed: false,
        }
    }

    fn found_by(self, how: VersionFrom) -> ClientInfo {
        ClientInfo { version_from: how, ..self }
    }

    /// Info for a version that stands in for one not found.
    fn assumed(version: ClientVersion, from: String, note: String) -> ClientInfo {
        ClientInfo { assumed: true, ..ClientInfo::detected(version, from, Some(note)) }
    }
}

names! {
    /// How the effective credential authenticates.
    pub enum Auth {
        /// `Authorization: Bearer`.
        Bearer = "bearer",
        /// `Authorization: Basic`.
        Basic = "basic",
        /// No header: nothing is sent (or the client stops before sending).
        None = "none",
    }
}

/// The credential the official client will put on the wire (docs/json.md "`effective`").
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
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
    /// True when the client stops (crash or "authentication required") before any call,
    /// or none of its requests reach Kaggle (its own proxy carries nothing, TLS fails).
    pub client_stops: bool,
    /// Set when the wire token is one the client mints from credentials.json's refresh
    /// token before any call: `unproven` (not asked for, so not probed: the verdict
    /// cannot pass) or `minted` (asked for with `--oauth-refresh` and probed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth_refresh: Option<RefreshState>,
    /// The proxy every request of this client goes through, from its own config
    /// (kaggle 1.5/1.6: kaggle.json `proxy` or `KAGGLE_PROXY`); password hidden.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy: Option<String>,
    /// The client stops because none of its requests get through TLS (or its CA file or
    /// proxy URL cannot be used): nothing is learned about the credential.
    #[serde(skip)]
    pub network_stop: bool,
}

/// How the token a client mints by refreshing OAuth credentials was checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RefreshState {
    /// The client will mint a token the doctor did not ask for: nothing proves it works.
    Unproven,
    /// `--oauth-refresh` minted it and the matrix probed it.
    Minted,
}

impl Effective {
    fn new(auth: Auth, reasons: Vec<String>) -> Effective {
        Effective {
            client_version: String::new(),
            client_version_from: String::new(),
            auth,
            source: None,
            username_source: None,
            key_source: None,
            fingerprint: None,
            believed_source: None,
            reasons,
            client_stops: false,
            oauth_refresh: None,
            proxy: None,
            network_stop: false,
        }
    }

    /// The client stops before any API call (no credential, or a crash).
    fn stops(mut reasons: Vec<String>, why: impl Into<String>) -> Effective {
        reasons.push(why.into());
        Effective { client_stops: true, ..Effective::new(Auth::None, reasons) }
    }

    /// Requests go out with no Authorization header.
    fn anonymous(mut reasons: Vec<String>) -> Effective {
        reasons.push("nothing else to send: requests go out without credentials".into());
        Effective::new(Auth::None, reasons)
    }

    /// `Authorization: Bearer <token>`; the fingerprint is of `token` as sent.
    fn bearer(source: SourceId, token: &Secret, mut reasons: Vec<String>) -> Effective {
        let fp = token.fingerprint();
        reasons.push(format!("on the wire: Authorization: Bearer <{}> ({fp})", source.as_str()));
        Effective { source: Some(source), fingerprint: Some(fp), ..Effective::new(Auth::Bearer, reasons) }
    }

    /// `Authorization: Basic <username:key>`.
    fn basic(username: (&str, SourceId), key: (&Secret, SourceId), mut reasons: Vec<String>) -> Effective {
        let source = if username.1 == key.1 { key.1 } else { SourceId::MergedPair };
        let fp = key.0.fingerprint_as_key_of(username.0);
        reasons.push(format!("on the wire: Authorization: Basic <{}> ({fp})", source.as_str()));
        Effective {
            source: Some(source),
            username_source: Some(username.1),
            key_source: Some(key.1),
            fingerprint: Some(fp),
            ..Effective::new(Auth::Basic, reasons)
        }
    }

    fn believing(mut self, believed: Option<SourceId>) -> Effective {
        self.believed_source = believed.filter(|b| Some(*b) != self.source);
        self
    }
}

/// The pair kaggle 2.2.x builds when its halves come from different sources (env over
/// kaggle.json), listed as a source of its own so that it is probed. It is listed whatever
/// the client version, so that probing need not wait for version detection.
pub fn extra_sources(d: &Discovery) -> Vec<Source> {
    let dict = config::overlay_rule(d);
    let (Some((user, user_from)), Some((key, key_from))) = (dict.username.clone(), dict.key.clone()) else {
        return Vec::new();
    };
    if user_from == key_from || !dict.pair_truthy() {
        return Vec::new();
    }
    let half = |from: SourceId, var: &str| match from {
        SourceId::EnvKeyPair => format!("env {var}"),
        _ => "kaggle.json".to_string(),
    };
    let origin = format!(
        "username from {}, key from {} (kaggle 2.2.x overlays env vars on kaggle.json)",
        half(user_from, "KAGGLE_USERNAME"),
        half(key_from, "KAGGLE_KEY")
    );
    vec![Source::usable(SourceId::MergedPair, Kind::KeyPair, origin, Credential::Basic { username: user, key })]
}

/// The newest kagglehub release the models know.
pub const NEWEST_HUB_MODELLED: &str = "1.0.3";

/// kagglehub's version ranges with distinct credential behaviour (docs/client-behaviour.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum HubEra {
    /// ≤ 0.3.x: Basic only, own legacy REST client.
    #[serde(rename = "0.3.x")]
    Legacy03,
    /// 0.4.0 – 1.0.x: kagglesdk, tokens first.
    #[serde(rename = "0.4.0-1.0.x")]
    Sdk04,
}

impl HubEra {
    /// The range as the report spells it.
    pub fn label(self) -> &'static str {
        match self {
            HubEra::Legacy03 => "0.3.x",
            HubEra::Sdk04 => "0.4.0-1.0.x",
        }
    }

    /// The range a kagglehub version belongs to (unparsable: the newest).
    pub fn of(version: Option<&ClientVersion>) -> HubEra {
        match version {
            Some(v) if !v.at_least(&[0, 4]) => HubEra::Legacy03,
            _ => HubEra::Sdk04,
        }
    }

    /// The range of a kagglehub version as written (unparsable: the newest).
    pub fn of_text(version: &str) -> HubEra {
        HubEra::of(ClientVersion::parse(version).as_ref())
    }
}

/// True when a kagglehub version lies inside the ranges checked against the real one
/// (0.3.13 up to 1.0.x).
pub fn hub_in_modelled_range(version: &ClientVersion) -> bool {
    version.at_least(&[0, 3, 13]) && !version.at_least(&[1, 1])
}

/// kagglehub's prediction for this machine: its own lookup, then whether its requests get
/// through, judged on `probed` (the matrix, and whoami probed without the CA bundle).
pub fn kagglehub(version: Option<&str>, from: &str, d: &Discovery, probed: kagglehub::Probes) -> kagglehub::Hub {
    let version = version.unwrap_or(NEWEST_HUB_MODELLED);
    let parsed = ClientVersion::parse(version);
    let era = HubEra::of(parsed.as_ref());
    let mut hub = match era {
        HubEra::Legacy03 => kagglehub::predict_legacy(d),
        HubEra::Sdk04 => kagglehub::predict(d),
    };
    kagglehub::through_the_network(&mut hub, era, d, probed);
    hub.model = era;
    hub.in_modelled_range = parsed.as_ref().is_some_and(hub_in_modelled_range);
    if !hub.in_modelled_range {
        let nearest = era.label();
        hub.note = Some(format!(
            "kagglehub {version} is outside the versions checked against the real client (0.3.13 to {NEWEST_HUB_MODELLED}); predicted with the nearest model, {nearest}"
        ));
    }
    hub.effective.client_version = version.to_string();
    hub.effective.client_version_from = from.to_string();
    hub
}

/// The proxy the modelled client sends every request through by its own config (not the
/// environment's), raw, with where it comes from (kaggle 1.5/1.6 only).
pub fn config_proxy(info: &ClientInfo, d: &Discovery) -> Option<(String, &'static str)> {
    legacy::config_proxy(info.model, d)
}

/// The CA file the modelled client verifies TLS with by its own config, and where that is
/// set (kaggle 1.5/1.6 only: `ssl_ca_cert`; they ignore `REQUESTS_CA_BUNDLE`).
pub fn config_ca_cert(info: &ClientInfo, d: &Discovery) -> Option<(crate::discover::network::CaFile, &'static str)> {
    legacy::config_ca_cert(info.model, d)
}

/// True for kaggle 1.5/1.6, whose HTTP layer uses only their config's proxy, never the
/// environment's `HTTP(S)_PROXY`.
pub fn uses_config_proxy_only(info: &ClientInfo) -> bool {
    matches!(info.model, Era::Legacy15 | Era::Legacy16)
}

/// The legacy REST root (`…/api/v1`) of a client that speaks legacy REST (kaggle 1.5–1.7),
/// as that client computes it: 1.5/1.6 `KAGGLE_API_ENDPOINT` (trailing slashes dropped,
/// `/api/v1` appended unless there), 1.7 `http://localhost` for
/// `KAGGLE_API_ENVIRONMENT=LOCALHOST`, else `https://www.kaggle.com/api/v1`. An `--endpoint`
/// given to the doctor wins (it points the doctor somewhere on purpose).
pub fn legacy_root(info: &ClientInfo, d: &Discovery, given: Option<&str>) -> Option<String> {
    const WWW: &str = "https://www.kaggle.com/api/v1";
    let root = match info.model {
        Era::Legacy15 | Era::Legacy16 => match &d.api_endpoint {
            Some(endpoint) => {
                let endpoint = endpoint.trim_end_matches('/');
                if endpoint.ends_with("/api/v1") { endpoint.to_string() } else { format!("{endpoint}/api/v1") }
            }
            None => WWW.to_string(),
        },
        Era::Legacy17 if d.api_environment.as_deref() == Some("LOCALHOST") => "http://localhost/api/v1".to_string(),
        Era::Legacy17 => WWW.to_string(),
        Era::Sdk180 | Era::Sdk183 | Era::Sdk212 => return None,
    };
    Some(given.map_or(root, str::to_string))
}

/// kagglehub 0.3's legacy REST root: `api/v1` joined to `KAGGLE_API_ENDPOINT` (else
/// `https://www.kaggle.com`) the way Python's `urljoin` joins a relative path — after the
/// last `/` of the endpoint's path, so `http://h/x` gives `http://h/api/v1` and
/// `http://h/x/` gives `http://h/x/api/v1`; a user and password in it are dropped (the
/// client's own credential is what it sends). An `--endpoint` given to the doctor wins.
pub fn hub_legacy_root(d: &Discovery, given: Option<&str>) -> String {
    if let Some(given) = given {
        return given.to_string();
    }
    let base = d.api_endpoint.as_deref().unwrap_or("https://www.kaggle.com");
    let base = base.split(['?', '#']).next().unwrap_or(base);
    let Some((scheme, rest)) = base.split_once("://") else { return format!("{base}/api/v1") };
    let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
    // A user and password in the URL are not sent: the client's own credential wins.
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let dir = path.rfind('/').map_or("/", |i| &path[..=i]);
    format!("{scheme}://{host}{dir}api/v1")
}

/// How the modelled client spells its legacy REST requests, if it speaks legacy REST.
pub fn legacy_dialect(info: &ClientInfo) -> Option<crate::endpoints::Dialect> {
    use crate::endpoints::Dialect;
    match info.model {
        Era::Legacy15 | Era::Legacy16 => Some(Dialect::Swagger),
        Era::Legacy17 => Some(Dialect::Sdk),
        Era::Sdk180 | Era::Sdk183 | Era::Sdk212 => None,
    }
}

/// A proxy URL with its password hidden (`http://user:***@host:port`).
///
/// The user information ends at the last `@` (a password may hold `/` or `@`), the URL
/// may lack a scheme (kaggle 1.5/1.6 take `host:port` as it is), and a lone user part may
/// be a token: it is hidden too (`***@host`).
pub fn redact_proxy(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").map_or(("", url), |(scheme, rest)| (scheme, rest));
    let Some((userinfo, host)) = rest.rsplit_once('@') else { return url.to_string() };
    let shown = userinfo.split_once(':').map_or("***".to_string(), |(user, _)| format!("{user}:***"));
    let scheme = if url.contains("://") { format!("{scheme}://") } else { String::new() };
    format!("{scheme}{shown}@{host}")
}

/// The credential on the wire, given discovery and the probe results.
pub fn effective(info: &ClientInfo, d: &Discovery, cells: &[Cell]) -> Effective {
    // `import kaggle` creates the config dir first; over a broken symlink or a file on the
    // way that raises, before any credential is looked at (src/discover/dirs.rs).
    let import_crash = if info.model == Era::Legacy15 { &d.import_crash_legacy15 } else { &d.import_crash };
    let mut effective = match (import_crash, info.model) {
        (Some(crash), _) => {
            Effective::stops(Vec::new(), format!("the client creates its config dir at import and crashes: {crash}"))
        }
        (None, model) => match model {
            Era::Legacy15 | Era::Legacy16 | Era::Legacy17 => legacy::effective(info.model, d),
            Era::Sdk180 | Era::Sdk183 | Era::Sdk212 => sdk::effective(&info.parsed, d, cells),
        },
    };
    if let (Some((proxy, from)), false) = (config_proxy(info, d), effective.client_stops) {
        let shown = redact_proxy(&proxy);
        effective.reasons.push(format!("every request goes through the proxy {shown} ({from}), as kaggle 1.5/1.6 do"));
        effective.proxy = Some(shown);
    }
    effective.client_version = info.version.clone();
    effective.client_version_from = info.from.clone();
    effective
}

/// kagglesdk's (and kaggle 1.7's) last resort: the hard-coded `~/.kaggle/kaggle.json`,
/// read directly whatever the config dir (docs/client-behaviour.md "What goes in the
/// Authorization header", step 4).
fn home_kaggle_json(d: &Discovery, reasons: Vec<String>) -> Effective {
    let json = match &d.home_kaggle_json {
        Some(r) => r.as_ref().ok(),
        None if d.config_dir.as_ref().is_some_and(|c| c.why == DirRule::DotKaggle) => {
            d.kaggle_json.as_ref().and_then(|r| r.as_ref().ok())
        }
        None => None,
    };
    // A value of another type goes out as the text Python gives it, falsy or not.
    let pair = json.and_then(|j| Some((j.username.sent()?, j.key.sent()?)));
    match pair {
        // Read with no check of the values: an empty key goes out as Basic `user:`.
        Some((u, k)) => {
            let mut reasons = reasons;
            let falsy = json.is_some_and(|j| !j.username.truthy() || !j.key.truthy());
            let empty = if falsy { ", empty or false values and all" } else { "" };
            reasons.push(format!(
                "the HTTP layer falls back to the hard-coded ~/.kaggle/kaggle.json and sends its pair{empty}"
            ));
            Effective::basic((u, SourceId::FileKaggleJson), (k, SourceId::FileKaggleJson), reasons)
        }
        _ => Effective::anonymous(reasons),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proxy_password_is_hidden_whatever_the_url_looks_like() {
        let cases = [
            ("http://joe:s3cret@127.0.0.1:9", "http://joe:***@127.0.0.1:9"),
            ("bob:s3cret@127.0.0.1:9", "bob:***@127.0.0.1:9"),
            ("http://bob:pa/ss@w0rd@127.0.0.1:9/x", "http://bob:***@127.0.0.1:9/x"),
            ("http://t0ken0nly@127.0.0.1:9", "http://***@127.0.0.1:9"),
            ("http://127.0.0.1:9", "http://127.0.0.1:9"),
        ];
        for (url, shown) in cases {
            assert_eq!(redact_proxy(url), shown, "{url}");
        }
    }

    #[test]
    fn kagglehub_0_3_joins_its_root_as_urljoin_does() {
        let root = |endpoint: Option<&str>| {
            let d = Discovery { api_endpoint: endpoint.map(str::to_string), ..Default::default() };
            hub_legacy_root(&d, None)
        };
        // The right-hand sides are what Python's urljoin(endpoint, "api/v1") gives.
        assert_eq!(root(None), "https://www.kaggle.com/api/v1");
        assert_eq!(root(Some("http://127.0.0.1:8080")), "http://127.0.0.1:8080/api/v1");
        assert_eq!(root(Some("http://h/x/")), "http://h/x/api/v1");
        assert_eq!(root(Some("http://h/x")), "http://h/api/v1");
        assert_eq!(root(Some("http://h:1/x/y?q=1")), "http://h:1/x/api/v1");
        assert_eq!(root(Some("http://h/api/v1")), "http://h/api/api/v1");
        assert_eq!(root(Some("https://user:s3cr3t@h/x/")), "https://h/x/api/v1", "never a second Authorization");
        let d = Discovery::default();
        assert_eq!(hub_legacy_root(&d, Some("http://127.0.0.1:9/v1")), "http://127.0.0.1:9/v1");
    }

    #[test]
    fn legacy_roots_follow_each_clients_own_rule() {
        let info = |v: &str| ClientInfo::detected(ClientVersion::parse(v).unwrap(), "test".into(), None);
        let mut d = Discovery::default();
        assert_eq!(legacy_root(&info("1.6.17"), &d, None).as_deref(), Some("https://www.kaggle.com/api/v1"));
        assert_eq!(legacy_root(&info("2.2.5"), &d, None), None, "kagglesdk clients speak RPC");
        d.api_endpoint = Some("http://127.0.0.1:8080//".into());
        assert_eq!(legacy_root(&info("1.5.16"), &d, None).as_deref(), Some("http://127.0.0.1:8080/api/v1"));
        d.api_endpoint = Some("http://h/api/v1/".into());
        assert_eq!(legacy_root(&info("1.6.17"), &d, None).as_deref(), Some("http://h/api/v1"));
        assert_eq!(
            legacy_root(&info("1.7.4.5"), &d, None).as_deref(),
            Some("https://www.kaggle.com/api/v1"),
            "1.7 ignores KAGGLE_API_ENDPOINT"
        );
        d.api_environment = Some("LOCALHOST".into());
        assert_eq!(legacy_root(&info("1.7.4.5"), &d, None).as_deref(), Some("http://localhost/api/v1"));
        assert_eq!(legacy_root(&info("1.7.4.5"), &d, Some("http://x/v1")).as_deref(), Some("http://x/v1"));
    }

    #[test]
    fn proxy_passwords_are_hidden() {
        assert_eq!(redact_proxy("http://joe:s3cr3t@proxy:3128"), "http://joe:***@proxy:3128");
        assert_eq!(redact_proxy("http://joe:s3:cr@t@proxy:3128/x"), "http://joe:***@proxy:3128/x");
        assert_eq!(redact_proxy("http://proxy:3128"), "http://proxy:3128");
        assert_eq!(redact_proxy("proxy:3128"), "proxy:3128");
    }

    #[test]
    fn versions_outside_the_checked_ranges_say_so() {
        let info = |v: &str| ClientInfo::detected(ClientVersion::parse(v).unwrap(), "test".into(), None);
        for inside in ["1.5.16", "1.6.17", "1.8.0", "2.2.5", "2.2.9"] {
            assert!(info(inside).in_modelled_range, "{inside}");
            assert!(info(inside).note.is_none(), "{inside}");
        }
        for (outside, era) in
            [("1.5.4", Era::Legacy15), ("1.4.7", Era::Legacy15), ("2.3.0", Era::Sdk212), ("3.0", Era::Sdk212)]
        {
            let i = info(outside);
            assert!(!i.in_modelled_range, "{outside}");
            assert_eq!(i.model, era, "{outside}: the nearest model");
            assert!(i.note.unwrap().contains("outside the versions checked"), "{outside}");
        }
    }

    #[test]
    fn versions_map_to_eras() {
        let era = |v: &str| Era::of(&ClientVersion::parse(v).unwrap());
        assert_eq!(era("1.5.16"), Era::Legacy15);
        assert_eq!(era("1.6.17"), Era::Legacy16);
        assert_eq!(era("1.7.4.5"), Era::Legacy17);
        assert_eq!(era("1.8.0"), Era::Sdk180);
        assert_eq!(era("1.8.2"), Era::Sdk180);
        assert_eq!(era("1.8.4"), Era::Sdk183);
        assert_eq!(era("2.1.0"), Era::Sdk183);
        assert_eq!(era("2.1.2"), Era::Sdk212);
        assert_eq!(era("2.2.5"), Era::Sdk212);
        for era in [Era::Legacy15, Era::Legacy16, Era::Sdk180, Era::Sdk212] {
            assert_eq!(serde_json::to_value(era).unwrap(), era.label());
        }
        assert!(ClientVersion::parse("two").is_none());
        assert!(ClientVersion::parse("2").is_none());
        assert_eq!(era("1.7.4.post1"), Era::Legacy17);
        assert_eq!(era("1.8.0.dev1"), Era::Legacy17);
        assert_eq!(era("2.1.2rc1"), Era::Sdk183);
        assert_eq!(era("1.5.16"), Era::Legacy15);
    }

    #[test]
    fn versions_parse_and_order_like_pip() {
        let v = |t: &str| ClientVersion::parse(t).unwrap_or_else(|| panic!("{t} parses"));
        // Ascending, as `packaging.version.Version` sorts them.
        let ordered = [
            "1.5.16",
            "1.7.4",
            "1.7.4.post1",
            "1.7.4.5",
            "1.8.0.dev1",
            "1.8.0a1",
            "1.8.0b2",
            "1.8.0rc1",
            "1.8.0rc1.post1",
            "1.8.0",
            "1.8.0.post1.dev1",
            "1.8.0.post1",
            "2.0.0rc1",
            "2.0.0",
            "1!0.1",
        ];
        for pair in ordered.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(v("1.8"), v("1.8.0"));
        assert_eq!(v("2.0.0-rc.1"), v("2.0.0rc1"));
        assert_eq!(v("1.7.4-1"), v("1.7.4.post1"));
        assert_eq!(v("V2.2.5+local.build"), v("2.2.5"));
        for (text, normal) in [("1.7.4.POST1", "1.7.4.post1"), ("1.8.0-dev1", "1.8.0.dev1"), ("2.0.0.RC1", "2.0.0rc1")]
        {
            assert_eq!(v(text).to_string(), normal);
        }
        for bad in ["2.2.5x", "1.8.0.foo", "1..2", "2.2.5rc1rc2", ""] {
            assert!(ClientVersion::parse(bad).is_none(), "{bad}");
        }
    }
}
