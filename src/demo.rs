//! `demo [SCENARIO]`: the full diagnosis of a scenario's machine, against the built-in
//! fake Kaggle API, in a throw-away sandbox HOME. The user's real environment is never
//! consulted: discovery sees only the sandbox [`Env`](crate::Env).

use std::fmt::Write;

use anyhow::{Context, Result};

use crate::client_model::{ClientVersion, NEWEST_MODELLED};
use crate::config::Config;
use crate::fake_kaggle::scenario::{BUILTIN, DEFAULT};
use crate::fake_kaggle::{FakeKaggle, Scenario};
use crate::report::{Demo, Report};

/// Plays `scenario` (default: the motivating case) and returns its report.
pub fn run(config: &Config, scenario: Option<&str>) -> Result<Report> {
    let scenario = Scenario::load(scenario.unwrap_or(DEFAULT)).map_err(crate::exit_codes::usage)?;
    let sandbox = tempfile::Builder::new().prefix("kaggle-auth-doctor-demo").tempdir()?;
    let (home, cwd) = (sandbox.path().join("home"), sandbox.path().join("work"));
    std::fs::create_dir_all(&home)?;
    std::fs::create_dir_all(&cwd)?;
    // A scenario the sandbox refuses (a path or variable reaching outside it) is an
    // error in what was asked: exit 2.
    let env = scenario
        .lay_out(&home, &cwd)
        .context("cannot lay out the scenario sandbox")
        .map_err(crate::exit_codes::usage)?;
    let fake = FakeKaggle::start(&scenario)?;
    let mut config = config.clone();
    config.api_root = fake.root();
    config.api_root_from = "demo: the built-in fake Kaggle API".into();
    if config.competition.is_none() {
        config.competition = scenario.competition.clone();
    }
    config.apply_scenario(&scenario).map_err(crate::exit_codes::usage)?;
    if config.client_version.is_none() {
        // The sandbox has no client installed: model the newest release, and say so.
        let newest = ClientVersion::parse(NEWEST_MODELLED).expect("valid constant");
        config.client_version = Some((newest, "demo: the newest release modelled".into()));
    }
    let mut report = crate::check(&config, &env)?;
    // A scenario file is outside text: its name and description are escaped and bounded.
    let shown = crate::report::sanitize::untrusted;
    report.demo = Some(Demo { scenario: shown(&scenario.name), description: shown(&scenario.description) });
    Ok(report)
}

/// `demo --list`.
pub fn list() -> String {
    let mut out = String::new();
    for (name, text) in BUILTIN {
        let description = Scenario::parse(text).map(|s| s.description).unwrap_or_default();
        let marker = if *name == DEFAULT { " (default)" } else { "" };
        let _ = writeln!(out, "{name}{marker}\n    {description}");
    }
    out
}
