//! The probe stage, as `check` drives it: every request of a run sent the way the
//! modelled client sends it — its form (RPC, or its legacy REST), its proxy and its TLS
//! trust — all in one round (docs/performance.md; docs/client-behaviour.md, "TLS trust" and
//! "Legacy REST requests"). `probe.rs` sends; this module decides how.

use std::time::Instant;

use anyhow::Result;

use crate::client_model::{self, ClientInfo};
use crate::config::Config;
use crate::discover::client::Detected;
use crate::discover::network::CaFile;
use crate::discover::{self, Discovery, SourceId};
use crate::endpoints::{self, EndpointId};
use crate::matrix::Cell;
use crate::plan::{self, PlannedCell};
use crate::report::Competition;
use crate::{clients, probe, progress, report, secret};

/// The clients installed here (or given with `--client-version`).
pub(crate) struct Installed {
    /// The kaggle CLI version modelled.
    pub(crate) client: ClientInfo,
    /// What detection found, kagglehub included.
    pub(crate) detected: Detected,
}

impl Installed {
    pub(crate) fn new(config: &Config, detected: Detected) -> Installed {
        let client = ClientInfo::new(config.client_version.as_ref(), &detected);
        Installed { client, detected }
    }

    /// The kagglehub version, when the report covers kagglehub and not the CLI: the matrix
    /// then models kagglehub's requests.
    pub(crate) fn kagglehub_alone(&self, config: &Config) -> Option<String> {
        clients::kagglehub_alone(config.client, &self.client, self.detected.kagglehub.as_ref())
    }

    /// True when the matrix models a kaggle 1.5/1.6 CLI, whose requests go over its own
    /// proxy and CA file rather than the environment's.
    pub(crate) fn cli_network(&self, config: &Config) -> bool {
        client_model::uses_config_proxy_only(&self.client) && self.kagglehub_alone(config).is_none()
    }
}

/// What the probes learned: the matrix, and the requests only one client sends that way.
#[derive(Default)]
pub(crate) struct Probed {
    /// The matrix, each cell sent the way the modelled client sends it.
    pub(crate) cells: Vec<Cell>,
    /// IntrospectToken shaped as the client asks it.
    pub(crate) shaped: Vec<Cell>,
    /// whoami as kagglehub ≥ 0.4 sends it: certifi's roots, whatever the CA bundle.
    pub(crate) without_bundle: Vec<Cell>,
}

/// The ways requests are sent in a round: the matrix's (RPC), the modelled client's legacy
/// REST, kagglehub's whoami without the CA bundle.
struct Ways {
    rpc: probe::Settings,
    legacy: Option<probe::Settings>,
    without_bundle: Option<probe::Settings>,
}

impl Ways {
    /// Every way of this run. The RPC requests go over the modelled client's network path
    /// too: a kaggle 1.5/1.6 never sends them, but would send them that way.
    fn new(config: &Config, settings: &probe::Settings, d: &Discovery, installed: &Installed) -> Ways {
        // (a clone: the progress counter stays the one `settings` shares with the display)
        let rpc = match installed.cli_network(config) {
            true => client_network(settings, &installed.client, d, &config.api_root),
            false => settings.clone(),
        };
        Ways {
            rpc,
            legacy: legacy_settings(config, settings, installed, d),
            without_bundle: without_bundle(config, settings, d, installed),
        }
    }
}

/// Probe: every cell in one concurrent round (docs/performance.md): the matrix, sent the
/// way the modelled client sends each request (RPC, or legacy REST for a client that
/// speaks it), IntrospectToken shaped as the client asks it, and kagglehub's whoami with
/// its own TLS trust.
pub(crate) fn probe_all(
    config: &Config,
    settings: &probe::Settings,
    discovery: &Discovery,
    plan: &[PlannedCell],
    installed: &Installed,
) -> Result<Probed> {
    let ways = Ways::new(config, settings, discovery, installed);
    probe_round(config, &ways, plan, shaped_introspection(config, discovery))
}

/// Probe, `--effective-only`: first introspect the first usable token of the chain (its
/// answer decides what the client sends), then probe only the row that goes on the wire.
pub(crate) fn probe_effective_only(
    config: &Config,
    settings: &probe::Settings,
    discovery: &Discovery,
    plan: &[PlannedCell],
    installed: &Installed,
) -> Result<Probed> {
    let first = discovery.first_usable_token().map(|s| s.id);
    let introspect = plan::restrict(plan, |c| Some(c.source) == first && c.endpoint == EndpointId::Introspect);
    let shaped = shaped_introspection(config, discovery);
    let ways = Ways::new(config, settings, discovery, installed);
    let rpc_only = Ways { rpc: ways.rpc.clone(), legacy: None, without_bundle: None };
    let first_phase = probe_round(config, &rpc_only, &introspect, shaped)?;
    // Sending nothing is the anonymous row: probe that, not nothing. The row of the client
    // the matrix models: kagglehub's when the report covers it alone.
    let sent = match installed.kagglehub_alone(config) {
        Some(hub) => client_model::kagglehub(Some(&hub), "", discovery, Default::default()).effective.source,
        None => client_model::effective(&installed.client, discovery, &first_phase.cells).source,
    };
    let sent = sent.unwrap_or(SourceId::Anonymous);
    let row = plan::restrict(plan, |c| c.source == sent && !was_probed(&first_phase.cells, c));
    let second_phase = probe_round(config, &ways, &row, Vec::new())?;
    let cells = first_phase.cells.into_iter().zip(second_phase.cells);
    let cells = cells.map(|(a, b)| if a.elapsed_ms.is_some() { a } else { b }).collect();
    Ok(Probed { cells, shaped: first_phase.shaped, without_bundle: second_phase.without_bundle })
}

/// One round of requests, all in flight together: the cells of `plan` (those a legacy
/// client sends as legacy requests with the legacy settings, when there are some), the
/// `shaped` introspection, and `plan`'s whoami cells without the CA bundle when asked.
fn probe_round(config: &Config, ways: &Ways, plan: &[PlannedCell], shaped: Vec<PlannedCell>) -> Result<Probed> {
    let dialect = ways.legacy.as_ref().and_then(|l| l.legacy_root.as_ref()).map(|r| r.dialect);
    let as_legacy = |c: &PlannedCell| dialect.is_some_and(|d| c.endpoint.has_legacy_form(d));
    let mut groups = vec![
        probe::Group { settings: &ways.rpc, plan: plan::restrict(plan, |c| !as_legacy(c)) },
        probe::Group { settings: &ways.rpc, plan: shaped },
        probe::Group { settings: ways.legacy.as_ref().unwrap_or(&ways.rpc), plan: plan::restrict(plan, as_legacy) },
    ];
    if let Some(bare) = &ways.without_bundle {
        groups.push(probe::Group { settings: bare, plan: plan::restrict(plan, |c| c.endpoint == EndpointId::Whoami) });
    }
    let mut results = progress::run(config, groups)?.into_iter();
    let mut next = || results.next().unwrap_or_default();
    let (mut cells, shaped, legacy_cells, without_bundle) = (next(), next(), next(), next());
    for ((cell, later), planned) in cells.iter_mut().zip(legacy_cells).zip(plan) {
        if as_legacy(planned) {
            *cell = later;
        }
    }
    Ok(Probed { cells, shaped, without_bundle })
}

/// kagglehub ≥ 0.4 sends `whoami()` with certifi's roots whatever `REQUESTS_CA_BUNDLE`
/// says (its downloads honour it): settings to probe its whoami that way, when a bundle is
/// set and that kagglehub is covered (docs/client-behaviour.md, "TLS trust").
fn without_bundle(
    config: &Config,
    settings: &probe::Settings,
    d: &Discovery,
    installed: &Installed,
) -> Option<probe::Settings> {
    // Set at all: whoami never opens it, so even a bundle that cannot be read is ignored.
    d.network.ca_bundle.as_ref()?;
    let hub = clients::kagglehub_covered(config.client, &installed.client, installed.detected.kagglehub.as_ref())?;
    (client_model::HubEra::of_text(&hub) == client_model::HubEra::Sdk04).then(|| probe::Settings {
        ca_bundle_pem: None,
        setup_error: None,
        completed: Default::default(),
        ..settings.clone()
    })
}

/// Probe settings for the legacy REST requests of the client the matrix models, if it
/// speaks legacy REST: the kaggle CLI (1.5–1.7), over its own network path
/// ([`client_network`]); or, when the report covers kagglehub alone, kagglehub 0.3, with
/// the environment's proxies and CA bundle.
fn legacy_settings(
    config: &Config,
    settings: &probe::Settings,
    installed: &Installed,
    d: &Discovery,
) -> Option<probe::Settings> {
    let given = (config.api_root_from == "--endpoint").then_some(config.api_root.as_str());
    if let Some(version) = installed.kagglehub_alone(config) {
        if client_model::HubEra::of_text(&version) != client_model::HubEra::Legacy03 {
            return None;
        }
        let root =
            endpoints::LegacyRoot { url: client_model::hub_legacy_root(d, given), dialect: endpoints::Dialect::Hub };
        let (ca_bundle_pem, setup_error) = environment_trust(d, &root.url);
        let hub = probe::Settings { ca_bundle_pem, setup_error, completed: Default::default(), ..settings.clone() };
        return Some(probe::Settings { legacy_root: Some(root), ..hub });
    }
    let info = &installed.client;
    let root = endpoints::LegacyRoot {
        url: client_model::legacy_root(info, d, given)?,
        dialect: client_model::legacy_dialect(info)?,
    };
    let legacy = probe::Settings { completed: Default::default(), ..client_network(settings, info, d, &root.url) };
    Some(probe::Settings { legacy_root: Some(root), ..legacy })
}

/// `settings` over the network path of the modelled client, for requests to `root`: kaggle
/// 1.5/1.6 use only their config's proxy (never `HTTP(S)_PROXY`) and verify TLS with their
/// config's `ssl_ca_cert` or certifi (never `REQUESTS_CA_BUNDLE`); newer clients use the
/// environment's.
fn client_network(settings: &probe::Settings, info: &ClientInfo, d: &Discovery, root: &str) -> probe::Settings {
    let mut out = settings.clone();
    if !client_model::uses_config_proxy_only(info) {
        (out.ca_bundle_pem, out.setup_error) = environment_trust(d, root);
        return out;
    }
    let proxy = client_model::config_proxy(info, d).map(|(p, _)| p);
    (out.http_proxy, out.https_proxy, out.no_proxy) = (proxy.clone(), proxy, None);
    let ca_file = client_model::config_ca_cert(info, d);
    (out.ca_bundle_pem, out.setup_error) = trust(ca_file.as_ref().map(|(file, from)| (file, "CA file", *from)), root);
    out
}

/// IntrospectToken for the first token of the chain as kaggle 2.2.x sends it when a config
/// token is set: with that token in the header. Empty when there is nothing to ask, or
/// the two shapes are the same request.
fn shaped_introspection(config: &Config, d: &Discovery) -> Vec<PlannedCell> {
    if config.offline {
        return Vec::new();
    }
    let first = d.first_usable_token();
    let (Some(source), Some((header_from, header))) = (first, client_model::introspection_header(d)) else {
        return Vec::new();
    };
    let Some(secret::Credential::Bearer(token)) = &source.credential else { return Vec::new() };
    if *token == header {
        return Vec::new();
    }
    let header = secret::Credential::Bearer(header);
    let action = plan::Action::IntrospectAs { token: token.clone(), header_from, header };
    vec![PlannedCell { source: source.id, endpoint: EndpointId::Introspect, action }]
}

/// `--oauth-refresh`: when credentials.json's access token is stale by the client's rule
/// (and the client would not crash first), mint the token the client would, and put it
/// in the credentials.json row so that the matrix probes it. True when the row changed.
pub(crate) fn refresh_oauth(settings: &probe::Settings, d: &mut Discovery) -> Result<bool> {
    let Some(refresh_token) = d.oauth_refresh_token.clone() else { return Ok(false) };
    let Some(source) = d.source(SourceId::FileCredentialsJson) else { return Ok(false) };
    if d.oauth_fresh != Some(false) || source.client_crash.is_some() {
        return Ok(false);
    }
    let origin = format!("{} (token minted from its refresh_token by --oauth-refresh)", source.origin);
    let (username, answer) = (source.username.clone(), probe::refresh_oauth(settings, &refresh_token)?);
    d.oauth_refresh = Some(match answer {
        probe::RefreshAnswer::Minted(token) => {
            let mut minted = discover::Source::usable(
                SourceId::FileCredentialsJson,
                discover::Kind::Oauth,
                origin,
                secret::Credential::Bearer(token),
            );
            minted.username = username;
            minted.client_note = Some("the client refreshes the stale access token first: this row holds the token --oauth-refresh minted, as the client would".into());
            if let Some(row) = d.sources.iter_mut().find(|s| s.id == SourceId::FileCredentialsJson) {
                // The stale access token leaves the row but stays a secret to scrub.
                if let Some(secret::Credential::Bearer(stale)) = row.credential.take() {
                    d.unsent_secrets.push(stale);
                }
                *row = minted;
            }
            discover::OauthRefresh::Minted
        }
        probe::RefreshAnswer::Refused => discover::OauthRefresh::Refused,
        probe::RefreshAnswer::Failed(why) => discover::OauthRefresh::Failed(why),
    });
    Ok(d.oauth_refresh == Some(discover::OauthRefresh::Minted))
}

/// True when the cell of `planned` was probed in the first phase.
fn was_probed(cells: &[Cell], planned: &PlannedCell) -> bool {
    cells.iter().any(|c| c.source == planned.source && c.endpoint == planned.endpoint && c.elapsed_ms.is_some())
}

pub(crate) fn probe_settings(
    config: &Config,
    d: &Discovery,
    competition: &Competition,
    started: Instant,
) -> Result<probe::Settings> {
    let (ca_bundle_pem, setup_error) = environment_trust(d, &config.api_root);
    Ok(probe::Settings {
        root: config.api_root.clone(),
        competition: competition.slug.clone(),
        named: config.named.clone(),
        jobs: config.jobs(),
        probe_timeout: config.probe_timeout.min(config.timeout),
        deadline: started + config.timeout,
        https_proxy: d.network.https_proxy.clone(),
        http_proxy: d.network.http_proxy.clone(),
        no_proxy: d.network.no_proxy.clone(),
        ca_bundle_pem,
        legacy_root: None,
        completed: Default::default(),
        scrubber: d.scrubber(),
        setup_error,
    })
}

/// The CA bundle `requests` verifies requests to `root` with: `REQUESTS_CA_BUNDLE`, else
/// `CURL_CA_BUNDLE` (see [`trust`]).
fn environment_trust(d: &Discovery, root: &str) -> (Option<Vec<u8>>, Option<String>) {
    let bundle = d.network.ca_bundle.as_ref().map(|file| (file, "CA bundle", "REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE"));
    trust(bundle, root)
}

/// The PEM that requests to `root` are verified with, from a client's CA file (`what` it
/// is, and where it is set), or why no request can be prepared; no file: Mozilla's roots.
/// A CA file matters for https only: neither `requests` nor urllib3 opens it for plain http.
fn trust(file: Option<(&CaFile, &str, &str)>, root: &str) -> (Option<Vec<u8>>, Option<String>) {
    match file {
        _ if !is_https(root) => (None, None),
        None => (None, None),
        Some(((_, Ok(pem)), _, _)) => (Some(pem.clone()), None),
        Some(((path, Err(why)), what, from)) => {
            let shown = report::sanitize::untrusted(path);
            (None, Some(format!("the {what} {shown} ({from}) {why}")))
        }
    }
}

/// True for an `https://` URL (any case, as urllib3 and `requests` compare schemes).
fn is_https(url: &str) -> bool {
    url.get(..8).is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
}
