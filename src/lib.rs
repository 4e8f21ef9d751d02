//! kaggle-auth-doctor as a library: the pipeline
//! discover → plan → probe → predict → diagnose → render, one function per stage in
//! [`check`] and one module per stage:
//!
//! - **discover** ([`discover`], [`client_model::extra_sources`]): every credential on the
//!   machine, read from an [`Env`] snapshot;
//! - **plan** ([`plan`]): which (source, endpoint) cells need a request;
//! - **probe** ([`probing`] decides how each request is sent, the client's way; [`probe`]
//!   sends them, filling the [`matrix`]);
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
mod probing;
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
use probing::{Installed, Probed, probe_all, probe_effective_only, probe_settings, refresh_oauth};
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
    let (cli_network, hub_alone) = (installed.cli_network(config), installed.kagglehub_alone(config).is_some());
    let Installed { client, detected } = installed;
    let mut cli = client_model::effective(&client, discovery, &[probed.cells.clone(), probed.shaped.clone()].concat());
    client_model::reach::apply(&client_model::reach::Path::cli(&client, discovery), &probed.cells, &mut cli);
    // kagglehub sends with the environment's network settings, as the matrix went, unless
    // it went over a kaggle 1.5/1.6's own path: then nothing is judged for it.
    let hub_probes = client_model::kagglehub::Probes {
        cells: if cli_network { &[] } else { &probed.cells },
        its_matrix: hub_alone,
        without_bundle: &probed.without_bundle,
    };
    let clients = clients::reports(config.client, (&client, &cli), detected.kagglehub.as_ref(), discovery, hub_probes);
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

/// True when `id` names a real source (for scenario expectations).
pub fn is_source_id(id: &str) -> bool {
    SourceId::parse(id).is_some()
}
