//! Who each credential belongs to, and what IntrospectToken says about tokens: sources
//! of different users, inactive or expired tokens, scopes that do not cover an endpoint.

use serde_json::Value;

use super::fix::{self, Step};
use super::{Code, Finding, Input, Severity};
use crate::discover::{Kind, SourceId};
use crate::endpoints::EndpointId;
use crate::matrix::Outcome;

/// Every identity check.
pub(super) fn check(input: &Input, effective_ok: bool, out: &mut Vec<Finding>) {
    out.extend(sources_disagree_on_user(input));
    for source in
        input.discovery.sources.iter().filter(|s| s.is_usable() && matches!(s.kind, Kind::Token | Kind::Oauth))
    {
        let severity = if input.effective.source == Some(source.id) && !effective_ok {
            Severity::Error
        } else {
            Severity::Warning
        };
        out.extend(token_state(input, source.id, severity));
        out.extend(token_scope(input, source.id, severity));
    }
}

fn sources_disagree_on_user(input: &Input) -> Option<Finding> {
    let users = super::usernames(input.cells);
    let mut distinct: Vec<&str> = users.iter().map(|(_, u)| u.as_str()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 2 {
        return None;
    }
    let list: Vec<String> = users.iter().map(|(id, u)| format!("{} → {u}", id.as_str())).collect();
    let effective_user =
        input.effective.source.and_then(|e| users.iter().find(|(id, _)| *id == e)).map(|(_, u)| u.clone());
    let detail = match &effective_user {
        Some(u) => format!(
            "The client acts as {u}. Rules accepted, competitions joined and submissions made as another user do not count for {u}."
        ),
        None => "Which user the client acts as depends on which source wins (see above).".to_string(),
    };
    let mut steps = vec![Step::Note(format!("keep one user's credentials; the others are: {}", list.join(", ")))];
    if let Some(u) = &effective_user {
        for (id, user) in &users {
            if user != u {
                if let Some(s) = input.discovery.source(*id) {
                    steps.extend(fix::remove_source(s));
                }
            }
        }
    }
    Some(Finding::new(
        Code::SourcesDisagreeOnUser,
        Severity::Warning,
        users.iter().map(|(id, _)| *id).collect(),
        format!("credentials of different Kaggle users: {}", list.join(", ")),
        detail,
        steps,
    ))
}

fn introspection<'a>(input: &Input<'a>, id: SourceId) -> Option<&'a Value> {
    let cell = input.cells.iter().find(|c| c.source == id && c.endpoint == EndpointId::Introspect)?;
    cell.answer.as_ref()
}

fn token_state(input: &Input, id: SourceId, severity: Severity) -> Option<Finding> {
    let answer = introspection(input, id)?;
    if answer.get("active").and_then(Value::as_bool) != Some(false) {
        return None;
    }
    let source = input.discovery.source(id)?;
    let exp = answer.get("exp").and_then(Value::as_i64);
    let expired = exp.is_some_and(|e| e < input.discovery.now);
    let (code, what) = if expired {
        (Code::TokenExpired, "has expired")
    } else {
        (Code::TokenInactive, "is not active (revoked or never valid)")
    };
    Some(Finding::new(
        code,
        severity,
        vec![id],
        format!("{} {what}", id.as_str()),
        format!("Kaggle's token check answered active=false for the token from {}.", source.origin),
        [fix::remove_source(source), fix::new_credential(), vec![fix::recheck()]].concat(),
    ))
}

fn token_scope(input: &Input, id: SourceId, severity: Severity) -> Option<Finding> {
    let row: Vec<_> = input.cells.iter().filter(|c| c.source == id && c.endpoint != EndpointId::Introspect).collect();
    let works_somewhere = row.iter().any(|c| c.outcome == Outcome::Ok);
    let refused: Vec<&str> =
        row.iter().filter(|c| c.outcome == Outcome::Unauthorized).map(|c| c.endpoint.as_str()).collect();
    if !works_somewhere || refused.is_empty() {
        return None;
    }
    let scope = introspection(input, id).and_then(|a| a.get("scope")).and_then(Value::as_str).unwrap_or("unknown");
    let source = input.discovery.source(id)?;
    Some(Finding::new(
        Code::TokenScopeInsufficient,
        severity,
        vec![id],
        format!("{} is accepted on some endpoints but refused (401) on {}", id.as_str(), refused.join(", ")),
        format!(
            "The token authenticates (other endpoints answer), so it is valid but not allowed these calls: its scope is '{scope}'. A legacy key or a token with a broader scope covers them."
        ),
        [
            vec![Step::Note("create a token with the scopes you need at https://www.kaggle.com/settings, or:".into())],
            fix::remove_source(source),
            vec![fix::recheck()],
        ]
        .concat(),
    ))
}
