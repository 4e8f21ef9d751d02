//! kaggle-auth-doctor as a library: the pipeline
//! discover → plan → probe → predict → diagnose → render, one function per stage in
//! [`check`] and one module per stage:
//!
//! - **discover** ([`discover`], [`client_model::extra_sources`]): every credential on the
//!   machine, read from an [`Env`] snapshot;
//! - **plan** ([`plan`]): which (source, endpoint) cells need a request;
//! - **probe** ([`probe`]): the HTTP requests, filling the [`matrix`];
//! - **predict** ([`client_model`], [`clients`]): which credential each official client
//!   sends, given what discovery found and what the server said;
//! - **diagnose** ([`diagnose`]): findings, verdict and exit code;
//! - **render** ([`report`], [`output`]): pure formatting of the resulting [`Report`].
//!
//! `main` parses arguments and calls [`run`]; tests and `demo` call [`check`] with an
//! [`Env`] of their own, so nothing here depends on the real process environment.

pub mod cli;
mod client_model;
mod clients;
pub mod config;
#[cfg(feature = "demo")]
mod demo;
pub mod diagnose;
pub mod discover;
pub mod endpoints;
pub mod exit_codes;
#[cfg(feature = "demo")]
pub mod fake_kaggle;
mod from_error;
mod manpage;
mod matrix;
mod output;
pub mod plan;
pub mod probe;
mod progress;
mod report;
mod resource;
pub mod secret;
mod table;
pub mod terminal;
pub mod timestamp;
pub mod timings;

use std::time::Instant;

use anyhow::Result;

use client_model::{ClientInfo, Effective};
use clients::ClientReport;
use config::Config;
pub use discover::Env;
use discover::client::Detected;
use discover::{Discovery, SourceId};
use endpoints::{CATALOG, EndpointId};
use matrix::Cell;
use plan::PlannedCell;
use report::{Competition, EndpointInfo, Judged, Report};

pub use output::run;

/// An error as it goes to stderr: its cause chain, with every outside value in it
/// (a path, an environment value, a scenario's field name) escaped and bounded.
pub fn error_message(error: &anyhow::Error) -> String {
    report::sanitize::for_stderr(&format!("{error:#}"))
}

/// The competition used when neither the user nor the client config names one.
pub const DEFAULT_COMPETITION: &str = "titanic";

/// Runs the whole diagnosis for `env` and returns the report.
pub fn check(config: &Config, env: &Env) -> Result<Report> {
    let started = Instant::now();
    let mut discovery = timings::stage("discovery", || discover(env));
    let columns = columns(config, &discovery);
    let mut plan = plan::plan(&discovery.sources, &columns.ids(), config.offline);
    let mut settings = probe_settings(config, &discovery, &columns.competition, started)?;
    if config.oauth_refresh && !config.offline && refresh_oauth(&settings, &mut discovery)? {
        plan = plan::plan(&discovery.sources, &columns.ids(), config.offline);
        // The minted token is a secret too: every server string is scrubbed of it.
        settings.scrubber = discovery.scrubber();
    }
    // Version detection reads metadata files (well under a millisecond) and comes first:
    // the modelled version decides how the probes are sent. Only when no layout is known
    // does it start an interpreter, bounded by the deadline.
    let detected = timings::stage("version detection", || discover::client::detect(env, started + config.timeout));
    let installed = Installed::new(config, detected);
    let probe = if config.effective_only { probe_effective_only } else { probe_all };
    let probed = probe(config, &settings, &discovery, &plan, &installed)?;
    let prediction = predict(config, &discovery, &probed, installed);
    let cells = probed.cells;
    let discovery = with_server_facts(discovery, &cells);
    let diagnosis = timings::stage("diagnosis", || diagnose(config, &discovery, &cells, &prediction, &columns));
    Ok(report(config, env, discovery, columns, cells, prediction, diagnosis))
}

/// Discover: every source on the machine, plus the rows only the client model can
/// derive (kaggle 2.2.x's merged pair), in row order.
fn discover(env: &Env) -> Discovery {
    let mut discovery = discover::discover(env);
    let extra = client_model::extra_sources(&discovery);
    discovery.sources.extend(extra);
    discovery.sources.sort_by_key(|s| s.id);
    discovery
}

/// The matrix's columns and the competition they probe.
struct Columns {
    competition: Competition,
    endpoints: Vec<EndpointInfo>,
}

impl Columns {
    fn ids(&self) -> Vec<EndpointId> {
        self.endpoints.iter().map(|e| e.id).collect()
    }

    fn required(&self) -> Vec<EndpointId> {
        self.endpoints.iter().filter(|e| e.required).map(|e| e.id).collect()
    }

    /// The columns where only a 401 counts (a competition the user did not name).
    fn unauthorized_counts(&self) -> Vec<EndpointId> {
        self.endpoints.iter().filter(|e| e.judged == Judged::UnauthorizedOnly).map(|e| e.id).collect()
    }
}

fn columns(config: &Config, discovery: &Discovery) -> Columns {
    let competition = competition(config, discovery);
    let endpoints = endpoint_columns(&competition, &config.named, config.require.as_deref());
    Columns { competition, endpoints }
}

/// The clients installed here (or given with `--client-version`).
struct Installed {
    /// The kaggle CLI version modelled.
    client: ClientInfo,
    /// What detection found, kagglehub included.
    detected: Detected,
}

impl Installed {
    fn new(config: &Config, detected: Detected) -> Installed {
        let client = ClientInfo::new(config.client_version.as_ref(), &detected);
        Installed { client, detected }
    }

    /// The kagglehub version, when the report covers kagglehub and not the CLI: the matrix
    /// then models kagglehub's requests.
    fn kagglehub_alone(&self, config: &Config) -> Option<String> {
        clients::kagglehub_alone(config.client, &self.client, self.detected.kagglehub.as_ref())
    }

    /// True when the matrix models a kaggle 1.5/1.6 CLI, whose requests go over its own
    /// proxy and CA file rather than the environment's.
    fn cli_network(&self, config: &Config) -> bool {
        client_model::uses_config_proxy_only(&self.client) && self.kagglehub_alone(config).is_none()
    }
}

/// What the probes learned: the matrix, and the requests only one client sends that way.
#[derive(Default)]
struct Probed {
    /// The matrix, each cell sent the way the modelled client sends it.
    cells: Vec<Cell>,
    /// IntrospectToken shaped as the client asks it.
    shaped: Vec<Cell>,
    /// whoami as kagglehub ≥ 0.4 sends it: certifi's roots, whatever the CA bundle.
    without_bundle: Vec<Cell>,
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
        let rpc = match installed.cli_network(config) {
            true => client_network(settings, &installed.client, d, &config.api_root),
            false => settings.clone(),
        };
        Ways {
            rpc: probe::Settings { completed: settings.completed.clone(), ..rpc },
            legacy: legacy_settings(config, settings, installed, d),
            without_bundle: without_bundle(config, settings, d, installed),
        }
    }
}

/// Probe: every cell in one concurrent round (docs/performance.md): the matrix, sent the
/// way the modelled client sends each request (RPC, or legacy REST for a client that
/// speaks it), IntrospectToken shaped as the client asks it, and kagglehub's whoami with
/// its own TLS trust.
fn probe_all(
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
fn probe_effective_only(
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
        Some(hub) => client_model::kagglehub(Some(&hub), "", discovery, (&first_phase.cells, &[])).effective.source,
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
    let Some((_, Ok(_))) = &d.network.ca_bundle else { return None };
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
        return Some(probe::Settings { legacy_root: Some(root), completed: Default::default(), ..settings.clone() });
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
/// environment's, as `settings` already does.
fn client_network(settings: &probe::Settings, info: &ClientInfo, d: &Discovery, root: &str) -> probe::Settings {
    let mut out = settings.clone();
    if !client_model::uses_config_proxy_only(info) {
        return out;
    }
    let proxy = client_model::config_proxy(info, d).map(|(p, _)| p);
    (out.http_proxy, out.https_proxy, out.no_proxy) = (proxy.clone(), proxy, None);
    (out.ca_bundle_pem, out.setup_error) = match client_model::config_ca_cert(info, d) {
        _ if !is_https(root) => (None, None),
        None => (None, None),
        Some(((_, Ok(pem)), _)) => (Some(pem), None),
        Some(((path, Err(why)), from)) => {
            let shown = report::sanitize::untrusted(&path);
            (None, Some(format!("the CA file {shown} ({from}) {why}")))
        }
    };
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
fn refresh_oauth(settings: &probe::Settings, d: &mut Discovery) -> Result<bool> {
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

/// What the covered clients put on the wire.
struct Prediction {
    /// The kaggle CLI version modelled.
    client: ClientInfo,
    /// What detection found (the interpreter the fixes' `pip` lines use).
    detected: Detected,
    /// The credential the verdict judges (the first covered client's).
    effective: Effective,
    /// One prediction per covered client.
    clients: Vec<ClientReport>,
}

/// Predict: which credential each covered client sends, given the sources and the
/// server's answers (introspection decides for kaggle 1.8+).
fn predict(config: &Config, discovery: &Discovery, probed: &Probed, installed: Installed) -> Prediction {
    let cli_network = installed.cli_network(config);
    let Installed { client, detected } = installed;
    let mut cli = client_model::effective(&client, discovery, &[probed.cells.clone(), probed.shaped.clone()].concat());
    client_model::reach::apply(&client_model::reach::Path::cli(&client, discovery), &probed.cells, &mut cli);
    // kagglehub sends with the environment's network settings, as the matrix went, unless
    // it went over a kaggle 1.5/1.6's own path: then nothing is judged for it.
    let env_cells = if cli_network { &[][..] } else { &probed.cells[..] };
    let hub_cells = (env_cells, &probed.without_bundle[..]);
    let clients = clients::reports(config.client, (&client, &cli), detected.kagglehub.as_ref(), discovery, hub_cells);
    let effective = clients::primary(&clients).unwrap_or(cli);
    Prediction { client, detected, effective, clients }
}

/// The sources with what the server said about them: the username (`whoami`,
/// `introspect`) where discovery knew none, and the token's state.
fn with_server_facts(mut discovery: Discovery, cells: &[Cell]) -> Discovery {
    for (id, user) in diagnose::usernames(cells) {
        if let Some(s) = discovery.sources.iter_mut().find(|s| s.id == id) {
            s.username.get_or_insert(user);
        }
    }
    for (id, token) in diagnose::tokens::token_infos(cells, discovery.now) {
        if let Some(s) = discovery.sources.iter_mut().find(|s| s.id == id) {
            s.token = Some(token);
        }
    }
    discovery
}

/// Diagnose: findings, verdict and exit code (`--fail-on` applied).
fn diagnose(
    config: &Config,
    discovery: &Discovery,
    cells: &[Cell],
    prediction: &Prediction,
    columns: &Columns,
) -> diagnose::Diagnosis {
    let mut diagnosis = diagnose::diagnose(&diagnose::Input {
        discovery,
        cells,
        effective: &prediction.effective,
        required: &columns.required(),
        unauthorized_counts: &columns.unauthorized_counts(),
        offline: config.offline,
        client: &prediction.client,
        clients: &prediction.clients,
        fix: fix_context(config, discovery, prediction.detected.kaggle.as_ref()),
        competition: columns.competition.slug.clone(),
        competition_named: columns.competition.named,
        root: config.api_root.clone(),
        named: &config.named,
        understood: config.understood.as_ref(),
    });
    config.fail_on.apply(&mut diagnosis, &config.recheck_command());
    diagnosis
}

/// Everything the renderers need, in one value.
fn report(
    config: &Config,
    env: &Env,
    discovery: Discovery,
    columns: Columns,
    cells: Vec<Cell>,
    prediction: Prediction,
    diagnosis: diagnose::Diagnosis,
) -> Report {
    Report {
        scrubber: discovery.scrubber(),
        schema_version: report::SCHEMA_VERSION,
        tool: report::Tool::default(),
        generated_at: timestamp::rfc3339(discovery.now),
        os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        host: env.host_name(),
        api_root: config.api_root.clone(),
        api_root_from: config.api_root_from.clone(),
        competition: columns.competition,
        resources: named_resources(config),
        from_error: config.understood.clone().map(|understood| report::FromError {
            recognised: !understood.is_empty(),
            as_flags: understood.parsed.as_ref().map(from_error::as_flags),
            understood,
        }),
        client: prediction.client,
        sources: discovery.sources,
        endpoints: columns.endpoints,
        matrix: cells,
        effective: prediction.effective,
        clients: prediction.clients,
        shadowed: diagnosis.shadowed,
        findings: diagnosis.findings,
        verdict: diagnosis.verdict,
        exit_code: diagnosis.exit_code,
        offline: config.offline,
        shell: config.shell,
        fail_on: config.fail_on,
        looked_in: discovery.looked_in,
        demo: None,
    }
}

/// The named dataset, model and kernel with their pages, and which input named them.
fn named_resources(config: &Config) -> Vec<report::NamedResource> {
    config
        .named
        .all()
        .into_iter()
        .map(|r| {
            let flag = format!("--{}", r.kind().as_str());
            let from = if config.from_url.contains(&r.kind()) {
                format!("{flag} (page URL)")
            } else if config.understood.as_ref().and_then(|u| u.parsed.as_ref()) == Some(&r) {
                "--from-error".to_string()
            } else {
                flag
            };
            report::NamedResource { kind: r.kind(), id: r.to_string(), page: r.page(), from }
        })
        .collect()
}

/// `--competition`, else the client's default (`KAGGLE_COMPETITION`, kaggle.json), else
/// titanic. Only a named competition makes competition endpoints count for the verdict.
fn competition(config: &Config, d: &Discovery) -> Competition {
    if let Some(slug) = &config.competition {
        let from = if config.from_url.contains(&resource::Kind::Competition) {
            "--competition (page URL)"
        } else if config.understood.as_ref().and_then(|u| u.resource.as_deref()) == Some(slug.as_str())
            && config.understood.as_ref().and_then(|u| u.resource_kind) == Some(resource::Kind::Competition)
        {
            "--from-error"
        } else {
            "--competition"
        };
        return Competition { slug: slug.clone(), from: from.into(), named: true };
    }
    if let Some((slug, from)) = d.default_competition() {
        return Competition { slug, from: from.into(), named: true };
    }
    Competition { slug: DEFAULT_COMPETITION.into(), from: "default".into(), named: false }
}

/// Which columns are probed and how each counts (docs/architecture.md "How endpoints are
/// judged"): `--require`
/// if given; else every endpoint, where a competition the user did not name counts only
/// with a 401 (rules, slug and membership say nothing about the credential). The
/// resource endpoints are columns only for a named dataset, model or kernel.
fn endpoint_columns(
    competition: &Competition,
    named: &resource::Named,
    require: Option<&[EndpointId]>,
) -> Vec<EndpointInfo> {
    CATALOG
        .iter()
        .filter(|e| !e.needs_named_resource() || named.for_endpoint(e.id).is_some())
        .map(|e| {
            let judged = match require {
                Some(list) if list.contains(&e.id) => Judged::EveryFailure,
                Some(_) => Judged::Nothing,
                None if competition.named || !e.is_competition_specific() => Judged::EveryFailure,
                None => Judged::UnauthorizedOnly,
            };
            EndpointInfo {
                id: e.id,
                rpc: format!("{}/{}", e.service, e.method),
                required: judged == Judged::EveryFailure,
                judged,
            }
        })
        .collect()
}

/// Where the fixes will be typed: a Kaggle or Colab notebook, a CI job, else the shell;
/// the interpreter of the detected client; the user's own command line for re-checks.
fn fix_context(config: &Config, d: &Discovery, kaggle: Option<&discover::client::Found>) -> diagnose::fix::Context {
    use diagnose::fix::Place;
    let place = if d.hints.kaggle_notebook {
        Place::KaggleNotebook
    } else if d.hints.colab {
        Place::Colab
    } else if let Some(ci) = d.hints.ci {
        Place::Ci(ci)
    } else {
        Place::Terminal
    };
    let python = kaggle.and_then(|k| k.python.clone());
    diagnose::fix::Context {
        shell: config.shell,
        place,
        windows: cfg!(windows),
        python,
        recheck: config.recheck_command(),
    }
}

fn probe_settings(
    config: &Config,
    d: &Discovery,
    competition: &Competition,
    started: Instant,
) -> Result<probe::Settings> {
    let (ca_bundle_pem, setup_error) = match &d.network.ca_bundle {
        // A CA file matters for https only: `requests` never opens it for plain http.
        _ if !is_https(&config.api_root) => (None, None),
        None => (None, None),
        Some((path, Ok(pem))) => (Some(pem.clone()).filter(|_| !path.is_empty()), None),
        Some((path, Err(why))) => {
            let shown = report::sanitize::untrusted(path);
            (None, Some(format!("the CA bundle {shown} (REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE) {why}")))
        }
    };
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

/// True for an `https://` URL (any case, as urllib3 and `requests` compare schemes).
fn is_https(url: &str) -> bool {
    url.get(..8).is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
}

/// True when `id` names a real source (for scenario expectations).
pub fn is_source_id(id: &str) -> bool {
    SourceId::parse(id).is_some()
}
