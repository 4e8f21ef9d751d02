//! Which official clients the report covers (`--client`), and one prediction per client.

use serde::Serialize;

use crate::client_model::kagglehub::Operation;
use crate::client_model::{self, ClientInfo, Effective};
use crate::discover::client::{Found, VersionFrom};
use crate::discover::{Discovery, SourceId};
use crate::table::names;

/// `--client`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ClientChoice {
    /// Every client found installed; the kaggle CLI when none is.
    Auto,
    /// The kaggle CLI.
    Kaggle,
    /// kagglehub.
    Kagglehub,
    /// Both.
    Both,
}

names! {
    /// An official client the report can cover.
    pub enum Client {
        /// The kaggle CLI (and its Python API).
        Kaggle = "kaggle",
        /// kagglehub.
        Kagglehub = "kagglehub",
    }
}

/// One client's prediction.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct ClientReport {
    /// `kaggle` or `kagglehub`.
    pub client: Client,
    /// The version modelled.
    pub version: String,
    /// Where it was found.
    pub from: String,
    /// Which way the version was found: `option`, `metadata`, `interpreter`, `assumed`.
    pub version_from: VersionFrom,
    /// What it puts on the wire.
    pub effective: Effective,
    /// kagglehub: what its own lookup returns (`null`: it believes it is anonymous).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chosen: Option<SourceId>,
    /// kagglehub: per operation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<Operation>,
    /// The behaviour range used to predict it (`1.6.x`, `0.3.x`, …).
    pub model: &'static str,
    /// False when the version lies outside every range checked against the real client;
    /// the nearest model is used and `note` says so.
    pub in_modelled_range: bool,
    /// A caveat, when the model is not exact for this version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Which clients `choice` covers: (the CLI, kagglehub).
fn covered(choice: ClientChoice, cli: &ClientInfo, hub_found: Option<&Found>) -> (bool, bool) {
    match choice {
        ClientChoice::Kaggle => (true, false),
        ClientChoice::Kagglehub => (false, true),
        ClientChoice::Both => (true, true),
        ClientChoice::Auto => (!cli.assumed || hub_found.is_none(), hub_found.is_some()),
    }
}

/// The kagglehub version the report covers (found, or the newest modelled), if it covers
/// kagglehub.
pub fn kagglehub_covered(choice: ClientChoice, cli: &ClientInfo, hub_found: Option<&Found>) -> Option<String> {
    covered(choice, cli, hub_found).1.then(|| hub_version(hub_found).0)
}

/// The kagglehub version the report covers when it covers kagglehub and not the CLI: then
/// the matrix is sent the way kagglehub sends.
pub fn kagglehub_alone(choice: ClientChoice, cli: &ClientInfo, hub_found: Option<&Found>) -> Option<String> {
    (covered(choice, cli, hub_found) == (false, true)).then(|| hub_version(hub_found).0)
}

/// kagglehub's version, where it was found, and how.
fn hub_version(hub_found: Option<&Found>) -> (String, String, VersionFrom) {
    match hub_found {
        Some(f) => (f.version.clone(), f.from.clone(), f.how),
        None => (
            client_model::NEWEST_HUB_MODELLED.to_string(),
            "assumed: kagglehub not found; the newest release modelled".to_string(),
            VersionFrom::Assumed,
        ),
    }
}

/// The predictions for the clients `choice` selects; kagglehub's network is judged on
/// `hub_probes` (see `client_model::kagglehub`).
pub fn reports(
    choice: ClientChoice,
    (cli, cli_effective): (&ClientInfo, &Effective),
    hub_found: Option<&Found>,
    d: &Discovery,
    hub_probes: client_model::kagglehub::Probes,
) -> Vec<ClientReport> {
    let (kaggle, hub) = covered(choice, cli, hub_found);
    let mut out = Vec::new();
    if kaggle {
        out.push(ClientReport {
            client: Client::Kaggle,
            version: cli.version.clone(),
            from: cli.from.clone(),
            version_from: cli.version_from,
            effective: cli_effective.clone(),
            chosen: None,
            operations: Vec::new(),
            model: cli.model.label(),
            in_modelled_range: cli.in_modelled_range,
            note: cli.note.clone(),
        });
    }
    if hub {
        let (version, from, version_from) = hub_version(hub_found);
        let prediction = client_model::kagglehub(Some(&version), &from, d, hub_probes);
        out.push(ClientReport {
            client: Client::Kagglehub,
            version,
            from,
            version_from,
            effective: prediction.effective,
            chosen: prediction.chosen,
            operations: prediction.operations,
            model: prediction.model.label(),
            in_modelled_range: prediction.in_modelled_range,
            note: prediction.note,
        });
    }
    out
}

/// The effective credential the verdict judges: the CLI's when it is covered, else
/// kagglehub's.
pub fn primary(clients: &[ClientReport]) -> Option<Effective> {
    clients.first().map(|c| c.effective.clone())
}
