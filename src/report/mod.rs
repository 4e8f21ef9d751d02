//! The report: the JSON contract that every format renders (DESIGN.md "The JSON
//! report"). Renderers are pure functions of a [`Report`]; every verdict is in the data.

pub mod json;
pub mod junit;
pub mod markdown;
pub mod redact;
pub mod sanitize;
pub mod text;

use serde::Serialize;

use crate::client_model::{ClientInfo, Effective};
use crate::clients::ClientReport;
use crate::diagnose::fix::Shell;
use crate::diagnose::{Finding, Verdict};
use crate::discover::{Source, SourceId};
use crate::endpoints::EndpointId;
use crate::exit_codes::ExitCode;
use crate::matrix::Cell;

/// The report's schema version: additive changes keep the major.
pub const SCHEMA_VERSION: &str = "1.0";

/// Which formats exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Matrix and findings for a terminal.
    Text,
    /// The whole report as JSON (docs/json.md).
    Json,
    /// A report to paste into a GitHub issue or forum post.
    Markdown,
    /// JUnit XML for CI systems: one case per required endpoint, one per finding.
    Junit,
}

/// The whole outcome of a run.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Version of this JSON layout.
    pub schema_version: &'static str,
    /// Name and version of the tool.
    pub tool: Tool,
    /// When the report was made (RFC 3339, UTC).
    pub generated_at: String,
    /// Operating system and architecture, e.g. `linux x86_64`.
    pub os: String,
    /// The machine's host name (`[redacted]` with `--redact strict`).
    pub host: String,
    /// The API root probed.
    pub api_root: String,
    /// Why that root (`--endpoint`, `KAGGLE_API_ENVIRONMENT`, default).
    pub api_root_from: String,
    /// The competition used by competition endpoints.
    pub competition: Competition,
    /// The client version modelled.
    pub client: ClientInfo,
    /// Every source found, in the client's order of preference.
    pub sources: Vec<Source>,
    /// The endpoint columns.
    pub endpoints: Vec<EndpointInfo>,
    /// One cell per source × endpoint.
    pub matrix: Vec<Cell>,
    /// What the client actually sends (the kaggle CLI's when it is covered, else kagglehub's).
    pub effective: Effective,
    /// One prediction per official client covered (`--client`).
    pub clients: Vec<ClientReport>,
    /// Working sources hidden by the effective one.
    pub shadowed: Vec<SourceId>,
    /// Diagnoses with fixes, most severe first.
    pub findings: Vec<Finding>,
    /// The overall answer.
    pub verdict: Verdict,
    /// The exit code of this run.
    pub exit_code: ExitCode,
    /// True when nothing was sent over the network.
    pub offline: bool,
    /// The shell the fixes are written for: `sh` or `powershell`.
    pub shell: Shell,
    /// Set by `demo`: the scenario that was played.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demo: Option<Demo>,
}

/// Tool name and version.
#[derive(Clone, Debug, Serialize)]
pub struct Tool {
    /// `kaggle-auth-doctor`.
    pub name: &'static str,
    /// Crate version.
    pub version: &'static str,
}

impl Default for Tool {
    fn default() -> Self {
        Tool { name: env!("CARGO_PKG_NAME"), version: env!("CARGO_PKG_VERSION") }
    }
}

/// The competition slug and where it came from.
#[derive(Clone, Debug, Serialize)]
pub struct Competition {
    /// The slug.
    pub slug: String,
    /// `--competition`, `KAGGLE_COMPETITION`, `kaggle.json` or `default`.
    pub from: String,
    /// True when the user named it (competition endpoints then count for the verdict).
    pub named: bool,
}

/// One endpoint column.
#[derive(Clone, Debug, Serialize)]
pub struct EndpointInfo {
    /// Stable id.
    pub id: EndpointId,
    /// `service/method`.
    pub rpc: String,
    /// True when the effective credential must pass it.
    pub required: bool,
}

/// What `demo` played.
#[derive(Clone, Debug, Serialize)]
pub struct Demo {
    /// Scenario name.
    pub scenario: String,
    /// One-line description.
    pub description: String,
}

impl Report {
    /// The cell for a source and endpoint.
    pub fn cell(&self, source: SourceId, endpoint: EndpointId) -> Option<&Cell> {
        self.matrix.iter().find(|c| c.source == source && c.endpoint == endpoint)
    }
}

/// A cell's short label, shared by the text and Markdown matrices.
pub fn cell_label(cell: &Cell) -> String {
    use crate::matrix::Outcome;
    let status = |fallback: &str| cell.status.map_or_else(|| fallback.to_string(), |s| s.to_string());
    match cell.outcome {
        Outcome::Ok => "ok".into(),
        Outcome::Unauthorized => "401".into(),
        Outcome::Forbidden => "403".into(),
        Outcome::NotFound => "404".into(),
        Outcome::RateLimited => "429".into(),
        Outcome::ServerError => status("5xx"),
        Outcome::HttpError => status("err"),
        Outcome::Network => "net".into(),
        Outcome::Timeout => "t/o".into(),
        Outcome::Skipped => "-".into(),
        Outcome::NotProbed => "·".into(),
    }
}

/// The legend of the labels.
pub const LEGEND: &str = "ok 2xx · 401 unauthorized · 403 forbidden · 404 not found · 429 rate limited · 5xx server error · net network · t/o timeout · - not applicable · · not probed";
