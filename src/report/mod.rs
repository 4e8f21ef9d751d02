//! The report: the JSON contract that every format renders (docs/json.md; its schema,
//! schema/report.schema.json, is derived from these types). Renderers are pure functions
//! of a [`Report`]; every verdict is in the data.

pub mod json;
pub mod junit;
mod label;
pub mod layout;
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

/// The JSON Schema of the report (`kaggle-auth-doctor schema`, schema/report.schema.json),
/// derived from the types serde writes.
pub fn schema() -> String {
    let mut schema = schemars::schema_for!(Report);
    schema.insert("$id".into(), "urn:kaggle-auth-doctor:report-schema:1".into());
    schema.insert("title".into(), "kaggle-auth-doctor report".into());
    schema.insert(
        "description".into(),
        "The report printed by `kaggle-auth-doctor --format json` (schema_version 1.x; changes within a major are additive). Field by field: docs/json.md.".into(),
    );
    let mut value = schema.to_value();
    closed(&mut value);
    let mut text = serde_json::to_string_pretty(&value).expect("a schema serialises");
    text.push('\n');
    text
}

/// Every object schema admits only its listed properties, so a renamed or unknown field
/// fails validation (the tests validate every report they produce).
fn closed(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if map.contains_key("properties") {
                map.entry("additionalProperties").or_insert(false.into());
            }
            map.values_mut().for_each(closed);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(closed),
        _ => {}
    }
}

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
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Report {
    /// Every secret of the run; each rendered document passes through it before it is
    /// written anywhere (see [`crate::output::render`]). Never serialised.
    #[serde(skip)]
    pub scrubber: crate::secret::Scrubber,
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
    /// The dataset, model and kernel probed (`--dataset`, `--model`, `--kernel`, or the
    /// pasted error), each with its kaggle.com page.
    pub resources: Vec<NamedResource>,
    /// What `--from-error` understood from the pasted text (`null` without it).
    pub from_error: Option<FromError>,
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
    /// `--fail-on`: which findings make the run fail (`error`, `warning`, `never`).
    pub fail_on: crate::cli::FailOn,
    /// Every place the client would look for a credential, in its order.
    pub looked_in: Vec<String>,
    /// Set by `demo`: the scenario that was played.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub demo: Option<Demo>,
}

/// Tool name and version.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
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
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Competition {
    /// The slug.
    pub slug: String,
    /// `--competition`, `KAGGLE_COMPETITION`, `kaggle.json` or `default`.
    pub from: String,
    /// True when the user named it (competition endpoints then count for the verdict).
    pub named: bool,
}

/// A named resource the run probes.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct NamedResource {
    /// `dataset`, `model` or `kernel`.
    pub kind: crate::resource::Kind,
    /// As the flag takes it (`OWNER/SLUG`…).
    pub id: String,
    /// Its kaggle.com page.
    pub page: String,
    /// The flag that named it, `--from-error`, and whether a page URL was given.
    pub from: String,
}

/// What was understood from a pasted error.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct FromError {
    /// False when nothing in the text was recognised (the normal check still ran).
    pub recognised: bool,
    /// The fields read from the text.
    #[serde(flatten)]
    pub understood: crate::from_error::Understood,
    /// The flags equivalent to the resource it names, if any.
    pub as_flags: Option<String>,
}

/// One endpoint column.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct EndpointInfo {
    /// Stable id.
    pub id: EndpointId,
    /// `service/method`.
    pub rpc: String,
    /// True when the effective credential must pass it.
    pub required: bool,
    /// What counts against the effective credential here: `every_failure` (required),
    /// `unauthorized_only` (a competition the user did not name: only a 401 says
    /// something about the credential) or `nothing` (left out by `--require`).
    pub judged: Judged,
}

/// How an endpoint is judged for the verdict (docs/architecture.md "How endpoints are judged").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Judged {
    /// Any failure fails the verdict.
    EveryFailure,
    /// Only a 401 fails the verdict.
    UnauthorizedOnly,
    /// Probed for information only.
    Nothing,
}

/// What `demo` played.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Demo {
    /// Scenario name.
    pub scenario: String,
    /// One-line description.
    pub description: String,
}

impl Report {
    /// What introspection says about a source's token, if it was asked.
    pub fn token_state(&self, source: SourceId) -> Option<crate::discover::TokenState> {
        self.sources.iter().find(|s| s.id == source).and_then(|s| s.token.as_ref()).map(|t| t.state)
    }

    /// The cell for a source and endpoint.
    pub fn cell(&self, source: SourceId, endpoint: EndpointId) -> Option<&Cell> {
        self.matrix.iter().find(|c| c.source == source && c.endpoint == endpoint)
    }
}
