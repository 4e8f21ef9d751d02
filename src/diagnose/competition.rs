//! Competition awareness: a 403 on a competition endpoint is rarely the credential's
//! fault. Tell apart rules not accepted, verification required, a closed competition, a
//! slug that does not exist (with the nearest real one) and a URL given as the slug.

use serde_json::Value;

use super::fix::{self, Step};
use super::{Code, Finding, Input, Severity};
use crate::endpoints::EndpointId;
use crate::matrix::{Cell, Outcome};

/// A full URL (or a path) given where the slug belongs, with the slug it contains.
pub(super) fn slug_is_url(input: &Input) -> Option<Finding> {
    let slug = &input.competition;
    if !(slug.contains('/') || slug.contains("kaggle.com")) {
        return None;
    }
    let corrected = corrected_slug(slug)?;
    Some(Finding::new(
        Code::CompetitionSlugIsUrl,
        if input.competition_named { Severity::Error } else { Severity::Warning },
        Vec::new(),
        format!("'{slug}' is a URL, not a competition slug: use '{corrected}'"),
        "The API takes the slug, the last part of https://www.kaggle.com/competitions/<slug>; a URL there is looked up as a name and not found.".into(),
        vec![Step::Run(format!("kaggle-auth-doctor --competition {corrected}")), Step::Note(format!("with the kaggle CLI: -c {corrected}"))],
    ))
}

fn corrected_slug(text: &str) -> Option<String> {
    let path = text.split(['?', '#']).next().unwrap_or(text);
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let after = parts.iter().position(|p| *p == "competitions" || *p == "c").and_then(|i| parts.get(i + 1));
    after.or(parts.last()).map(|s| s.to_string())
}

/// Findings that explain competition failures of `row`, and the endpoints they explain.
pub(super) fn explain(input: &Input, failing: &[&Cell], user: Option<&str>) -> (Vec<Finding>, Vec<EndpointId>) {
    let mut findings = Vec::new();
    let mut explained = Vec::new();
    let slug = &input.competition;
    let severity = if input.competition_named { Severity::Error } else { Severity::Info };
    let row = failing.first().map(|c| c.source);
    if failing.iter().any(|c| c.endpoint == EndpointId::CompetitionsGet && c.outcome == Outcome::NotFound) {
        explained
            .extend(failing.iter().filter(|c| c.endpoint.endpoint().is_competition_specific()).map(|c| c.endpoint));
        if slug_is_url(input).is_none() {
            let suggestion = nearest(slug, &listed_slugs(input));
            let (title, steps) = match &suggestion {
                Some(s) => (
                    format!("no competition '{slug}': did you mean '{s}'?"),
                    vec![Step::Run(format!("kaggle-auth-doctor --competition {s}"))],
                ),
                None => (
                    format!("no competition '{slug}'"),
                    vec![Step::Note(
                        "copy the slug from the competition's URL: https://www.kaggle.com/competitions/<slug>".into(),
                    )],
                ),
            };
            findings.push(Finding::new(
                Code::CompetitionNotFound,
                severity,
                row.into_iter().collect(),
                title,
                "GetCompetition answers 404 for this slug, so every competition call fails whatever the credential."
                    .into(),
                steps,
            ));
        }
        return (findings, explained);
    }
    let forbidden: Vec<&&Cell> = failing.iter().filter(|c| c.outcome == Outcome::Forbidden).collect();
    let said = |words: &[&str]| -> Vec<EndpointId> {
        forbidden
            .iter()
            .filter(|c| {
                let m = c.message.as_deref().unwrap_or("").to_lowercase();
                words.iter().any(|w| m.contains(w))
            })
            .map(|c| c.endpoint)
            .collect()
    };
    let closed = said(&["closed", "ended", "no longer", "new entrants"]);
    let rules: Vec<EndpointId> = said(&["rules"]).into_iter().filter(|e| !closed.contains(e)).collect();
    let verify = said(&["verif", "phone"]);
    let user = user.unwrap_or("your account");
    if !closed.is_empty() {
        findings.push(Finding::new(
            Code::CompetitionClosed,
            severity,
            row.into_iter().collect(),
            format!("'{slug}' is closed to new entrants ({} refused)", names(&closed)),
            "Kaggle answers 403: the entry deadline has passed (or late submissions are off) and this user never joined. No credential fixes that.".into(),
            vec![Step::Note(format!("check the dates at https://www.kaggle.com/competitions/{slug}/overview; late submissions, if allowed, need the rules accepted before the entry deadline"))],
        ));
        explained.extend(closed);
    }
    if !rules.is_empty() {
        findings.push(Finding::new(
            Code::CompetitionRulesNotAccepted,
            severity,
            row.into_iter().collect(),
            format!("{user} has not accepted the rules of '{slug}' ({} → 403)", names(&rules)),
            "Kaggle answers 403 with 'You must accept this competition's rules' until the rules are accepted on the website; the API cannot accept them.".into(),
            vec![
                Step::Note(format!("sign in as {user}, open https://www.kaggle.com/competitions/{slug}/rules and accept the rules (\"Join Competition\"), then:")),
                fix::recheck(),
            ],
        ));
        explained.extend(rules);
    }
    if !verify.is_empty() {
        findings.push(Finding::new(
            Code::VerificationRequired,
            severity,
            row.into_iter().collect(),
            format!("Kaggle asks {user} for phone or identity verification ({} → 403)", names(&verify)),
            "New or unverified accounts get 403 on competition data until the phone (and sometimes identity) is verified.".into(),
            vec![Step::Note("verify your phone (and identity if asked) at https://www.kaggle.com/settings, then:".into()), fix::recheck()],
        ));
        explained.extend(verify);
    }
    (findings, explained)
}

fn names(endpoints: &[EndpointId]) -> String {
    endpoints.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(", ")
}

/// Slugs from any `competitions.list` answer.
pub(super) fn listed_slugs(input: &Input) -> Vec<String> {
    input
        .cells
        .iter()
        .filter(|c| c.endpoint == EndpointId::CompetitionsList)
        .filter_map(|c| c.answer.as_ref()?.get("competitions")?.as_array().cloned())
        .flatten()
        .filter_map(|c| c.get("ref").and_then(Value::as_str).map(|r| r.rsplit('/').next().unwrap_or(r).to_string()))
        .collect()
}

/// The listed slug closest to `slug`, if close enough to be a typo.
pub(super) fn nearest(slug: &str, candidates: &[String]) -> Option<String> {
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(slug, c), c))
        .filter(|(d, c)| *d <= 3.max(slug.len() / 5) && c.as_str() != slug)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_become_slugs() {
        assert_eq!(corrected_slug("https://www.kaggle.com/competitions/titanic/data").as_deref(), Some("titanic"));
        assert_eq!(corrected_slug("https://www.kaggle.com/c/santa-2025").as_deref(), Some("santa-2025"));
        assert_eq!(corrected_slug("kaggle.com/titanic").as_deref(), Some("titanic"));
    }

    #[test]
    fn typos_find_their_slug() {
        let listed = vec!["titanic".to_string(), "santa-2025".to_string()];
        assert_eq!(nearest("titanik", &listed).as_deref(), Some("titanic"));
        assert_eq!(nearest("santa2025", &listed).as_deref(), Some("santa-2025"));
        assert_eq!(nearest("house-prices", &listed), None);
    }
}
