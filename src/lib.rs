//! kaggle-auth-doctor as a library: the pipeline
//! discover → plan → probe → diagnose → render, one module per stage.
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

use client_model::ClientInfo;
use config::Config;
pub use discover::Env;
use discover::{Discovery, SourceId};
use endpoints::{CATALOG, EndpointId};
use report::{Competition, EndpointInfo, Judged, Report};

pub use output::run;

/// The competition used when neither the user nor the client config names one.
pub const DEFAULT_COMPETITION: &str = "titanic";

/// Runs the whole diagnosis for `env` and returns the report.
pub fn check(config: &Config, env: &Env) -> Result<Report> {
    let started = Instant::now();
    let mut discovery = discover::discover(env);
    discovery.sources.extend(client_model::extra_sources(&discovery));
    discovery.sources.sort_by_key(|s| s.id);
    let competition = competition(config, &discovery);
    let endpoints = endpoint_columns(&competition, config.require.as_deref());
    let required: Vec<EndpointId> = endpoints.iter().filter(|e| e.required).map(|e| e.id).collect();
    let unauthorized_counts: Vec<EndpointId> =
        endpoints.iter().filter(|e| e.judged == Judged::UnauthorizedOnly).map(|e| e.id).collect();

    let ids: Vec<EndpointId> = endpoints.iter().map(|e| e.id).collect();
    let plan = plan::plan(&discovery.sources, &ids, config.offline);
    let settings = probe_settings(config, &discovery, &competition, plan::probe_count(&plan), started)?;
    // Version detection starts a Python interpreter: it runs while the probes are in flight.
    let (cells, client, effective, detected) = std::thread::scope(|scope| -> Result<_> {
        let detection = scope.spawn(|| discover::client::detect(env));
        let client = || {
            let found = detection.join().unwrap_or_default();
            (ClientInfo::new(config.client_version.as_ref(), found.kaggle.clone()), found)
        };
        if !config.effective_only {
            let cells = progress::run(config, &settings, plan)?;
            let (client, detected) = client();
            let effective = client_model::effective(&client, &discovery, &cells);
            return Ok((cells, client, effective, detected));
        }
        // The fast preflight: introspect the first token (it decides what the client
        // sends), then probe only the credential that goes on the wire.
        let first = SourceId::TOKEN_CHAIN.into_iter().find(|id| discovery.source(*id).is_some_and(|s| s.is_usable()));
        let introspect = plan::restrict(&plan, |c| Some(c.source) == first && c.endpoint == EndpointId::Introspect);
        let mut cells = progress::run(config, &settings, introspect)?;
        let (client, detected) = client();
        let predicted = client_model::effective(&client, &discovery, &cells);
        let row = plan::restrict(&plan, |c| Some(c.source) == predicted.source && cells_unprobed(&cells, c));
        for (cell, later) in cells.iter_mut().zip(progress::run(config, &settings, row)?) {
            if cell.elapsed_ms.is_none() {
                *cell = later;
            }
        }
        let effective = client_model::effective(&client, &discovery, &cells);
        Ok((cells, client, effective, detected))
    })?;
    let clients = clients::reports(config.client, &client, &effective, detected.kagglehub.as_ref(), &discovery);
    let effective = clients::primary(&clients).unwrap_or(effective);

    for (id, user) in diagnose::usernames(&cells) {
        if let Some(s) = discovery.sources.iter_mut().find(|s| s.id == id) {
            s.username.get_or_insert(user);
        }
    }
    for (id, token) in diagnose::tokens::token_infos(&cells, discovery.now) {
        if let Some(s) = discovery.sources.iter_mut().find(|s| s.id == id) {
            s.token = Some(token);
        }
    }
    let fix = fix_context(config, &discovery, detected.kaggle.as_ref());
    let mut diagnosis = diagnose::diagnose(&diagnose::Input {
        discovery: &discovery,
        cells: &cells,
        effective: &effective,
        required: &required,
        unauthorized_counts: &unauthorized_counts,
        offline: config.offline,
        client: &client,
        clients: &clients,
        fix,
        competition: competition.slug.clone(),
        competition_named: competition.named,
        root: config.api_root.clone(),
    });
    config.fail_on.apply(&mut diagnosis);
    Ok(Report {
        schema_version: report::SCHEMA_VERSION,
        tool: report::Tool::default(),
        generated_at: timestamp::rfc3339(discovery.now),
        os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        host: env.host_name(),
        api_root: config.api_root.clone(),
        api_root_from: config.api_root_from.clone(),
        competition,
        client,
        sources: discovery.sources.clone(),
        endpoints,
        matrix: cells,
        effective,
        clients,
        shadowed: diagnosis.shadowed,
        findings: diagnosis.findings,
        verdict: diagnosis.verdict,
        exit_code: diagnosis.exit_code,
        offline: config.offline,
        shell: config.shell,
        fail_on: config.fail_on,
        looked_in: discovery.looked_in.clone(),
        demo: None,
    })
}

/// True when the cell of `planned` was not probed in the first phase.
fn cells_unprobed(cells: &[matrix::Cell], planned: &plan::PlannedCell) -> bool {
    !cells.iter().any(|c| c.source == planned.source && c.endpoint == planned.endpoint && c.elapsed_ms.is_some())
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
