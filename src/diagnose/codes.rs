//! Finding codes: stable kebab-case ids, a public contract like source ids. Renaming one
//! breaks users' scripts; add new ones instead. `docs/findings.md` has a heading per code
//! (a test checks it).

use serde::Serialize;

/// Every finding the doctor can report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// A token the client sends fails where a legacy key pair works.
    TokenShadowsWorkingKey,
    /// The credential the client sends fails where another source works.
    CredentialShadowsWorkingSource,
    /// The credential the client sends fails, and no other source does better.
    EffectiveCredentialFails,
    /// The client finds no credential at all.
    NoCredentialFound,
    /// Every credential found is rejected by Kaggle.
    EverySourceRejected,
    /// A credential is present but cannot be used (malformed, empty, half a pair…).
    SourceUnusable,
    /// `.env` holds a working credential that the client never reads.
    DotenvNotLoaded,
    /// Kaggle could not be reached, so nothing conclusive was learned.
    ApiUnreachable,
}

impl Code {
    /// Every code, in documentation order.
    pub const ALL: [Code; 8] = [
        Code::TokenShadowsWorkingKey,
        Code::CredentialShadowsWorkingSource,
        Code::EffectiveCredentialFails,
        Code::NoCredentialFound,
        Code::EverySourceRejected,
        Code::SourceUnusable,
        Code::DotenvNotLoaded,
        Code::ApiUnreachable,
    ];

    /// The code as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::TokenShadowsWorkingKey => "token-shadows-working-key",
            Code::CredentialShadowsWorkingSource => "credential-shadows-working-source",
            Code::EffectiveCredentialFails => "effective-credential-fails",
            Code::NoCredentialFound => "no-credential-found",
            Code::EverySourceRejected => "every-source-rejected",
            Code::SourceUnusable => "source-unusable",
            Code::DotenvNotLoaded => "dotenv-not-loaded",
            Code::ApiUnreachable => "api-unreachable",
        }
    }

    /// One sentence: what the finding means.
    pub fn description(self) -> &'static str {
        match self {
            Code::TokenShadowsWorkingKey => {
                "An access token that the client sends is rejected where your legacy kaggle.json / env key would work."
            }
            Code::CredentialShadowsWorkingSource => {
                "The credential the client sends fails where another credential on this machine works."
            }
            Code::EffectiveCredentialFails => {
                "The credential the client sends fails, and no other credential here does better."
            }
            Code::NoCredentialFound => "The client finds no credential in any place it looks.",
            Code::EverySourceRejected => "Every credential found on this machine is rejected by Kaggle.",
            Code::SourceUnusable => "A credential is present but the client cannot use it as it is.",
            Code::DotenvNotLoaded => {
                "A .env file holds a working credential, but the kaggle client never reads .env files."
            }
            Code::ApiUnreachable => "The Kaggle API could not be reached, so the credentials could not be judged.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_serialise_as_printed() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate {}", code.as_str());
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
    }
}
