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
    /// A token or key still has the quotes it was copied with.
    CredentialQuoted,
    /// An access token (KGAT_…) sits where a legacy key belongs (KAGGLE_KEY or kaggle.json key).
    TokenInKeyField,
    /// A credential variable is set but empty (in CI: a secret that is not available to this job).
    EmptyEnvCredential,
    /// A file that looks like a misplaced kaggle.json sits where the client never looks.
    NearMissCredentialFile,
    /// Running under sudo: the client reads root's home, not the invoking user's.
    RunningUnderSudo,
    /// Running in WSL: credentials saved on the Windows side are not in this Linux home.
    WslEnvironment,
    /// Running in a container: the host's credentials are visible only if mounted or passed in.
    ContainerEnvironment,
    /// Running in Google Colab: kaggle.json uploads and Colab secrets have their own rules.
    ColabEnvironment,
    /// Running in a Kaggle notebook: the session token is scoped to the notebook.
    KaggleNotebookEnvironment,
    /// Running in CI: credentials come from the job's secrets.
    CiEnvironment,
    /// Credentials on this machine belong to different Kaggle users.
    SourcesDisagreeOnUser,
    /// IntrospectToken says a token is not active (revoked, or never valid).
    TokenInactive,
    /// A token has expired.
    TokenExpired,
    /// A token works for some endpoints but its scope does not cover others.
    TokenScopeInsufficient,
    /// The user has not accepted the competition's rules (403).
    CompetitionRulesNotAccepted,
    /// Kaggle asks for phone or identity verification before this action (403).
    VerificationRequired,
    /// No competition has this slug (a typo?).
    CompetitionNotFound,
    /// A full URL was given where the competition slug belongs.
    CompetitionSlugIsUrl,
    /// The competition is closed to new entrants or no longer accepts this action.
    CompetitionClosed,
    /// The API host name does not resolve: a network problem, not a credential problem.
    DnsFailure,
    /// Nothing accepts connections at the API address (or the proxy).
    ConnectionRefused,
    /// The TLS handshake failed (often a proxy that intercepts TLS with its own CA).
    TlsFailure,
    /// Requests go through a proxy from HTTPS_PROXY/HTTP_PROXY.
    ProxyInUse,
    /// kaggle.json sets a proxy that kaggle 1.7+ ignore (only 1.6 used it).
    KaggleJsonProxyIgnored,
    /// This machine's clock differs from Kaggle's by minutes, which breaks expiry checks.
    ClockSkew,
    /// Kaggle answered 429 Too Many Requests: wait before trying again.
    RateLimited,
    /// The API root is not a Kaggle host: credentials would go to someone else.
    ApiRootNotKaggle,
    /// The kaggle CLI and kagglehub send different credentials (or act as different users).
    ClientsDisagree,
    /// kaggle.json is malformed or incomplete: kagglehub fails every operation, public downloads included.
    KagglehubMalformedKaggleJson,
    /// KAGGLE_CONFIG_DIR is empty, relative or starts with ~: kagglehub reads it verbatim against the working directory.
    KagglehubConfigDirVerbatim,
    /// kaggle.json is only in ~/.config/kaggle, which kagglehub never reads.
    KagglehubIgnoresXdg,
    /// KAGGLE_TOKEN, a kaggle.json token field or credentials.json: kagglehub ignores them all.
    KagglehubIgnoresConfigToken,
    /// KAGGLE_API_ENVIRONMENT is set to a value kagglehub treats differently from the CLI (TEST prints the token).
    KagglehubEnvironment,
    /// In a Kaggle notebook, kagglehub downloads need KAGGLE_USER_SECRETS_TOKEN, and may act as another user than whoami.
    KagglehubNotebookSecrets,
    /// kagglehub believes it is anonymous, yet kagglesdk sends ~/.kaggle/kaggle.json on downloads.
    KagglehubHiddenFallback,
}

impl Code {
    /// Every code, in documentation order.
    pub const ALL: [Code; 61] = [
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
        Code::CredentialQuoted,
        Code::TokenInKeyField,
        Code::EmptyEnvCredential,
        Code::NearMissCredentialFile,
        Code::RunningUnderSudo,
        Code::WslEnvironment,
        Code::ContainerEnvironment,
        Code::ColabEnvironment,
        Code::KaggleNotebookEnvironment,
        Code::CiEnvironment,
        Code::SourcesDisagreeOnUser,
        Code::TokenInactive,
        Code::TokenExpired,
        Code::TokenScopeInsufficient,
        Code::CompetitionRulesNotAccepted,
        Code::VerificationRequired,
        Code::CompetitionNotFound,
        Code::CompetitionSlugIsUrl,
        Code::CompetitionClosed,
        Code::DnsFailure,
        Code::ConnectionRefused,
        Code::TlsFailure,
        Code::ProxyInUse,
        Code::KaggleJsonProxyIgnored,
        Code::ClockSkew,
        Code::RateLimited,
        Code::ApiRootNotKaggle,
        Code::ClientsDisagree,
        Code::KagglehubMalformedKaggleJson,
        Code::KagglehubConfigDirVerbatim,
        Code::KagglehubIgnoresXdg,
        Code::KagglehubIgnoresConfigToken,
        Code::KagglehubEnvironment,
        Code::KagglehubNotebookSecrets,
        Code::KagglehubHiddenFallback,
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
            Code::CredentialQuoted => "credential-quoted",
            Code::TokenInKeyField => "token-in-key-field",
            Code::EmptyEnvCredential => "empty-env-credential",
            Code::NearMissCredentialFile => "near-miss-credential-file",
            Code::RunningUnderSudo => "running-under-sudo",
            Code::WslEnvironment => "wsl-environment",
            Code::ContainerEnvironment => "container-environment",
            Code::ColabEnvironment => "colab-environment",
            Code::KaggleNotebookEnvironment => "kaggle-notebook-environment",
            Code::CiEnvironment => "ci-environment",
            Code::SourcesDisagreeOnUser => "sources-disagree-on-user",
            Code::TokenInactive => "token-inactive",
            Code::TokenExpired => "token-expired",
            Code::TokenScopeInsufficient => "token-scope-insufficient",
            Code::CompetitionRulesNotAccepted => "competition-rules-not-accepted",
            Code::VerificationRequired => "verification-required",
            Code::CompetitionNotFound => "competition-not-found",
            Code::CompetitionSlugIsUrl => "competition-slug-is-url",
            Code::CompetitionClosed => "competition-closed",
            Code::DnsFailure => "dns-failure",
            Code::ConnectionRefused => "connection-refused",
            Code::TlsFailure => "tls-failure",
            Code::ProxyInUse => "proxy-in-use",
            Code::KaggleJsonProxyIgnored => "kaggle-json-proxy-ignored",
            Code::ClockSkew => "clock-skew",
            Code::RateLimited => "rate-limited",
            Code::ApiRootNotKaggle => "api-root-not-kaggle",
            Code::ClientsDisagree => "clients-disagree",
            Code::KagglehubMalformedKaggleJson => "kagglehub-malformed-kaggle-json",
            Code::KagglehubConfigDirVerbatim => "kagglehub-config-dir-verbatim",
            Code::KagglehubIgnoresXdg => "kagglehub-ignores-xdg",
            Code::KagglehubIgnoresConfigToken => "kagglehub-ignores-config-token",
            Code::KagglehubEnvironment => "kagglehub-environment",
            Code::KagglehubNotebookSecrets => "kagglehub-notebook-secrets",
            Code::KagglehubHiddenFallback => "kagglehub-hidden-fallback",
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
            Code::CredentialQuoted => "A token or key still has the quotes it was copied with.",
            Code::TokenInKeyField => {
                "An access token (KGAT_…) sits where a legacy key belongs (KAGGLE_KEY or kaggle.json key)."
            }
            Code::EmptyEnvCredential => {
                "A credential variable is set but empty (in CI: a secret that is not available to this job)."
            }
            Code::NearMissCredentialFile => {
                "A file that looks like a misplaced kaggle.json sits where the client never looks."
            }
            Code::RunningUnderSudo => "Running under sudo: the client reads root's home, not the invoking user's.",
            Code::WslEnvironment => "Running in WSL: credentials saved on the Windows side are not in this Linux home.",
            Code::ContainerEnvironment => {
                "Running in a container: the host's credentials are visible only if mounted or passed in."
            }
            Code::ColabEnvironment => {
                "Running in Google Colab: kaggle.json uploads and Colab secrets have their own rules."
            }
            Code::KaggleNotebookEnvironment => {
                "Running in a Kaggle notebook: the session token is scoped to the notebook."
            }
            Code::CiEnvironment => "Running in CI: credentials come from the job's secrets.",
            Code::SourcesDisagreeOnUser => "Credentials on this machine belong to different Kaggle users.",
            Code::TokenInactive => "IntrospectToken says a token is not active (revoked, or never valid).",
            Code::TokenExpired => "A token has expired.",
            Code::TokenScopeInsufficient => "A token works for some endpoints but its scope does not cover others.",
            Code::CompetitionRulesNotAccepted => "The user has not accepted the competition's rules (403).",
            Code::VerificationRequired => "Kaggle asks for phone or identity verification before this action (403).",
            Code::CompetitionNotFound => "No competition has this slug (a typo?).",
            Code::CompetitionSlugIsUrl => "A full URL was given where the competition slug belongs.",
            Code::CompetitionClosed => "The competition is closed to new entrants or no longer accepts this action.",
            Code::DnsFailure => "The API host name does not resolve: a network problem, not a credential problem.",
            Code::ConnectionRefused => "Nothing accepts connections at the API address (or the proxy).",
            Code::TlsFailure => "The TLS handshake failed (often a proxy that intercepts TLS with its own CA).",
            Code::ProxyInUse => "Requests go through a proxy from HTTPS_PROXY/HTTP_PROXY.",
            Code::KaggleJsonProxyIgnored => "kaggle.json sets a proxy that kaggle 1.7+ ignore (only 1.6 used it).",
            Code::ClockSkew => "This machine's clock differs from Kaggle's by minutes, which breaks expiry checks.",
            Code::RateLimited => "Kaggle answered 429 Too Many Requests: wait before trying again.",
            Code::ApiRootNotKaggle => "The API root is not a Kaggle host: the credentials are sent to someone else.",
            Code::ClientsDisagree => {
                "The kaggle CLI and kagglehub send different credentials (or act as different users)."
            }
            Code::KagglehubMalformedKaggleJson => {
                "kaggle.json is malformed or incomplete: kagglehub fails every operation, public downloads included."
            }
            Code::KagglehubConfigDirVerbatim => {
                "KAGGLE_CONFIG_DIR is empty, relative or starts with ~: kagglehub reads it verbatim against the working directory."
            }
            Code::KagglehubIgnoresXdg => "kaggle.json is only in ~/.config/kaggle, which kagglehub never reads.",
            Code::KagglehubIgnoresConfigToken => {
                "KAGGLE_TOKEN, a kaggle.json token field or credentials.json: kagglehub ignores them all."
            }
            Code::KagglehubEnvironment => {
                "KAGGLE_API_ENVIRONMENT is set to a value kagglehub treats differently from the CLI (TEST prints the token)."
            }
            Code::KagglehubNotebookSecrets => {
                "In a Kaggle notebook, kagglehub downloads need KAGGLE_USER_SECRETS_TOKEN, and may act as another user than whoami."
            }
            Code::KagglehubHiddenFallback => {
                "kagglehub believes it is anonymous, yet kagglesdk sends ~/.kaggle/kaggle.json on downloads."
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
