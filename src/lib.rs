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
    let (cells, shaped) = probe(config, &settings, &discovery, &plan, &installed)?;
    let mut prediction = predict(config, &discovery, &[cells.clone(), shaped].concat(), installed);
    through_config_proxy(config, &settings, &plan, (&prediction.client, &discovery), &mut prediction.effective);
    if let Some(cli) = prediction.clients.iter_mut().find(|c| c.client == clients::Client::Kaggle) {
        cli.effective = prediction.effective.clone();
    }
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
}

/// Probe: every cell in one concurrent round (docs/performance.md): the matrix, sent the
/// way the modelled client sends each request (RPC, or legacy REST for a client that
/// speaks it), and IntrospectToken shaped as the client asks it. Returns the matrix and
/// the shaped cells.
fn probe_all(
    config: &Config,
    settings: &probe::Settings,
    discovery: &Discovery,
    plan: &[PlannedCell],
    installed: &Installed,
) -> Result<(Vec<Cell>, Vec<Cell>)> {
    let legacy = legacy_settings(config, settings, &installed.client, discovery);
    probe_round(config, (settings, legacy.as_ref()), plan, shaped_introspection(config, discovery))
}

/// Probe, `--effective-only`: first introspect the first usable token of the chain (its
/// answer decides what the client sends), then probe only the row that goes on the wire.
fn probe_effective_only(
    config: &Config,
    settings: &probe::Settings,
    discovery: &Discovery,
    plan: &[PlannedCell],
    installed: &Installed,
) -> Result<(Vec<Cell>, Vec<Cell>)> {
    let first = discovery.first_usable_token().map(|s| s.id);
    let introspect = plan::restrict(plan, |c| Some(c.source) == first && c.endpoint == EndpointId::Introspect);
    let shaped = shaped_introspection(config, discovery);
    let (first_phase, shaped) = probe_round(config, (settings, None), &introspect, shaped)?;
    // Sending nothing is the anonymous row: probe that, not nothing.
    let sent =
        client_model::effective(&installed.client, discovery, &first_phase).source.unwrap_or(SourceId::Anonymous);
    let row = plan::restrict(plan, |c| c.source == sent && !was_probed(&first_phase, c));
    let legacy = legacy_settings(config, settings, &installed.client, discovery);
    let (second_phase, _) = probe_round(config, (settings, legacy.as_ref()), &row, Vec::new())?;
    let cells = first_phase.into_iter().zip(second_phase).map(|(a, b)| if a.elapsed_ms.is_some() { a } else { b });
    Ok((cells.collect(), shaped))
}

/// One round of requests, all in flight together: the cells of `plan` (those a legacy
/// client sends as legacy requests with the `legacy` settings, when given) and the
/// `shaped` introspection. Returns the cells in plan order, and the shaped ones.
fn probe_round(
    config: &Config,
    (settings, legacy): (&probe::Settings, Option<&probe::Settings>),
    plan: &[PlannedCell],
    shaped: Vec<PlannedCell>,
) -> Result<(Vec<Cell>, Vec<Cell>)> {
    let as_legacy = |c: &PlannedCell| legacy.is_some() && speaks_legacy(c);
    let mut groups = vec![
        probe::Group { settings, plan: plan::restrict(plan, |c| !as_legacy(c)) },
        probe::Group { settings, plan: shaped },
    ];
    if let Some(legacy) = legacy {
        groups.push(probe::Group { settings: legacy, plan: plan::restrict(plan, speaks_legacy) });
    }
    let mut results = progress::run(config, groups)?.into_iter();
    let (mut cells, shaped) = (results.next().unwrap_or_default(), results.next().unwrap_or_default());
    if let Some(legacy_cells) = results.next() {
        for ((cell, later), planned) in cells.iter_mut().zip(legacy_cells).zip(plan) {
            if speaks_legacy(planned) {
                *cell = later;
            }
        }
    }
    Ok((cells, shaped))
}

/// True for the cells a legacy REST client (kaggle 1.5–1.7) sends as a legacy request.
fn speaks_legacy(planned: &plan::PlannedCell) -> bool {
    planned.endpoint.has_legacy_form()
}

/// Probe settings for the modelled client's legacy REST requests, if it speaks legacy REST:
/// its root, and for 1.5/1.6 only their config's proxy (they ignore `HTTP(S)_PROXY`).
fn legacy_settings(
    config: &Config,
    settings: &probe::Settings,
    info: &ClientInfo,
    d: &Discovery,
) -> Option<probe::Settings> {
    let given = (config.api_root_from == "--endpoint").then_some(config.api_root.as_str());
    let root = endpoints::LegacyRoot {
        url: client_model::legacy_root(info, d, given)?,
        dialect: client_model::legacy_dialect(info)?,
    };
    let mut legacy = probe::Settings { legacy_root: Some(root), completed: Default::default(), ..settings.clone() };
    if client_model::uses_config_proxy_only(info) {
        let proxy = client_model::config_proxy(info, d).map(|(p, _)| p);
        legacy.http_proxy = proxy.clone();
        legacy.https_proxy = proxy;
        legacy.no_proxy = None;
    }
    Some(legacy)
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

/// kaggle 1.5/1.6 send every request through their config's proxy (kaggle.json `proxy`,
/// `KAGGLE_PROXY`), not the environment's: probe the effective credential's whoami the
/// same way. When nothing gets through, no request of the client reaches Kaggle.
fn through_config_proxy(
    config: &Config,
    settings: &probe::Settings,
    plan: &[plan::PlannedCell],
    (info, d): (&ClientInfo, &Discovery),
    e: &mut client_model::Effective,
) {
    let Some((proxy, from)) = client_model::config_proxy(info, d) else { return };
    if config.offline || e.client_stops {
        return;
    }
    let shown = client_model::redact_proxy(&proxy);
    let via = probe::Settings {
        http_proxy: Some(proxy.clone()),
        https_proxy: Some(proxy),
        no_proxy: None,
        jobs: 1,
        completed: Default::default(),
        ..settings.clone()
    };
    let row = plan::restrict(plan, |c| Some(c.source) == e.source && c.endpoint == EndpointId::Whoami);
    let failed = match probe::run(&via, row) {
        Err(_) => Some(format!("the proxy {shown} ({from}) is not a valid proxy URL: the client stops")),
        Ok(cells) => cells.iter().find(|c| c.outcome.is_network()).map(|c| {
            let why = c.message.as_deref().unwrap_or("no answer");
            format!("the proxy {shown} ({from}) carries nothing ({why}): no request of the client reaches Kaggle")
        }),
    };
    if let Some(why) = failed {
        e.reasons.push(why);
        e.client_stops = true;
    }
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
fn predict(config: &Config, discovery: &Discovery, cells: &[Cell], installed: Installed) -> Prediction {
    let Installed { client, detected } = installed;
    let cli = client_model::effective(&client, discovery, cells);
    let clients = clients::reports(config.client, &client, &cli, detected.kagglehub.as_ref(), discovery);
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

/// True when `id` names a real source (for scenario expectations).
pub fn is_source_id(id: &str) -> bool {
    SourceId::parse(id).is_some()
}
