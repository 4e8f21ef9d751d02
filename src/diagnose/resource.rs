//! Kaggle's real semantics for named resources (docs/findings.md explains each code).
//!
//! Kaggle answers 403 where one would expect 404: for a name it will not confirm (a
//! typo, or private to someone else), for a dataset asked without any credential, for a
//! resource created a moment ago, and for an expired OAuth token. Gated models and
//! competition rules are checked on *download*, not on listing. None of these is fixed by
//! a new API token, so none of these findings blames the credential: each one says what
//! is wrong with the name, the account or the server, and which account to act as.

use super::fix::{self, Step};
use super::{Code, Finding, Input, Severity};
use crate::discover::{Kind, SourceId};
use crate::endpoints::EndpointId;
use crate::matrix::{Cell, Outcome};
use crate::resource::Resource;

/// The get endpoint of each named-resource kind, and the endpoints of that resource.
fn endpoints_of(resource: &Resource) -> (EndpointId, &'static [EndpointId]) {
    match resource {
        Resource::Dataset(_) => (EndpointId::DatasetsGet, &[EndpointId::DatasetsGet, EndpointId::DatasetsDownload]),
        Resource::Model(_) => (EndpointId::ModelsGet, &[EndpointId::ModelsGet, EndpointId::ModelsDownload]),
        Resource::Kernel(_) => (EndpointId::KernelsGet, &[EndpointId::KernelsGet]),
        Resource::Competition(_) => (EndpointId::CompetitionsGet, &[]),
    }
}

/// A re-check that probes the same resource again.
fn recheck(resource: &Resource) -> Step {
    Step::Run(format!("kaggle-auth-doctor {}", crate::from_error::as_flags(resource)))
}

fn cell<'a>(input: &'a Input, source: SourceId, endpoint: EndpointId) -> Option<&'a Cell> {
    input.cells.iter().find(|c| c.source == source && c.endpoint == endpoint)
}

fn refused(c: &Cell) -> bool {
    matches!(c.outcome, Outcome::Forbidden | Outcome::NotFound)
}

fn says(c: &Cell, words: &str) -> bool {
    c.message.as_deref().is_some_and(|m| m.to_lowercase().contains(words))
}

/// Credential sources (not anonymous) whose whoami worked: they work elsewhere.
fn working_elsewhere(input: &Input) -> Vec<SourceId> {
    input
        .credential_sources()
        .filter(|s| s.id != SourceId::DotEnv)
        .filter(|s| cell(input, s.id, EndpointId::Whoami).is_some_and(|c| c.outcome == Outcome::Ok))
        .map(|s| s.id)
        .collect()
}

fn username(input: &Input, id: SourceId) -> Option<String> {
    super::usernames(input.cells).into_iter().find(|(s, _)| *s == id).map(|(_, u)| u)
}

/// Findings that explain failures of the effective row (`failing`), and the endpoints they
/// explain. `user` is the account of the effective credential, when known.
pub(super) fn explain(input: &Input, failing: &[&Cell], user: Option<&str>) -> (Vec<Finding>, Vec<EndpointId>) {
    let mut findings = Vec::new();
    let mut explained = Vec::new();
    let Some(row) = failing.first().map(|c| c.source) else { return (findings, explained) };
    if let Some((f, e)) = oauth_expired(input, row, failing) {
        findings.push(f);
        explained.extend(e);
    }
    if let Some((f, e)) = competition_for_nobody(input, failing) {
        findings.push(f);
        explained.extend(e);
    }
    for resource in input.named.all() {
        let (f, e) = named(input, row, failing, user, &resource);
        findings.extend(f);
        explained.extend(e);
    }
    explained.sort();
    explained.dedup();
    (findings, explained)
}

/// The effective OAuth token has expired and Kaggle answers its calls with 403.
fn oauth_expired(input: &Input, row: SourceId, failing: &[&Cell]) -> Option<(Finding, Vec<EndpointId>)> {
    let source = input.discovery.source(row).filter(|s| s.kind == Kind::Oauth)?;
    let introspect = cell(input, row, EndpointId::Introspect)?.answer.as_ref()?;
    let inactive = introspect.get("active").and_then(serde_json::Value::as_bool) == Some(false);
    let exp = introspect.get("exp").and_then(serde_json::Value::as_i64);
    if !inactive || exp.is_none_or(|e| e >= input.discovery.now) {
        return None;
    }
    let forbidden: Vec<&&Cell> = failing.iter().filter(|c| c.outcome == Outcome::Forbidden).collect();
    if forbidden.is_empty() {
        return None;
    }
    let endpoints: Vec<EndpointId> = forbidden.iter().map(|c| c.endpoint).collect();
    let sample = forbidden[0].message.clone().unwrap_or_default();
    Some((
        Finding::new(
            Code::OauthExpiredAsForbidden,
            Severity::Error,
            vec![row],
            format!("the OAuth access token in {} has expired: Kaggle answers 403, not 401", source.origin),
            format!(
                "Kaggle's token check says the token is no longer active (it expired); Kaggle answers its calls with 403 \"{sample}\" ({}). The kaggle CLI then blames a wrong slug: the slug is fine, the login is stale.",
                names(&endpoints)
            ),
            vec![
                Step::Note("log in again (this refreshes ~/.kaggle/credentials.json), then:".into()),
                Step::Run("kaggle auth login".into()),
                fix::recheck(),
            ],
        ),
        endpoints,
    ))
}

/// Every credential, including ones that work elsewhere, gets the same 403 on the
/// competition: the slug is the suspect (Kaggle does not confirm names it will not show).
fn competition_for_nobody(input: &Input, failing: &[&Cell]) -> Option<(Finding, Vec<EndpointId>)> {
    let slug = &input.competition;
    let denied = |c: &Cell| c.outcome == Outcome::Forbidden && says(c, "permission");
    let ours: Vec<EndpointId> = failing
        .iter()
        .filter(|c| c.endpoint.endpoint().is_competition_specific() && denied(c))
        .map(|c| c.endpoint)
        .collect();
    if !ours.contains(&EndpointId::CompetitionsGet) {
        return None;
    }
    let working = working_elsewhere(input);
    let all_denied = !working.is_empty()
        && working.iter().all(|id| cell(input, *id, EndpointId::CompetitionsGet).is_some_and(denied));
    if !all_denied {
        return None;
    }
    let suggestion = super::competition::nearest(slug, &super::competition::listed_slugs(input));
    let (title, mut steps) = match &suggestion {
        Some(s) => (
            format!("no competition '{slug}' that any of your credentials can see: did you mean '{s}'?"),
            vec![Step::Run(format!("kaggle-auth-doctor --competition {s}"))],
        ),
        None => (
            format!("no competition '{slug}' that any of your credentials can see"),
            vec![Step::Note(
                "copy the slug from the competition's URL: https://www.kaggle.com/competitions/<slug>".into(),
            )],
        ),
    };
    steps.push(Step::Note("the credential is fine: do not create a new token for this".into()));
    let severity = if input.competition_named { Severity::Error } else { Severity::Info };
    Some((
        Finding::new(
            Code::CompetitionNotFound,
            severity,
            working.clone(),
            title,
            format!(
                "Every credential here, including those that work on other endpoints ({}), gets the same 403 \"Permission … was denied\" on '{slug}'. Kaggle answers 403 rather than 404 for a name it will not confirm, so a typo (or a URL given as the slug) looks like a permission problem.",
                working.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
            ),
            steps,
        ),
        ours,
    ))
}

/// A named dataset, model or kernel that the effective row cannot get or download.
fn named(
    input: &Input,
    row: SourceId,
    failing: &[&Cell],
    user: Option<&str>,
    resource: &Resource,
) -> (Vec<Finding>, Vec<EndpointId>) {
    let (get, all) = endpoints_of(resource);
    let ours: Vec<&Cell> = failing.iter().copied().filter(|c| all.contains(&c.endpoint) && refused(c)).collect();
    if ours.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let explained: Vec<EndpointId> = ours.iter().map(|c| c.endpoint).collect();
    let consent = ours.iter().any(|c| c.endpoint == EndpointId::ModelsDownload && says(c, "consented"));
    let get_ok = cell(input, row, get).is_some_and(|c| c.outcome == Outcome::Ok);
    let finding = if consent && get_ok {
        consent_required(input, row, user, resource)
    } else if row == SourceId::Anonymous {
        anonymous(resource)
    } else if let Some(f) = private(input, row, user, resource, get) {
        f
    } else if let Some(f) = not_visible_yet(input, resource) {
        f
    } else {
        not_found(input, resource, get)
    };
    (vec![finding], explained)
}

fn consent_required(input: &Input, row: SourceId, user: Option<&str>, resource: &Resource) -> Finding {
    let page = resource.page();
    let (who, sign_in) = match user {
        Some(u) => (u.to_string(), format!("signed in to kaggle.com as {u} (the account of {})", row.as_str())),
        None => ("this account".to_string(), format!("signed in as the account of {}", row.as_str())),
    };
    let others: Vec<String> = input
        .credential_sources()
        .filter(|s| s.id != row)
        .filter(|s| cell(input, s.id, EndpointId::ModelsDownload).is_some_and(|c| c.outcome == Outcome::Ok))
        .map(|s| match username(input, s.id) {
            Some(u) => format!("{} ({u})", s.id.as_str()),
            None => s.id.as_str().to_string(),
        })
        .collect();
    let mut detail = format!(
        "The model is gated: reading it works, downloading answers 403 \"User has not consented to terms of use.\" until {who} accepts its licence. The credential is fine; a new token would not change this."
    );
    if !others.is_empty() {
        detail.push_str(&format!(" These credentials may download it already: {}.", others.join(", ")));
    }
    Finding::new(
        Code::ModelConsentRequired,
        Severity::Error,
        vec![row],
        format!("{who} has not accepted the licence of the model {resource}"),
        detail,
        vec![
            Step::Note(format!(
                "open {page} {sign_in}, accept the licence (the consent form on the model page), then:"
            )),
            recheck(resource),
        ],
    )
}

fn anonymous(resource: &Resource) -> Finding {
    let kind = resource.kind().as_str();
    Finding::new(
        Code::AnonymousForbidden,
        Severity::Error,
        vec![SourceId::Anonymous],
        format!("no credential is sent, and Kaggle answers 403 on the {kind} {resource}"),
        format!(
            "Without a credential Kaggle refuses {kind} calls with 403 \"Permission … was denied\" rather than 401: it means 'sign in', not that the {kind} is missing or private."
        ),
        [fix::new_credential(), vec![recheck(resource)]].concat(),
    )
}

/// Another of the user's credentials can see the resource: it is private to (or shared
/// with) that account.
fn private(input: &Input, row: SourceId, user: Option<&str>, resource: &Resource, get: EndpointId) -> Option<Finding> {
    let seers: Vec<(SourceId, Option<String>)> = input
        .credential_sources()
        .filter(|s| s.id != row)
        .filter(|s| cell(input, s.id, get).is_some_and(|c| c.outcome == Outcome::Ok))
        .map(|s| (s.id, username(input, s.id)))
        .collect();
    let first = seers.first()?;
    let list: Vec<String> = seers
        .iter()
        .map(|(id, u)| u.as_ref().map_or(id.as_str().to_string(), |u| format!("{u} ({})", id.as_str())))
        .collect();
    let me = user.map_or_else(|| row.as_str().to_string(), |u| format!("{u} ({})", row.as_str()));
    let kind = resource.kind().as_str();
    let mut steps = vec![Step::Note(format!(
        "either ask the owner to share {} with {} (Settings → Sharing on its page), or send the credential that sees it:",
        resource.page(),
        user.unwrap_or("this account")
    ))];
    if let Some(s) = input.discovery.source(row) {
        steps.extend(fix::remove_source(s));
    }
    steps.push(recheck(resource));
    let mut sources = vec![row];
    sources.extend(seers.iter().map(|(id, _)| *id));
    Some(Finding::new(
        Code::ResourcePrivate,
        Severity::Error,
        sources,
        format!("the {kind} {resource} is visible to {}, not to {me} which the client sends", list.join(", ")),
        format!(
            "Kaggle answers 403 to {me} and serves the {kind} to {}: it is private to that account (or shared with it). Nothing is wrong with either credential.",
            first.1.as_deref().unwrap_or(first.0.as_str())
        ),
        steps,
    ))
}

/// One of the user's accounts owns the resource and is refused anyway: created a moment
/// ago (or the slug differs from the title).
fn not_visible_yet(input: &Input, resource: &Resource) -> Option<Finding> {
    let owner = resource.owner()?;
    let (id, _) = super::usernames(input.cells).into_iter().find(|(_, u)| u.eq_ignore_ascii_case(owner))?;
    let kind = resource.kind().as_str();
    Some(Finding::new(
        Code::ResourceNotVisibleYet,
        Severity::Error,
        vec![id],
        format!("{owner} owns the {kind} {resource}, yet Kaggle refuses it: just created?"),
        format!(
            "{} authenticates as {owner}, the owner, and still gets 403/404. Right after a {kind} is created, Kaggle answers 403 \"Permission … was denied\" (404 on download) for a few minutes. If it is older than that, the slug differs from the title: open your profile's {kind}s and copy the slug from the URL.",
            id.as_str()
        ),
        vec![Step::Note("wait a few minutes after creating it, then:".into()), recheck(resource)],
    ))
}

fn not_found(input: &Input, resource: &Resource, get: EndpointId) -> Finding {
    let kind = resource.kind().as_str();
    let base = match resource {
        Resource::Model(m) => format!("{}/{}", m.owner, m.model),
        Resource::Dataset(d) => format!("{}/{}", d.owner, d.slug),
        Resource::Kernel(k) => format!("{}/{}", k.owner, k.slug),
        Resource::Competition(c) => c.clone(),
    };
    let listed = listed_refs(input, get);
    let suggestion = super::competition::nearest(&base, &listed);
    let working = working_elsewhere(input);
    let named_as: Vec<&str> = working.iter().map(|s| s.as_str()).collect();
    let (title, mut steps) = match &suggestion {
        Some(s) => (
            format!("no {kind} '{resource}' that any of your credentials can see: did you mean '{s}'?"),
            vec![Step::Note(format!(
                "check the name on its page: https://www.kaggle.com/{}s/{s}",
                page_kind(resource)
            ))],
        ),
        None => (
            format!("no {kind} '{resource}' that any of your credentials can see"),
            vec![Step::Note(format!(
                "copy the name from the {kind}'s page URL ({}) — or, if it is private, ask its owner to share it with your account",
                resource.page()
            ))],
        ),
    };
    steps.push(Step::Note("the credential is fine: do not create a new token for this".into()));
    if let Resource::Model(m) = resource {
        steps.insert(
            0,
            Step::Note(format!(
                "framework and variation are part of the name: open https://www.kaggle.com/models/{}/{} and check them (e.g. keras, pyTorch, transformers)",
                m.owner, m.model
            )),
        );
    }
    Finding::new(
        Code::ResourceNotFound,
        Severity::Error,
        working.clone(),
        title,
        format!(
            "Every credential that works elsewhere ({}) is refused on this {kind} with the same 403/404. Kaggle answers 403 \"Permission … was denied\" rather than 404 for a name it will not confirm, so a typo — or a {kind} private to an account you have no credential for — looks like a permission problem.",
            if named_as.is_empty() { "none found".to_string() } else { named_as.join(", ") }
        ),
        steps,
    )
}

fn page_kind(resource: &Resource) -> &'static str {
    match resource {
        Resource::Kernel(_) => "code",
        Resource::Dataset(_) => "dataset",
        Resource::Model(_) => "model",
        Resource::Competition(_) => "competition",
    }
}

/// `ref`s of any list answer matching the resource's kind.
fn listed_refs(input: &Input, get: EndpointId) -> Vec<String> {
    let (list, field) = match get {
        EndpointId::DatasetsGet => (EndpointId::DatasetsList, "datasets"),
        EndpointId::ModelsGet => (EndpointId::ModelsList, "models"),
        EndpointId::KernelsGet => (EndpointId::KernelsList, "kernels"),
        _ => return Vec::new(),
    };
    let mut refs: Vec<String> = input
        .cells
        .iter()
        .filter(|c| c.endpoint == list)
        .filter_map(|c| c.answer.as_ref()?.get(field)?.as_array().cloned())
        .flatten()
        .filter_map(|v| v.get("ref").and_then(serde_json::Value::as_str).map(str::to_string))
        .collect();
    refs.sort();
    refs.dedup();
    refs
}

fn names(endpoints: &[EndpointId]) -> String {
    endpoints.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(", ")
}

/// The effective row fails only with 5xx on some methods while others answer: a server
/// problem on those methods, not the credential (used when the verdict is inconclusive).
pub(super) fn outage(input: &Input, failures: &[&Cell]) -> Option<Finding> {
    let row = failures.first()?.source;
    let broken: Vec<EndpointId> =
        failures.iter().filter(|c| c.outcome == Outcome::ServerError).map(|c| c.endpoint).collect();
    let working = input.cells.iter().any(|c| c.source == row && c.outcome == Outcome::Ok);
    if broken.is_empty() || !working || broken.len() != failures.len() {
        return None;
    }
    Some(Finding::new(
        Code::ServerErrorOnOneMethod,
        Severity::Error,
        vec![row],
        format!("Kaggle fails on {} (5xx) while the other calls work: a server problem", names(&broken)),
        format!(
            "{} gets answers elsewhere, so the credential is accepted; {} answered with a server error. Kaggle's outages are often on one method at a time. Nothing to change on this machine.",
            row.as_str(),
            names(&broken)
        ),
        vec![
            Step::Note("wait and retry later; if it persists, report it with the request id (run with -v):".into()),
            fix::recheck(),
        ],
    ))
}

/// Findings about the pasted error itself (`--from-error`), whatever the matrix says.
pub(super) fn pasted(input: &Input, out: &mut Vec<Finding>) {
    let Some(u) = input.understood else { return };
    if let Some(reason) = u.submission_not_allowed() {
        let lower = reason.to_lowercase();
        let advice = if lower.contains("daily") || lower.contains("allowance") {
            "the daily submission allowance is used up: it resets at midnight UTC"
        } else if lower.contains("notebook") {
            "this is a code competition: submit from a Kaggle notebook (Submit on the notebook's page), not with `kaggle competitions submit`"
        } else if lower.contains("deadline") || lower.contains("ended") || lower.contains("closed") {
            "the competition no longer accepts submissions"
        } else {
            "a competition rule refuses this submission"
        };
        out.push(Finding::new(
            Code::SubmissionNotAllowed,
            Severity::Warning,
            Vec::new(),
            format!("the pasted 400 is a competition rule, not your credential: {advice}"),
            format!("Kaggle answered 400 \"Submission not allowed: {reason}\". The credential was accepted; the kaggle CLI 2.x often prints only '400 Client Error: Bad Request'."),
            vec![Step::Note(advice.to_string())],
        ));
    } else if u.status == Some(400) && u.operation.as_deref() == Some("competitions.submit") {
        out.push(Finding::new(
            Code::SubmissionNotAllowed,
            Severity::Warning,
            Vec::new(),
            "the pasted 400 on a submission hides its reason: usually a competition rule, not your credential".into(),
            "The kaggle CLI 2.x prints only '400 Client Error: Bad Request' for refused submissions. Kaggle's reasons are rules: 'Submission not allowed: Your team has used its daily Submission allowance', '… only accepts Submissions from Notebooks', a closed competition, or unaccepted rules.".into(),
            vec![
                Step::Note(format!(
                    "check your submissions and the competition's rules at https://www.kaggle.com/competitions/{}/submissions",
                    u.resource.as_deref().filter(|_| u.resource_kind == Some(crate::resource::Kind::Competition)).unwrap_or(&input.competition)
                )),
            ],
        ));
    }
    if u.status.is_some_and(|s| s >= 500) {
        let op = u.operation.clone().unwrap_or_else(|| "one call".into());
        out.push(Finding::new(
            Code::ServerErrorOnOneMethod,
            Severity::Warning,
            Vec::new(),
            format!("the pasted {} on {op} is a Kaggle server error, not your credential", u.status.unwrap_or(500)),
            "Kaggle's outages are usually on one method at a time ('Internal error', 'An internal server error occurred'); the matrix above shows whether the other calls work.".into(),
            vec![Step::Note("retry later; if it persists, report it to Kaggle with the time and the request id".into())],
        ));
    }
}
