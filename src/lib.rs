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
mod matrix;
mod output;
pub mod plan;
pub mod probe;
mod progress;
mod report;
pub mod secret;
mod table;
pub mod terminal;
pub mod timestamp;

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

/// The competition used when neither the user nor the client config names one.
pub const DEFAULT_COMPETITION: &str = "titanic";

/// Runs the whole diagnosis for `env` and returns the report.
pub fn check(config: &Config, env: &Env) -> Result<Report> {
    let started = Instant::now();
    let discovery = discover(env);
    let columns = columns(config, &discovery);
    let plan = plan::plan(&discovery.sources, &columns.ids(), config.offline);
    let settings = probe_settings(config, &discovery, &columns.competition, plan::probe_count(&plan), started)?;
    // Version detection runs while the probes are in flight.
    let (cells, installed) = std::thread::scope(|scope| {
        let detection = scope.spawn(|| discover::client::detect(env));
        let installed = || Installed::new(config, detection.join().unwrap_or_default());
        if config.effective_only {
            probe_effective_only(config, &settings, &discovery, plan, installed)
        } else {
            Ok((progress::run(config, &settings, plan)?, installed()))
        }
    })?;
    let prediction = predict(config, &discovery, &cells, installed);
    let discovery = with_server_facts(discovery, &cells);
    let diagnosis = diagnose(config, &discovery, &cells, &prediction, &columns);
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
    let endpoints = endpoint_columns(&competition, config.require.as_deref());
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
        let client = ClientInfo::new(config.client_version.as_ref(), detected.kaggle.clone());
        Installed { client, detected }
    }
}

/// Probe, `--effective-only`: first introspect the first usable token of the chain (its
/// answer decides what the client sends), then probe only the row that goes on the wire.
fn probe_effective_only(
    config: &Config,
    settings: &probe::Settings,
    discovery: &Discovery,
    plan: Vec<PlannedCell>,
    installed: impl FnOnce() -> Installed,
) -> Result<(Vec<Cell>, Installed)> {
    let first = SourceId::TOKEN_CHAIN.into_iter().find(|id| discovery.source(*id).is_some_and(|s| s.is_usable()));
    let introspect = plan::restrict(&plan, |c| Some(c.source) == first && c.endpoint == EndpointId::Introspect);
    let first_phase = progress::run(config, settings, introspect)?;
    let installed = installed();
    let sent = client_model::effective(&installed.client, discovery, &first_phase).source;
    let row = plan::restrict(&plan, |c| Some(c.source) == sent && !was_probed(&first_phase, c));
    let second_phase = progress::run(config, settings, row)?;
    let cells = first_phase.into_iter().zip(second_phase).map(|(a, b)| if a.elapsed_ms.is_some() { a } else { b });
    Ok((cells.collect(), installed))
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
    });
    config.fail_on.apply(&mut diagnosis);
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
        schema_version: report::SCHEMA_VERSION,
        tool: report::Tool::default(),
        generated_at: timestamp::rfc3339(discovery.now),
        os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        host: env.host_name(),
        api_root: config.api_root.clone(),
        api_root_from: config.api_root_from.clone(),
        competition: columns.competition,
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

/// `--competition`, else the client's default (`KAGGLE_COMPETITION`, kaggle.json), else
/// titanic. Only a named competition makes competition endpoints count for the verdict.
fn competition(config: &Config, d: &Discovery) -> Competition {
    if let Some(slug) = &config.competition {
        return Competition { slug: slug.clone(), from: "--competition".into(), named: true };
    }
    if let Some((slug, from)) = d.default_competition() {
        return Competition { slug, from: from.into(), named: true };
    }
    Competition { slug: DEFAULT_COMPETITION.into(), from: "default".into(), named: false }
}

/// Which columns are probed and how each counts (DESIGN.md "Exit codes"): `--require`
/// if given; else every endpoint, where a competition the user did not name counts only
/// with a 401 (rules, slug and membership say nothing about the credential).
fn endpoint_columns(competition: &Competition, require: Option<&[EndpointId]>) -> Vec<EndpointInfo> {
    CATALOG
        .iter()
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
    // `from` reads "<kaggle script> → <interpreter>" when the interpreter was found.
    let python = kaggle.and_then(|k| k.from.rsplit_once(" → ")).map(|(_, python)| python.to_string());
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
    probes: usize,
    started: Instant,
) -> Result<probe::Settings> {
    let ca_bundle_pem = match &d.network.ca_bundle {
        None => None,
        Some((path, Ok(pem))) => Some(pem.clone()).filter(|_| !path.is_empty()),
        Some((path, Err(why))) => anyhow::bail!("the CA bundle {path} {why}"),
    };
    Ok(probe::Settings {
        root: config.api_root.clone(),
        competition: competition.slug.clone(),
        jobs: config.jobs_for(probes),
        probe_timeout: config.probe_timeout.min(config.timeout),
        deadline: started + config.timeout,
        https_proxy: d.network.https_proxy.clone(),
        http_proxy: d.network.http_proxy.clone(),
        no_proxy: d.network.no_proxy.clone(),
        ca_bundle_pem,
        completed: Default::default(),
    })
}

/// True when `id` names a real source (for scenario expectations).
pub fn is_source_id(id: &str) -> bool {
    SourceId::parse(id).is_some()
}
