//! kagglehub ≥ 0.4.3: the other official client (docs/client-behaviour.md "kagglehub, the
//! other official client").
//!
//! kagglehub's own lookup (`get_kaggle_credentials`) takes the first of: the token chain
//! (the same kagglesdk function as the CLI, crashes included), `KAGGLE_USERNAME` +
//! `KAGGLE_KEY` when both are non-empty (never a mixed pair), kaggle.json at its own path
//! (`KAGGLE_CONFIG_DIR` verbatim, no XDG; a malformed file stops every operation), Colab
//! secrets. It never validates. kagglesdk then sends that credential — or, when the
//! lookup found nothing, Basic from the hard-coded `~/.kaggle/kaggle.json`.
//! `login()`/`set_*()` values live in the user's process and cannot be seen from here.
//!
//! kagglehub ≤ 0.3.x predates tokens and kagglesdk ([`predict_legacy`]): the env pair
//! `KAGGLE_USERNAME`/`KAGGLE_KEY` when both are non-empty, else kaggle.json at the same path as above
//! (a malformed file, or one missing `username` or `key`, stops every operation; empty
//! values are sent as they are), else — in a Kaggle notebook — the notebook token; Basic
//! on its own REST client (`KAGGLE_API_ENDPOINT`, else `https://www.kaggle.com`, plus
//! `/api/v1`). Nothing else is read: no token source, no `~/.kaggle/kaggle.json`
//! fallback (docs/client-behaviour.md).

use serde::Serialize;

use super::{Auth, Effective, home_kaggle_json};
use crate::discover::{Discovery, SourceId};
use crate::endpoints::EndpointId;
use crate::matrix::{Cell, Form, Net};
use crate::secret::{Credential, Fingerprint};

/// What one kagglehub operation does on the wire.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
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
    /// The behaviour range used.
    pub model: super::HubEra,
    /// False when the version lies outside every modelled range.
    pub in_modelled_range: bool,
    /// A caveat, when the model is not exact for this version.
    pub note: Option<String>,
}

pub(super) fn predict(d: &Discovery) -> Hub {
    let mut reasons = vec!["if your code calls kagglehub.login() or set_kaggle_api_token(), that token wins and the doctor cannot see it; set_kaggle_credentials() still loses to any token found below".to_string()];
    let (chosen, effective) = lookup(d, &mut reasons);
    let operations = operations(d, chosen, &effective);
    Hub { effective, chosen, operations, model: super::HubEra::Sdk04, in_modelled_range: true, note: None }
}

/// kagglehub ≤ 0.3.x: Basic only, on its own legacy REST client.
pub(super) fn predict_legacy(d: &Discovery) -> Hub {
    let mut reasons = vec![
        "if your code calls kagglehub.login() or set_kaggle_credentials(), that pair wins and the doctor cannot see it"
            .to_string(),
    ];
    let (chosen, mut effective) = lookup_legacy(d, &mut reasons);
    if let Some(why) = d.api_endpoint_raw.as_deref().and_then(unusable_endpoint) {
        effective = Effective::stops(effective.reasons, why);
    }
    let operations = operations(d, chosen, &effective);
    Hub { effective, chosen, operations, model: super::HubEra::Sdk04, in_modelled_range: true, note: None }
}

/// Why kagglehub 0.3 can send nothing to `KAGGLE_API_ENDPOINT` (used whenever it is set,
/// even empty), if so: the URL it joins with `api/v1/…` is not an http(s) URL with a host,
/// and `requests` raises before any request (missing or unknown scheme, no host).
fn unusable_endpoint(endpoint: &str) -> Option<String> {
    let shown = crate::report::sanitize::untrusted(&super::redact_proxy(endpoint));
    let usable = endpoint.split_once("://").is_some_and(|(scheme, rest)| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        ["http", "https"].iter().any(|s| scheme.eq_ignore_ascii_case(s)) && !host.is_empty()
    });
    (!usable).then(|| {
        format!("KAGGLE_API_ENDPOINT={shown} is not an http(s) URL with a host: kagglehub 0.3 raises on every call before any request")
    })
}

fn lookup_legacy(d: &Discovery, reasons: &mut Vec<String>) -> (Option<SourceId>, Effective) {
    if d.source(SourceId::EnvApiToken).is_some() || d.source(SourceId::FileAccessToken).is_some() {
        reasons.push(
            "kagglehub before 0.4 knows no access tokens: KAGGLE_API_TOKEN and ~/.kaggle/access_token are not read"
                .into(),
        );
    }
    let take = std::mem::take;
    if let (Some(user), Some(key)) = (&d.env_username, &d.env_key) {
        if !user.is_empty() && !key.is_empty() {
            reasons.push(
                "KAGGLE_USERNAME and KAGGLE_KEY are both set: kagglehub uses them, kaggle.json is not opened".into(),
            );
            let pair = ((user.as_str(), SourceId::EnvKeyPair), (key, SourceId::EnvKeyPair));
            return (Some(SourceId::EnvKeyPair), Effective::basic(pair.0, pair.1, take(reasons)));
        }
    }
    if let Some(hub) = &d.hub_kaggle_json {
        return match &hub.pair {
            Err(why) => {
                let why = format!("kagglehub raises on every operation, downloads of public data included: {why}");
                (None, Effective::stops(take(reasons), why))
            }
            Ok(Credential::Basic { username, key }) => {
                reasons
                    .push(format!("kagglehub reads {} and sends its pair as it is, empty values included", hub.origin));
                let pair = ((username.as_str(), SourceId::FileKaggleJson), (key, SourceId::FileKaggleJson));
                (Some(SourceId::FileKaggleJson), Effective::basic(pair.0, pair.1, take(reasons)))
            }
            Ok(_) => (None, Effective::anonymous(take(reasons))),
        };
    }
    if d.hints.colab {
        reasons.push("in Colab, kagglehub would now read the KAGGLE_USERNAME and KAGGLE_KEY secrets: present or not, they cannot be read from here".into());
    }
    let notebook = d.hints.kaggle_notebook && d.network_proxy_url.is_some();
    let token = d.source(SourceId::NotebookToken).filter(|s| s.is_usable());
    if let (true, Some(source)) = (notebook, token) {
        let token = super::sdk::token_of(source).expect("usable token sources hold a Bearer credential");
        reasons.push("in a Kaggle notebook without a pair, kagglehub sends the notebook token".into());
        return (Some(source.id), Effective::bearer(source.id, token, take(reasons)));
    }
    if notebook {
        // 0.3's client counts a notebook as credentials, token file or not (released code).
        reasons.push("in a Kaggle notebook without a pair or a readable notebook token, kagglehub 0.3 still counts itself signed in: whoami() asks the API without credentials".into());
        return (Some(SourceId::Anonymous), Effective::anonymous(take(reasons)));
    }
    reasons.push("kagglehub's lookup finds nothing: whoami() and competition downloads say 'not authenticated'; other downloads go out without credentials".into());
    (None, Effective::anonymous(take(reasons)))
}

/// Why kagglesdk's `get_env()` (run when kagglehub builds its client, for every
/// operation) raises before any request, if it does.
fn environment_rejected(d: &Discovery) -> Option<String> {
    let value = d.api_environment_raw.as_deref()?;
    match value {
        "PROD" | "LOCALHOST" | "QA" | "TEST" => None,
        "STAGING" | "ADMIN" if d.iap_token => None,
        "STAGING" | "ADMIN" => Some(format!(
            "KAGGLE_API_ENVIRONMENT={value} needs KAGGLE_IAP_TOKEN: every kagglehub call raises 'Must set KAGGLE_IAP_TOKEN' before any request"
        )),
        other => Some(format!(
            "KAGGLE_API_ENVIRONMENT='{other}' is not a value kagglehub accepts (PROD, LOCALHOST, STAGING, ADMIN, QA, TEST; case matters): every call raises before any request"
        )),
    }
}

fn lookup(d: &Discovery, reasons: &mut Vec<String>) -> (Option<SourceId>, Effective) {
    if let Some(why) = environment_rejected(d) {
        return (None, Effective::stops(std::mem::take(reasons), why));
    }
    match super::sdk::first_token(d, reasons) {
        Err(crash) => return (None, Effective::stops(std::mem::take(reasons), crash)),
        Ok(Some(source)) => {
            let token = super::sdk::token_of(source).expect("usable token sources hold a Bearer credential");
            reasons.push(format!(
                "{} is the first token kagglehub finds; it is sent unvalidated (no token check)",
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
                let why = format!("kagglehub raises on every operation, downloads of public data included: {why}");
                return (None, Effective::stops(std::mem::take(reasons), why));
            }
            Ok(Credential::Basic { username, key }) if hub.truthy => {
                reasons.push(format!("kagglehub reads {}", hub.origin));
                let e = Effective::basic(
                    (username, SourceId::FileKaggleJson),
                    (key, SourceId::FileKaggleJson),
                    std::mem::take(reasons),
                );
                return (Some(SourceId::FileKaggleJson), e);
            }
            Ok(_) => {
                reasons.push(format!(
                    "{} has a username or key that is empty or counts as false in Python (0, false, null, an empty list or object): kagglehub ignores the pair",
                    hub.origin
                ));
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

/// What the probes say about kagglehub's own requests.
#[derive(Clone, Copy, Default)]
pub struct Probes<'a> {
    /// The matrix, when it went over kagglehub's network path (the environment's
    /// proxies and CA bundle); empty when it went a kaggle 1.5/1.6's own way.
    pub cells: &'a [Cell],
    /// The matrix was sent kagglehub's way (it is covered alone): its legacy cells are
    /// kagglehub 0.3's own requests.
    pub its_matrix: bool,
    /// whoami probed without the CA bundle.
    pub without_bundle: &'a [Cell],
}

/// Whether kagglehub's requests get through: they go with the environment's proxies and
/// CA bundle — RPC for 0.4+, its own legacy REST for 0.3 (judged only when the matrix was
/// sent its way) — except `whoami()` of 0.4+, which verifies TLS with certifi's roots
/// whatever `REQUESTS_CA_BUNDLE` says (docs/client-behaviour.md, "TLS trust"): behind a
/// TLS-inspecting proxy whose CA is only in that bundle, whoami fails ("not
/// authenticated") while downloads work.
pub(super) fn through_the_network(hub: &mut Hub, era: super::HubEra, d: &Discovery, probes: Probes) {
    let form = match era {
        super::HubEra::Sdk04 => Some(Form::Rpc),
        super::HubEra::Legacy03 if probes.its_matrix => Some(Form::Legacy),
        super::HubEra::Legacy03 => None,
    };
    let before = hub.effective.client_stops;
    if let Some(form) = form {
        super::reach::apply(&super::reach::Path::environment(form, d), probes.cells, &mut hub.effective);
    }
    if hub.effective.client_stops != before {
        hub.operations = operations(d, hub.chosen, &hub.effective);
    }
    let row = hub.effective.source.unwrap_or(SourceId::Anonymous);
    let whoami = probes.without_bundle.iter().find(|c| c.source == row && c.endpoint == EndpointId::Whoami);
    let Some(failed) = whoami.filter(|c| c.net == Some(Net::Tls)) else { return };
    if era != super::HubEra::Sdk04 || hub.effective.client_stops {
        return;
    }
    if let Some(op) = hub.operations.iter_mut().find(|o| o.operation == "whoami" && o.sends != "no-request") {
        let why = failed.message.as_deref().unwrap_or("certificate not trusted");
        *op = Operation {
            operation: "whoami",
            sends: "no-request",
            source: None,
            fingerprint: None,
            note: Some(format!(
                "UnauthenticatedError: User is not authenticated: whoami() verifies TLS with certifi's roots and ignores REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE ({why}); downloads use the bundle"
            )),
        };
    }
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
            // Always a request to the data proxy first (AttachDatasourceUsingJwt), even
            // for a resource already under the mount folder; none to the Kaggle API.
            let (sends, note) = match (d.user_secrets_token, d.data_proxy_token) {
                (true, true) => (
                    "x-kaggle-authorization",
                    "via the notebook's data proxy (always asked, even when the resource is already mounted)",
                ),
                (false, _) => ("no-request", "CredentialError: KAGGLE_USER_SECRETS_TOKEN is missing"),
                (true, false) => ("no-request", "CredentialError: KAGGLE_DATA_PROXY_TOKEN is missing"),
            };
            Operation { operation, sends, source: None, fingerprint: None, note: Some(note.into()) }
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

#[cfg(test)]
mod tests {
    use crate::discover::{Env, discover};

    /// Discovery in a throw-away HOME holding `files`, with `vars` set.
    fn world(vars: &[(&str, &str)], files: &[(&str, &str)]) -> (tempfile::TempDir, crate::discover::Discovery) {
        let dir = tempfile::tempdir().unwrap();
        let (home, cwd) = (dir.path().join("home"), dir.path().join("work"));
        std::fs::create_dir_all(&cwd).unwrap();
        for (path, text) in files {
            let path = home.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let mut env = Env::sandbox(&home, &cwd);
        for (k, v) in vars {
            env.set(*k, *v);
        }
        let d = discover(&env);
        (dir, d)
    }

    #[test]
    fn kagglehub_0_3_knows_no_tokens_and_sends_an_empty_key() {
        let files = [(".kaggle/kaggle.json", r#"{"username": "bob", "key": ""}"#)];
        let (_dir, d) = world(&[("KAGGLE_API_TOKEN", "KGAT_a_token_kagglehub_0_3_never_reads")], &files);
        let old = crate::client_model::kagglehub(Some("0.3.13"), "test", &d, super::Probes::default());
        assert_eq!(old.model, crate::client_model::HubEra::Legacy03);
        assert_eq!(old.effective.source, Some(crate::discover::SourceId::FileKaggleJson));
        let bob_empty = crate::secret::Secret::new("").fingerprint_as_key_of("bob");
        assert_eq!(old.effective.fingerprint, Some(bob_empty));
        let new = crate::client_model::kagglehub(Some("1.0.3"), "test", &d, super::Probes::default());
        assert_eq!(new.effective.source, Some(crate::discover::SourceId::EnvApiToken));
        assert!(!crate::client_model::kagglehub(Some("0.2.9"), "test", &d, super::Probes::default()).in_modelled_range);
        assert!(crate::client_model::kagglehub(Some("0.4.3"), "test", &d, super::Probes::default()).in_modelled_range);
    }

    #[test]
    fn kagglehub_0_3_stops_on_an_endpoint_it_cannot_send_to() {
        for bad in ["", "file:///etc/passwd", "localhost:9", "127.0.0.1:9", "ftp://h/x", "http://", "http:///x"] {
            let (_dir, d) = world(&[("KAGGLE_API_ENDPOINT", bad), ("KAGGLE_USERNAME", "u"), ("KAGGLE_KEY", "k")], &[]);
            let hub = crate::client_model::kagglehub(Some("0.3.13"), "test", &d, super::Probes::default());
            assert!(hub.effective.client_stops, "{bad:?}");
            assert!(hub.operations.iter().all(|o| o.sends == "no-request"), "{bad:?}");
            let newer = crate::client_model::kagglehub(Some("0.4.3"), "test", &d, super::Probes::default());
            assert!(!newer.effective.client_stops, "{bad:?}: 0.4+ ignore KAGGLE_API_ENDPOINT");
        }
        for good in ["http://127.0.0.1:9", "HTTPS://www.kaggle.com/x", "http://u:p@h:1"] {
            let (_dir, d) = world(&[("KAGGLE_API_ENDPOINT", good), ("KAGGLE_USERNAME", "u"), ("KAGGLE_KEY", "k")], &[]);
            let hub = crate::client_model::kagglehub(Some("0.3.13"), "test", &d, super::Probes::default());
            assert!(!hub.effective.client_stops, "{good:?}");
        }
    }

    #[test]
    fn kagglehub_stops_on_an_environment_value_it_rejects() {
        let files = [(".kaggle/kaggle.json", r#"{"username": "alice", "key": "k3y"}"#)];
        for (value, stops) in
            [("prod", true), ("STAGING", true), ("LOCAL", true), ("", true), ("PROD", false), ("QA", false)]
        {
            let (_dir, d) = world(&[("KAGGLE_API_ENVIRONMENT", value)], &files);
            let hub = crate::client_model::kagglehub(Some("1.0.3"), "test", &d, super::Probes::default());
            assert_eq!(hub.effective.client_stops, stops, "{value:?}");
            let old = crate::client_model::kagglehub(Some("0.3.13"), "test", &d, super::Probes::default());
            assert!(!old.effective.client_stops, "0.3.x never reads it ({value:?})");
        }
        let (_dir, d) = world(&[("KAGGLE_API_ENVIRONMENT", "STAGING"), ("KAGGLE_IAP_TOKEN", "iap")], &files);
        assert!(
            !crate::client_model::kagglehub(Some("1.0.3"), "test", &d, super::Probes::default()).effective.client_stops
        );
    }
}
