//! Diagnose: turns discovery, the probe matrix and the effective credential into
//! findings (stable codes, severities, exact fixes) and one verdict with its exit code.
//! Pure: no I/O, so tests can feed it tables.

mod behaviours;
pub mod codes;
mod competition;
mod dirs;
pub mod explain;
pub mod fix;
mod hub;
mod identity;
mod network;
mod offline;
pub mod rank;
mod resource;
pub mod tokens;

use serde::Serialize;
use serde_json::Value;

pub use codes::Code;
use fix::Step;

use crate::client_model::{Auth, ClientInfo, Effective};
use crate::discover::{Discovery, Kind, Reason, Source, SourceId};
use crate::endpoints::EndpointId;
use crate::exit_codes::ExitCode;
use crate::matrix::{Cell, Outcome};
use crate::table::names;

names! {
    /// How much a finding matters.
    pub enum Severity {
        /// Explains a failure of a required endpoint for the effective credential.
        Error = "error",
        /// Worth fixing, but not why the client fails now.
        Warning = "warning",
        /// Context.
        Info = "info",
    }
}

/// One diagnosis with its evidence and fix.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Finding {
    /// Stable code.
    pub code: Code,
    /// Error, warning or info.
    pub severity: Severity,
    /// The sources involved.
    pub sources: Vec<SourceId>,
    /// One line.
    pub title: String,
    /// The evidence, in sentences.
    pub detail: String,
    /// Exact commands for the user's shell; `#` lines explain.
    pub fix: Vec<String>,
    /// Codes of the findings that explain the same failure and are folded under this one
    /// (their fixes are not needed once this one is applied).
    pub related: Vec<Code>,
    /// For a folded finding: the code of the finding it is folded under.
    pub folded_into: Option<Code>,
    /// The fix, shell-neutral; rendered into `fix` once the shell is known.
    #[serde(skip)]
    pub steps: Vec<Step>,
}

impl Finding {
    /// A finding whose fix is rendered later, for the user's shell.
    pub fn new(
        code: Code,
        severity: Severity,
        sources: Vec<SourceId>,
        title: String,
        detail: String,
        steps: Vec<Step>,
    ) -> Self {
        Finding {
            code,
            severity,
            sources,
            title,
            detail,
            fix: Vec::new(),
            related: Vec::new(),
            folded_into: None,
            steps,
        }
    }
}

names! {
    /// The overall answer.
    pub enum Status {
        /// The effective credential works for every required endpoint.
        Pass = "pass",
        /// It does not, or there is none.
        Fail = "fail",
        /// Kaggle could not be reached well enough to tell.
        Inconclusive = "inconclusive",
    }
}

/// The verdict and its one-line summary.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Verdict {
    /// Pass, fail or inconclusive.
    pub status: Status,
    /// One sentence for humans: the cause.
    pub summary: String,
    /// The first command of the fix of the cause, when there is one.
    pub fix: Option<String>,
}

/// Everything diagnose concludes.
#[derive(Clone, Debug)]
pub struct Diagnosis {
    /// Findings, most severe first.
    pub findings: Vec<Finding>,
    /// Working sources hidden by the effective one.
    pub shadowed: Vec<SourceId>,
    /// The verdict.
    pub verdict: Verdict,
    /// The process exit code that goes with it.
    pub exit_code: ExitCode,
}

/// What diagnose looks at.
pub struct Input<'a> {
    /// Discovered sources (plus the client model's extra ones).
    pub discovery: &'a Discovery,
    /// The matrix.
    pub cells: &'a [Cell],
    /// What the client sends.
    pub effective: &'a Effective,
    /// Endpoints the effective credential must pass.
    pub required: &'a [EndpointId],
    /// Endpoints where only a 401 counts against the effective credential (the
    /// competition endpoints of a competition the user did not name).
    pub unauthorized_counts: &'a [EndpointId],
    /// True when nothing was probed.
    pub offline: bool,
    /// The client version modelled.
    pub client: &'a ClientInfo,
    /// Every client's prediction.
    pub clients: &'a [crate::clients::ClientReport],
    /// Where the fixes will be typed.
    pub fix: fix::Context,
    /// The competition slug probed.
    pub competition: String,
    /// True when the user named it (competition endpoints are then required).
    pub competition_named: bool,
    /// The API root probed.
    pub root: String,
    /// The dataset, model and kernel probed.
    pub named: &'a crate::resource::Named,
    /// What `--from-error` understood, if given.
    pub understood: Option<&'a crate::from_error::Understood>,
}

impl Input<'_> {
    fn row(&self, source: SourceId) -> impl Iterator<Item = &Cell> {
        self.cells.iter().filter(move |c| c.source == source)
    }

    /// The cells of a row that count against it: every failure on a required endpoint,
    /// and a 401 anywhere it was probed (docs/architecture.md "How endpoints are judged": a
    /// 401 is the credential being refused, whatever the endpoint).
    fn failures(&self, source: SourceId) -> Vec<&Cell> {
        self.row(source).filter(|c| self.counts(c)).collect()
    }

    fn counts(&self, c: &Cell) -> bool {
        match c.outcome {
            Outcome::Ok | Outcome::Skipped | Outcome::NotProbed => false,
            Outcome::Unauthorized => {
                self.required.contains(&c.endpoint) || self.unauthorized_counts.contains(&c.endpoint)
            }
            _ => self.required.contains(&c.endpoint),
        }
    }

    /// True when the row passed every required endpoint it applies to.
    fn works(&self, source: SourceId) -> bool {
        self.row(source).any(|c| c.outcome == Outcome::Ok) && self.failures(source).is_empty()
    }

    /// True when the row is ok on each of `endpoints`.
    fn ok_on(&self, source: SourceId, endpoints: &[EndpointId]) -> bool {
        endpoints.iter().all(|e| self.row(source).any(|c| c.endpoint == *e && c.outcome == Outcome::Ok))
    }

    fn credential_sources(&self) -> impl Iterator<Item = &Source> {
        self.discovery.sources.iter().filter(|s| s.is_usable() && s.id != SourceId::Anonymous)
    }
}

/// Findings, shadowed sources and the verdict.
pub fn diagnose(input: &Input) -> Diagnosis {
    let mut findings = Vec::new();
    let effective_id = input.effective.source;
    let shadowed: Vec<SourceId> = input
        .credential_sources()
        .filter(|s| Some(s.id) != effective_id && s.id != SourceId::DotEnv && input.works(s.id))
        .map(|s| s.id)
        .collect();
    let (verdict, exit_code) = judge_effective(input, &mut findings);
    let effective_ok = verdict.status == Status::Pass;
    behaviours::check(input, effective_ok, &mut findings);
    dirs::check(input, &mut findings);
    offline::check(input, effective_ok, &mut findings);
    identity::check(input, effective_ok, &mut findings);
    network::check(input, &mut findings);
    hub::check(input, &mut findings);
    findings.extend(competition::slug_is_url(input));
    resource::pasted(input, &mut findings);
    dotenv_not_loaded(input, &mut findings);
    unusable_sources(input, &mut findings);
    findings.sort_by_key(|f| f.severity);
    for f in &mut findings {
        f.fix = fix::render(&input.fix, &f.steps);
    }
    let mut verdict = verdict;
    rank::fold(&mut findings, &mut verdict, effective_id, &input.fix.recheck);
    Diagnosis { findings, shadowed, verdict, exit_code }
}

/// The introspect cell of the first usable token when it failed by transport or server
/// trouble (network, timeout, 429, 5xx): what stops the client is then an outage.
fn introspection_outage<'a>(input: &Input<'a>) -> Option<&'a Cell> {
    let first = input.discovery.first_usable_token()?.id;
    input
        .cells
        .iter()
        .find(|c| c.source == first && c.endpoint == EndpointId::Introspect && c.outcome.is_inconclusive())
}

/// The verdict on the credential the client sends: its row of the matrix, unless the
/// client stops first, nothing was probed, or the only failures are outages.
fn judge_effective(input: &Input, findings: &mut Vec<Finding>) -> (Verdict, ExitCode) {
    let e = input.effective;
    let has_credentials = input.credential_sources().any(|s| s.id != SourceId::DotEnv);
    let row = match (e.auth, e.source) {
        (Auth::None, _) if e.client_stops && !has_credentials => return no_credential(input, findings),
        (Auth::None, _) => SourceId::Anonymous,
        (_, Some(id)) => id,
        (_, None) => SourceId::Anonymous,
    };
    if input.offline {
        return inconclusive(format!("offline: {} is what the client would send; nothing was probed", row.as_str()));
    }
    // A client none of whose requests get through TLS stops too, but nothing was learned
    // about its credential: the row's failures say why (`tls-failure`, inconclusive).
    if e.client_stops && !e.network_stop {
        return judge_client_stops(input, findings);
    }
    if e.oauth_refresh == Some(crate::client_model::RefreshState::Unproven) {
        let summary = "the client refreshes the OAuth token of credentials.json before any call; the token it will mint was not probed";
        let fix = Some("kaggle-auth-doctor --oauth-refresh".to_string());
        return (Verdict { status: Status::Inconclusive, summary: summary.into(), fix }, ExitCode::Inconclusive);
    }
    let failures = input.failures(row);
    let probed = input.row(row).any(|c| !matches!(c.outcome, Outcome::NotProbed | Outcome::Skipped));
    match (failures.is_empty(), probed) {
        // Never a pass for a row that was not probed (e.g. the deadline hit first).
        (true, false) => inconclusive(format!("{} was not probed: nothing can be said about it", row.as_str())),
        (true, true) => {
            let summary = format!("{} works for every required endpoint", row.as_str());
            (Verdict { status: Status::Pass, summary, fix: None }, ExitCode::Ok)
        }
        (false, _) => judge_failures(input, row, &failures, findings),
    }
}

fn inconclusive(summary: String) -> (Verdict, ExitCode) {
    (Verdict { status: Status::Inconclusive, summary, fix: None }, ExitCode::Inconclusive)
}

/// A failing verdict whose cause is the first of `explained`, all of which are reported.
fn fail(explained: Vec<Finding>, findings: &mut Vec<Finding>) -> (Verdict, ExitCode) {
    let summary = explained[0].title.clone();
    findings.extend(explained);
    (Verdict { status: Status::Fail, summary, fix: None }, ExitCode::Fail)
}

/// The client stops before any API call: a credential problem, unless Kaggle's token
/// check was unreachable.
fn judge_client_stops(input: &Input, findings: &mut Vec<Finding>) -> (Verdict, ExitCode) {
    if let Some(cell) = introspection_outage(input) {
        // The client stops because Kaggle's token check was unreachable: an outage,
        // never a verdict on the credential (docs/ci.md, exit 3).
        return inconclusive(format!(
            "Kaggle's token check answered {} for {}: the client stops until it answers; nothing was learned about the credential",
            cell.status_text(),
            cell.source.as_str()
        ));
    }
    let e = input.effective;
    let finding = if every_source_rejected(input) {
        every_rejected(input)
    } else {
        effective_fails(input, e.source, &[], e.reasons.last().cloned())
    };
    let summary = format!("the client stops before any API call: {}", finding.title);
    findings.push(finding);
    (Verdict { status: Status::Fail, summary, fix: None }, ExitCode::Fail)
}

/// The effective row failed: an outage when every failure is one, else the most specific
/// explanation (a resource, a working source it shadows, every source rejected, the
/// competition), else the credential itself.
fn judge_failures(
    input: &Input,
    row: SourceId,
    failures: &[&Cell],
    findings: &mut Vec<Finding>,
) -> (Verdict, ExitCode) {
    let conclusive: Vec<&Cell> = failures.iter().copied().filter(|c| !c.outcome.is_inconclusive()).collect();
    if conclusive.is_empty() {
        let mut specific = network::explain(input, failures);
        specific.extend(resource::outage(input, failures));
        if specific.is_empty() {
            specific.push(unreachable(row, failures));
        }
        let summary = format!("inconclusive: {}", specific[0].title);
        findings.extend(specific);
        return inconclusive(summary);
    }
    let failing: Vec<EndpointId> = conclusive.iter().map(|c| c.endpoint).collect();
    let user = usernames(input.cells).into_iter().find(|(id, _)| *id == row).map(|(_, u)| u);
    let (resource, by_resource) = resource::explain(input, &conclusive, user.as_deref());
    if !resource.is_empty() && failing.iter().all(|e| by_resource.contains(e)) {
        // Kaggle's 403s that are not the credential's fault: the name, the licence, the
        // account that can see it (docs/findings.md).
        return fail(resource, findings);
    }
    let (mut competition, mut explained) = competition::explain(input, &conclusive, user.as_deref());
    competition.extend(resource);
    explained.extend(by_resource);
    let rescuers: Vec<&Source> = input
        .credential_sources()
        .filter(|s| s.id != row && input.ok_on(s.id, &failing) && input.works(s.id))
        .collect();
    let finding = if !rescuers.is_empty() {
        shadows(input, row, &conclusive, &rescuers)
    } else if every_source_rejected(input) {
        every_rejected(input)
    } else if !competition.is_empty() && failing.iter().all(|e| explained.contains(e)) {
        return fail(competition, findings);
    } else {
        effective_fails(input, Some(row), failures, None)
    };
    fail([vec![finding], competition].concat(), findings)
}

fn outcome_list(cells: &[&Cell]) -> String {
    let parts: Vec<String> = cells
        .iter()
        .map(|c| {
            let status = c.status_text();
            match &c.message {
                Some(m) => format!("{} → {status} \"{m}\"", c.endpoint.as_str()),
                None => format!("{} → {status}", c.endpoint.as_str()),
            }
        })
        .collect();
    parts.join("; ")
}

fn source_of<'a>(input: &'a Input, id: SourceId) -> Option<&'a Source> {
    input.discovery.source(id)
}

fn shadows(input: &Input, row: SourceId, failing: &[&Cell], rescuers: &[&Source]) -> Finding {
    let effective = source_of(input, row);
    let is_token = effective.is_some_and(|s| matches!(s.kind, Kind::Token | Kind::Oauth));
    let pair = rescuers.iter().find(|s| s.kind == Kind::KeyPair);
    let (code, rescuer) = match (is_token, pair) {
        (true, Some(p)) => (Code::TokenShadowsWorkingKey, *p),
        _ => (Code::CredentialShadowsWorkingSource, rescuers[0]),
    };
    let endpoints: Vec<&str> = failing.iter().map(|c| c.endpoint.as_str()).collect();
    let title = format!(
        "{} is sent and fails on {}, while {} works there",
        row.as_str(),
        endpoints.join(", "),
        rescuer.id.as_str()
    );
    let mut detail = format!(
        "The official client sends {} ({}). It gets: {}. Probed alone, {} ({}) passes every required endpoint, but the client never sends it while {} is present.",
        row.as_str(),
        effective.map_or("", |s| s.origin.as_str()),
        outcome_list(failing),
        rescuer.id.as_str(),
        rescuer.origin,
        row.as_str()
    );
    if let Some(user) = rescuer.username.as_deref() {
        detail.push_str(&format!(" {} authenticates as {user}.", rescuer.id.as_str()));
    }
    let mut steps = effective.map(fix::remove_source).unwrap_or_default();
    if is_token {
        steps.push(Step::Note("(or replace the token with one whose scope covers these endpoints)".into()));
    }
    steps.push(fix::recheck());
    let mut sources = vec![row];
    sources.extend(rescuers.iter().map(|s| s.id));
    Finding::new(code, Severity::Error, sources, title, detail, steps)
}

fn every_source_rejected(input: &Input) -> bool {
    let mut any = false;
    for s in input.credential_sources().filter(|s| s.id != SourceId::DotEnv) {
        any = true;
        let rejected = input.row(s.id).any(|c| c.endpoint == EndpointId::Whoami && c.outcome == Outcome::Unauthorized);
        if !rejected {
            return false;
        }
    }
    any
}

fn every_rejected(input: &Input) -> Finding {
    let ids: Vec<SourceId> = input.credential_sources().filter(|s| s.id != SourceId::DotEnv).map(|s| s.id).collect();
    let names: Vec<&str> = ids.iter().map(|id| id.as_str()).collect();
    Finding::new(
        Code::EverySourceRejected,
        Severity::Error,
        ids.clone(),
        format!("every credential found is rejected (401): {}", names.join(", ")),
        "Each source was tried alone and Kaggle answered 401 Unauthorized even on whoami. The tokens or keys were revoked, expired, regenerated elsewhere, or mistyped.".into(),
        [fix::new_credential(), vec![fix::recheck()]].concat(),
    )
}

fn effective_fails(input: &Input, row: Option<SourceId>, failures: &[&Cell], reason: Option<String>) -> Finding {
    let name = row.map_or("no credential", SourceId::as_str);
    let origin = row.and_then(|r| source_of(input, r)).map_or(String::new(), |s| format!(" ({})", s.origin));
    let detail = match reason {
        Some(r) => format!("{}.", r.trim_end_matches('.')),
        None => format!("The official client sends {name}{origin}. It gets: {}.", outcome_list(failures)),
    };
    let endpoints: Vec<&str> = failures.iter().map(|c| c.endpoint.as_str()).collect();
    let title = if endpoints.is_empty() {
        "the client stops before sending any credential".to_string()
    } else {
        format!("{name} fails on {}", endpoints.join(", "))
    };
    Finding::new(
        Code::EffectiveCredentialFails,
        Severity::Error,
        row.into_iter().collect(),
        title,
        detail,
        [fix::new_credential(), vec![fix::recheck()]].concat(),
    )
}

fn no_credential(input: &Input, findings: &mut Vec<Finding>) -> (Verdict, ExitCode) {
    let looked = input.discovery.looked_in.join(", ");
    findings.push(Finding {
        code: Code::NoCredentialFound,
        severity: Severity::Error,
        sources: Vec::new(),
        title: "no credential that the client can use".into(),
        detail: format!("The client looked in: {looked}. None holds a usable credential, so it stops with 'Authentication required'."),
        fix: Vec::new(),
        related: Vec::new(),
        folded_into: None,
        steps: [
            fix::new_credential(),
            vec![
                Step::Note("or, with a legacy key downloaded as kaggle.json:".into()),
                Step::MoveIntoDotKaggle("~/Downloads/kaggle.json".into()),
                Step::OwnerOnly("~/.kaggle/kaggle.json".into()),
                fix::recheck(),
            ],
        ]
        .concat(),
    });
    if input.discovery.unusable_dirs.iter().any(|d| d.role == crate::discover::dirs::Role::DotKaggle) {
        // `mkdir -p ~/.kaggle && mv …` cannot work until ~/.kaggle is a directory again.
        let steps = &mut findings.last_mut().expect("just pushed").steps;
        let at = steps.iter().position(|s| matches!(s, Step::MoveIntoDotKaggle(_))).unwrap_or(steps.len());
        steps.insert(at, Step::Note("(first repair ~/.kaggle as config-dir-unusable says)".into()));
    }
    let summary = "no credential: the client stops with 'Authentication required'".to_string();
    (Verdict { status: Status::Fail, summary, fix: None }, ExitCode::Fail)
}

fn unreachable(row: SourceId, failures: &[&Cell]) -> Finding {
    Finding {
        code: Code::ApiUnreachable,
        severity: Severity::Error,
        sources: vec![row],
        title: "Kaggle could not be reached".into(),
        detail: format!("No conclusive answer for {}: {}.", row.as_str(), outcome_list(failures)),
        fix: Vec::new(),
        related: Vec::new(),
        folded_into: None,
        steps: vec![
            Step::Note(
                "check the network, proxy (HTTPS_PROXY, NO_PROXY) and CA bundle (REQUESTS_CA_BUNDLE), then:".into(),
            ),
            fix::recheck(),
        ],
    }
}

fn dotenv_not_loaded(input: &Input, findings: &mut Vec<Finding>) {
    let Some(dotenv) = source_of(input, SourceId::DotEnv).filter(|s| input.works(s.id)) else { return };
    findings.push(Finding {
        code: Code::DotenvNotLoaded,
        severity: Severity::Warning,
        sources: vec![SourceId::DotEnv],
        title: ".env holds a working credential that the kaggle client does not read".into(),
        detail: format!(
            "./.env ({}) works when sent, but the kaggle client reads only the process environment. It takes effect only if your program loads it (python-dotenv's load_dotenv() before `import kaggle`) or your shell exports it.",
            dotenv.kind_label()
        ),
        fix: Vec::new(),
        related: Vec::new(),
        folded_into: None,
        steps: vec![
            Step::Note("load it into the environment (python-dotenv: load_dotenv() before import kaggle), e.g. in sh:".into()),
            Step::Run("set -a && . ./.env && set +a".into()),
            fix::recheck(),
        ],
    });
}

fn unusable_sources(input: &Input, findings: &mut Vec<Finding>) {
    // A file in a directory that is itself unusable: config-dir-unusable says what to do.
    let listed = |s: &&Source| !s.is_usable() && !matches!(s.reason, Some(Reason::InUnusableDir(_)));
    for s in input.discovery.sources.iter().filter(listed) {
        let ignored = s.reason.as_ref().is_some_and(Reason::is_skipped_by_design);
        let reason = s.reason.as_ref().map(ToString::to_string).unwrap_or_default();
        let path = s.origin.split(" → ").nth(1).unwrap_or(&s.origin).to_string();
        let file = matches!(
            s.id,
            SourceId::FileAccessToken
                | SourceId::FileAccessTokenTxt
                | SourceId::FileCredentialsJson
                | SourceId::FileKaggleJson
        );
        let mut steps = match &s.reason {
            // Moving a file onto a directory would move it *into* that directory.
            Some(Reason::Directory(_)) if file => vec![
                Step::Note("a directory sits where the file belongs: move it aside first".into()),
                Step::Move(path.clone(), format!("{path}.dir")),
            ],
            // The file is fine, only its owner or mode is not (e.g. created by `sudo`).
            Some(Reason::Denied(_)) if file => vec![Step::TakeOwnership(path.clone())],
            _ => fix::remove_source(s),
        };
        if s.id == SourceId::FileKaggleJson && !matches!(s.reason, Some(Reason::Denied(_))) {
            // A broken kaggle.json is replaced, not disabled (after a directory is moved aside).
            steps.retain(|_| matches!(s.reason, Some(Reason::Directory(_))));
            steps.extend([
                Step::Note("download a fresh kaggle.json (https://www.kaggle.com/settings, API section), then:".into()),
                Step::Move("~/Downloads/kaggle.json".into(), s.origin.clone()),
                Step::OwnerOnly(s.origin.clone()),
            ]);
        }
        findings.push(Finding::new(
            Code::SourceUnusable,
            if ignored { Severity::Info } else { Severity::Warning },
            vec![s.id],
            format!("{} is present but unusable", s.id.as_str()),
            format!("{}: {reason}.", s.origin),
            steps,
        ));
    }
}

/// The username behind each source, from `whoami` (`userName`) or `introspect`
/// (`username`).
pub fn usernames(cells: &[Cell]) -> Vec<(SourceId, String)> {
    let mut found: Vec<(SourceId, String)> = Vec::new();
    for cell in cells {
        let field = match cell.endpoint {
            EndpointId::Whoami => "userName",
            EndpointId::Introspect => "username",
            _ => continue,
        };
        let name = cell.answer.as_ref().and_then(|a| a.get(field)).and_then(Value::as_str);
        if let Some(name) = name.filter(|n| !n.is_empty()) {
            if !found.iter().any(|(id, _)| *id == cell.source) {
                // Server text: scrubbed by the probe already, bounded here.
                found.push((cell.source, crate::report::sanitize::bound(name, 100)));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client_model::ClientInfo;
    use crate::discover::{Discovery, Source};
    use crate::matrix::Net;

    /// A DNS failure cannot be produced end to end without a lookup leaving the machine,
    /// so it is fed to diagnose as a table.
    #[test]
    fn dns_failure_is_reported_as_network() {
        let mut discovery = Discovery::default();
        discovery.sources.push(Source::anonymous());
        let cell = Cell {
            source: SourceId::Anonymous,
            endpoint: EndpointId::CompetitionsList,
            outcome: Outcome::Network,
            status: None,
            elapsed_ms: Some(3),
            message: Some("DNS: dns error: failed to lookup address information".into()),
            request_id: None,
            answer: None,
            net: Some(Net::Dns),
            date: None,
            retry_after: None,
            form: crate::matrix::Form::Rpc,
            header_from: None,
        };
        let effective = Effective {
            client_version: "2.2.5".into(),
            client_version_from: "test".into(),
            auth: Auth::None,
            source: None,
            username_source: None,
            key_source: None,
            fingerprint: None,
            believed_source: None,
            reasons: Vec::new(),
            client_stops: false,
            oauth_refresh: None,
            proxy: None,
            network_stop: false,
        };
        let client = ClientInfo::new(None, &Default::default());
        let diagnosis = diagnose(&Input {
            discovery: &discovery,
            cells: &[cell],
            effective: &effective,
            required: &[EndpointId::CompetitionsList],
            offline: false,
            client: &client,
            clients: &[],
            unauthorized_counts: &[],
            fix: fix::Context::terminal(fix::Shell::Sh),
            competition: "titanic".into(),
            competition_named: false,
            root: "https://api.kaggle.com/v1".into(),
            named: &Default::default(),
            understood: None,
        });
        assert_eq!(diagnosis.exit_code, ExitCode::Inconclusive);
        let dns = diagnosis.findings.iter().find(|f| f.code == Code::DnsFailure).expect("dns-failure");
        assert!(dns.fix.iter().any(|l| l.contains("getent hosts api.kaggle.com")), "{:?}", dns.fix);
    }
}
