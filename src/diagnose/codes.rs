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
    /// A token that IntrospectToken rejects is still sent on every call by kaggle 1.8+, hiding every other credential.
    RejectedTokenStillSent,
    /// kaggle 1.8.0–1.8.2 delete KAGGLE_API_TOKEN after a token login and crash when it came from a file.
    TokenEnvDeletionCrash,
    /// IntrospectToken answers with a status the client does not handle, so it stops with a traceback.
    IntrospectionCrash,
    /// The installed client predates access tokens: it ignores token files, or sends KAGGLE_API_TOKEN unchecked.
    ClientTooOldForTokens,
    /// KAGGLE_API_TOKEN is read as a path (a directory, an empty file, an over-long value, a literal ~).
    TokenPathTrap,
    /// A token or key carries whitespace or a newline that the client sends as is.
    CredentialWhitespace,
    /// The token was pasted with its 'Bearer ' prefix, so 'Bearer Bearer …' goes on the wire.
    TokenHasBearerPrefix,
    /// A token or OAuth file sits in KAGGLE_CONFIG_DIR, where the client never looks for it.
    TokenFileInConfigDir,
    /// A kaggle.json in ~/.config/kaggle is ignored because ~/.kaggle exists.
    XdgKaggleJsonHidden,
    /// The config dir does not exist; the client creates it at import (a literal ~ is not expanded).
    ConfigDirMissing,
    /// kaggle 2.2.x pairs a username and a key from different places (env over kaggle.json).
    MixedKeyPair,
    /// Up to kaggle 2.1.x, a lone KAGGLE_KEY or KAGGLE_USERNAME is silently dropped in favour of kaggle.json.
    EnvHalfPairIgnored,
    /// KAGGLE_TOKEN or a kaggle.json token field is sent as a Bearer token instead of the key pair.
    ConfigTokenOverridesKey,
    /// With KAGGLE_ENABLE_OAUTH (kaggle 1.8.0–2.1.0) the CLI uses OAuth but the Python API does not.
    OauthFlagCliOnly,
    /// credentials.json wins or loses against other credentials depending on the client version.
    OauthPrecedence,
    /// The OAuth access token is expired (or its expiry is unreadable) and the client still sends it or crashes.
    OauthExpiryBug,
    /// The client will refresh the OAuth token, and a 401 on refresh deletes credentials.json.
    OauthRefreshDeletesCredentials,
    /// kaggle.json can be read by other users; the client warns on stdout, breaking parsable output.
    KaggleJsonReadableByOthers,
}

impl Code {
    /// Every code, in documentation order.
    pub const ALL: [Code; 26] = [
        Code::TokenShadowsWorkingKey,
        Code::CredentialShadowsWorkingSource,
        Code::EffectiveCredentialFails,
        Code::NoCredentialFound,
        Code::EverySourceRejected,
        Code::SourceUnusable,
        Code::DotenvNotLoaded,
        Code::ApiUnreachable,
        Code::RejectedTokenStillSent,
        Code::TokenEnvDeletionCrash,
        Code::IntrospectionCrash,
        Code::ClientTooOldForTokens,
        Code::TokenPathTrap,
        Code::CredentialWhitespace,
        Code::TokenHasBearerPrefix,
        Code::TokenFileInConfigDir,
        Code::XdgKaggleJsonHidden,
        Code::ConfigDirMissing,
        Code::MixedKeyPair,
        Code::EnvHalfPairIgnored,
        Code::ConfigTokenOverridesKey,
        Code::OauthFlagCliOnly,
        Code::OauthPrecedence,
        Code::OauthExpiryBug,
        Code::OauthRefreshDeletesCredentials,
        Code::KaggleJsonReadableByOthers,
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
            Code::RejectedTokenStillSent => "rejected-token-still-sent",
            Code::TokenEnvDeletionCrash => "token-env-deletion-crash",
            Code::IntrospectionCrash => "introspection-crash",
            Code::ClientTooOldForTokens => "client-too-old-for-tokens",
            Code::TokenPathTrap => "token-path-trap",
            Code::CredentialWhitespace => "credential-whitespace",
            Code::TokenHasBearerPrefix => "token-has-bearer-prefix",
            Code::TokenFileInConfigDir => "token-file-in-config-dir",
            Code::XdgKaggleJsonHidden => "xdg-kaggle-json-hidden",
            Code::ConfigDirMissing => "config-dir-missing",
            Code::MixedKeyPair => "mixed-key-pair",
            Code::EnvHalfPairIgnored => "env-half-pair-ignored",
            Code::ConfigTokenOverridesKey => "config-token-overrides-key",
            Code::OauthFlagCliOnly => "oauth-flag-cli-only",
            Code::OauthPrecedence => "oauth-precedence",
            Code::OauthExpiryBug => "oauth-expiry-bug",
            Code::OauthRefreshDeletesCredentials => "oauth-refresh-deletes-credentials",
            Code::KaggleJsonReadableByOthers => "kaggle-json-readable-by-others",
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
            Code::RejectedTokenStillSent => {
                "A token that IntrospectToken rejects is still sent on every call by kaggle 1.8+, hiding every other credential."
            }
            Code::TokenEnvDeletionCrash => {
                "kaggle 1.8.0–1.8.2 delete KAGGLE_API_TOKEN after a token login and crash when it came from a file."
            }
            Code::IntrospectionCrash => {
                "IntrospectToken answers with a status the client does not handle, so it stops with a traceback."
            }
            Code::ClientTooOldForTokens => {
                "The installed client predates access tokens: it ignores token files, or sends KAGGLE_API_TOKEN unchecked."
            }
            Code::TokenPathTrap => {
                "KAGGLE_API_TOKEN is read as a path (a directory, an empty file, an over-long value, a literal ~)."
            }
            Code::CredentialWhitespace => "A token or key carries whitespace or a newline that the client sends as is.",
            Code::TokenHasBearerPrefix => {
                "The token was pasted with its 'Bearer ' prefix, so 'Bearer Bearer …' goes on the wire."
            }
            Code::TokenFileInConfigDir => {
                "A token or OAuth file sits in KAGGLE_CONFIG_DIR, where the client never looks for it."
            }
            Code::XdgKaggleJsonHidden => "A kaggle.json in ~/.config/kaggle is ignored because ~/.kaggle exists.",
            Code::ConfigDirMissing => {
                "The config dir does not exist; the client creates it at import (a literal ~ is not expanded)."
            }
            Code::MixedKeyPair => {
                "kaggle 2.2.x pairs a username and a key from different places (env over kaggle.json)."
            }
            Code::EnvHalfPairIgnored => {
                "Up to kaggle 2.1.x, a lone KAGGLE_KEY or KAGGLE_USERNAME is silently dropped in favour of kaggle.json."
            }
            Code::ConfigTokenOverridesKey => {
                "KAGGLE_TOKEN or a kaggle.json token field is sent as a Bearer token instead of the key pair."
            }
            Code::OauthFlagCliOnly => {
                "With KAGGLE_ENABLE_OAUTH (kaggle 1.8.0–2.1.0) the CLI uses OAuth but the Python API does not."
            }
            Code::OauthPrecedence => {
                "credentials.json wins or loses against other credentials depending on the client version."
            }
            Code::OauthExpiryBug => {
                "The OAuth access token is expired (or its expiry is unreadable) and the client still sends it or crashes."
            }
            Code::OauthRefreshDeletesCredentials => {
                "The client will refresh the OAuth token, and a 401 on refresh deletes credentials.json."
            }
            Code::KaggleJsonReadableByOthers => {
                "kaggle.json can be read by other users; the client warns on stdout, breaking parsable output."
            }
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
