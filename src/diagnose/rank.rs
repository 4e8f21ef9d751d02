//! One cause → one error → one fix. Several rules often explain the same failure (a
//! revoked token is "inactive", "still sent" and "shadows a working key" at once); shown
//! side by side they read as three problems with three different fixes. This step, run
//! after every rule, picks the primary cause — the most specific error — and folds the
//! other findings that explain the same failure under it: they become `info`, point at
//! it with `folded_into`, and it lists them in `related` (docs/json.md). The verdict then
//! names that cause and the first command of its fix.

use super::{Code, Finding, Severity, Status, Verdict};
use crate::discover::SourceId;

/// Lower is more specific. Codes not listed (a malformed credential, a client quirk, a
/// network or competition cause) are the most specific of all: they say exactly what to
/// change. The generic "it fails" codes come last.
fn rank(code: Code) -> u8 {
    match code {
        // When nothing works, that is the cause, whatever else each source says.
        Code::EverySourceRejected => 1,
        Code::RejectedTokenStillSent => 2,
        Code::TokenShadowsWorkingKey | Code::CredentialShadowsWorkingSource => 3,
        Code::TokenExpired | Code::TokenInactive => 4,
        Code::TokenScopeInsufficient => 5,
        Code::EffectiveCredentialFails | Code::NoCredentialFound | Code::ApiUnreachable => 6,
        _ => 0,
    }
}

/// True for codes that describe the state of the credential itself: as warnings about
/// the credential that fails, they explain the same failure.
fn describes_credential(code: Code) -> bool {
    (1..=5).contains(&rank(code))
}

/// Folds findings that explain the primary cause under it and puts it first; sets the
/// verdict's summary and first fix command from it.
pub fn fold(findings: &mut Vec<Finding>, verdict: &mut Verdict, effective: Option<SourceId>, recheck: &str) {
    let primary = findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.severity == Severity::Error)
        .min_by_key(|(i, f)| (rank(f.code), *i))
        .map(|(i, _)| i);
    let Some(primary) = primary else { return };
    let head = findings.remove(primary);
    let mut related = Vec::new();
    for f in findings.iter_mut() {
        let about_head = !f.sources.is_empty() && f.sources.iter().all(|s| head.sources.contains(s));
        let same_failure = f.severity == Severity::Error
            || (f.severity == Severity::Warning
                && describes_credential(f.code)
                && effective.is_some_and(|e| f.sources.contains(&e)))
            // "unusable" notes on the very sources the cause is about would only repeat it,
            // with a fix of their own.
            || (f.severity == Severity::Warning && f.code == Code::SourceUnusable && about_head);
        if same_failure && f.code != head.code {
            f.severity = Severity::Info;
            f.folded_into = Some(head.code);
            related.push(f.code);
        }
    }
    findings.sort_by_key(|f| (f.severity, f.folded_into.is_some()));
    let mut head = head;
    head.related = related;
    if verdict.status != Status::Pass {
        if verdict.status == Status::Fail {
            verdict.summary = head.title.clone();
        }
        verdict.fix = first_command(&head.fix, recheck);
    }
    findings.insert(0, head);
}

/// The first line of a fix that is a command (not a `#` note, not the plain re-check
/// `recheck`); when the fix is only notes and a re-check, the first note.
pub fn first_command(fix: &[String], recheck: &str) -> Option<String> {
    let is_recheck = |l: &str| l.trim_start_matches('!') == recheck;
    fix.iter()
        .find(|l| !l.starts_with('#') && !is_recheck(l))
        .or_else(|| fix.iter().find(|l| l.starts_with('#')))
        .map(|l| l.trim_start_matches('#').trim().trim_end_matches("then:").trim_end_matches([',', ' ']).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(code: Code, severity: Severity, source: SourceId) -> Finding {
        let mut f = Finding::new(code, severity, vec![source], code.as_str().into(), String::new(), Vec::new());
        f.fix = vec!["# a note".into(), format!("fix-{}", code.as_str())];
        f
    }

    #[test]
    fn one_error_remains_and_the_others_fold_under_it() {
        let token = SourceId::EnvApiToken;
        let mut findings = vec![
            finding(Code::TokenShadowsWorkingKey, Severity::Error, token),
            finding(Code::RejectedTokenStillSent, Severity::Error, token),
            finding(Code::TokenInactive, Severity::Error, token),
            finding(Code::KaggleJsonReadableByOthers, Severity::Warning, SourceId::FileKaggleJson),
        ];
        let mut verdict = Verdict { status: Status::Fail, summary: String::new(), fix: None };
        fold(&mut findings, &mut verdict, Some(token), "kaggle-auth-doctor");
        assert_eq!(findings.iter().filter(|f| f.severity == Severity::Error).count(), 1);
        assert_eq!(findings[0].code, Code::RejectedTokenStillSent);
        assert_eq!(findings[0].related, [Code::TokenShadowsWorkingKey, Code::TokenInactive]);
        assert_eq!(findings[1].code, Code::KaggleJsonReadableByOthers);
        assert_eq!(findings[1].severity, Severity::Warning);
        assert!(findings[2..].iter().all(|f| f.folded_into == Some(Code::RejectedTokenStillSent)));
        assert_eq!(verdict.summary, "rejected-token-still-sent");
        assert_eq!(verdict.fix.as_deref(), Some("fix-rejected-token-still-sent"));
    }

    #[test]
    fn a_scope_warning_about_the_failing_credential_folds_too() {
        let token = SourceId::EnvApiToken;
        let mut findings = vec![
            finding(Code::TokenShadowsWorkingKey, Severity::Error, token),
            finding(Code::TokenScopeInsufficient, Severity::Warning, token),
            finding(Code::TokenScopeInsufficient, Severity::Warning, SourceId::FileAccessToken),
        ];
        let mut verdict = Verdict { status: Status::Fail, summary: String::new(), fix: None };
        fold(&mut findings, &mut verdict, Some(token), "kaggle-auth-doctor");
        assert_eq!(findings[0].related, [Code::TokenScopeInsufficient]);
        assert_eq!(findings[1].severity, Severity::Warning, "another token's warning stays");
    }

    #[test]
    fn nothing_changes_without_an_error() {
        let mut findings = vec![finding(Code::TokenScopeInsufficient, Severity::Warning, SourceId::EnvApiToken)];
        let mut verdict = Verdict { status: Status::Pass, summary: "ok".into(), fix: None };
        fold(&mut findings, &mut verdict, Some(SourceId::EnvApiToken), "kaggle-auth-doctor");
        assert_eq!(findings[0].severity, Severity::Warning);
        assert_eq!(verdict.summary, "ok");
    }
}
