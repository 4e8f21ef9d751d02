//! Finding codes: stable kebab-case ids, a public contract like source ids. Renaming one
//! breaks users' scripts; add new ones instead. `docs/findings.md` has a heading per code
//! (a test checks it).
//!
//! To add a code: one line below (its doc comment is the one-sentence description that
//! `explain` lists), a `## code` heading in docs/findings.md, and the rule that emits it.

use crate::table::names;

names! {
    /// Every finding the doctor can report, in documentation order.
    pub enum Code {
        /// An access token that the client sends is rejected where your legacy kaggle.json / env key would work.
        TokenShadowsWorkingKey = "token-shadows-working-key",
        /// The credential the client sends fails where another credential on this machine works.
        CredentialShadowsWorkingSource = "credential-shadows-working-source",
        /// The credential the client sends fails, and no other credential here does better.
        EffectiveCredentialFails = "effective-credential-fails",
        /// The client finds no credential in any place it looks.
        NoCredentialFound = "no-credential-found",
        /// Every credential found on this machine is rejected by Kaggle.
        EverySourceRejected = "every-source-rejected",
        /// A credential is present but the client cannot use it as it is.
        SourceUnusable = "source-unusable",
        /// A .env file holds a working credential, but the kaggle client never reads .env files.
        DotenvNotLoaded = "dotenv-not-loaded",
        /// The Kaggle API could not be reached, so the credentials could not be judged.
        ApiUnreachable = "api-unreachable",
        /// A token that Kaggle's token check rejects is still sent on every call by kaggle 1.8+, hiding every other credential.
        RejectedTokenStillSent = "rejected-token-still-sent",
        /// kaggle 1.8.0–1.8.2 delete KAGGLE_API_TOKEN after a token login and crash when it came from a file.
        TokenEnvDeletionCrash = "token-env-deletion-crash",
        /// Kaggle's token check answers with a status the client does not handle, so it stops with a traceback.
        IntrospectionCrash = "introspection-crash",
        /// The installed client predates access tokens: it ignores token files, or sends KAGGLE_API_TOKEN unchecked.
        ClientTooOldForTokens = "client-too-old-for-tokens",
        /// KAGGLE_API_TOKEN is read as a path (a directory, an empty file, an over-long value, a literal ~).
        TokenPathTrap = "token-path-trap",
        /// A token or key carries whitespace or a newline that the client sends as is.
        CredentialWhitespace = "credential-whitespace",
        /// The token was pasted with its 'Bearer ' prefix, so 'Bearer Bearer …' goes on the wire.
        TokenHasBearerPrefix = "token-has-bearer-prefix",
        /// A token or OAuth file sits in KAGGLE_CONFIG_DIR, where the client never looks for it.
        TokenFileInConfigDir = "token-file-in-config-dir",
        /// A kaggle.json in ~/.config/kaggle is ignored because ~/.kaggle exists.
        XdgKaggleJsonHidden = "xdg-kaggle-json-hidden",
        /// The config dir does not exist; the client creates it at import (a literal ~ is not expanded).
        ConfigDirMissing = "config-dir-missing",
        /// ~/.kaggle or the config dir is a file, a dangling symlink, a loop or refuses access: what should be inside cannot be found, or the client crashes.
        ConfigDirUnusable = "config-dir-unusable",
        /// kaggle 2.2.x pairs a username and a key from different places (env over kaggle.json).
        MixedKeyPair = "mixed-key-pair",
        /// Up to kaggle 2.1.x, a lone KAGGLE_KEY or KAGGLE_USERNAME is silently dropped in favour of kaggle.json.
        EnvHalfPairIgnored = "env-half-pair-ignored",
        /// KAGGLE_TOKEN or a kaggle.json token field is sent as a Bearer token instead of the key pair.
        ConfigTokenOverridesKey = "config-token-overrides-key",
        /// With KAGGLE_ENABLE_OAUTH (kaggle 1.8.0–2.1.0) the CLI uses OAuth but the Python API does not.
        OauthFlagCliOnly = "oauth-flag-cli-only",
        /// credentials.json wins or loses against other credentials depending on the client version.
        OauthPrecedence = "oauth-precedence",
        /// The OAuth access token is expired (or its expiry is unreadable) and the client still sends it or crashes.
        OauthExpiryBug = "oauth-expiry-bug",
        /// The client will refresh the OAuth token, and a 401 on refresh deletes credentials.json.
        OauthRefreshDeletesCredentials = "oauth-refresh-deletes-credentials",
        /// kaggle.json can be read by other users; the client warns on stdout, breaking parsable output.
        KaggleJsonReadableByOthers = "kaggle-json-readable-by-others",
        /// A token or key still has the quotes it was copied with.
        CredentialQuoted = "credential-quoted",
        /// An access token (KGAT_…) sits where a legacy key belongs (KAGGLE_KEY or kaggle.json key).
        TokenInKeyField = "token-in-key-field",
        /// A credential variable is set but empty (in CI: a secret that is not available to this job).
        EmptyEnvCredential = "empty-env-credential",
        /// A file that looks like a misplaced kaggle.json sits where the client never looks.
        NearMissCredentialFile = "near-miss-credential-file",
        /// Running under sudo: the client reads root's home, not the invoking user's.
        RunningUnderSudo = "running-under-sudo",
        /// Running in WSL: credentials saved on the Windows side are not in this Linux home.
        WslEnvironment = "wsl-environment",
        /// Running in a container: the host's credentials are visible only if mounted or passed in.
        ContainerEnvironment = "container-environment",
        /// Running in Google Colab: kaggle.json uploads and Colab secrets have their own rules.
        ColabEnvironment = "colab-environment",
        /// Running in a Kaggle notebook: the session token is scoped to the notebook.
        KaggleNotebookEnvironment = "kaggle-notebook-environment",
        /// Running in CI: credentials come from the job's secrets.
        CiEnvironment = "ci-environment",
        /// Credentials on this machine belong to different Kaggle users.
        SourcesDisagreeOnUser = "sources-disagree-on-user",
        /// Kaggle's token check says a token is not active (revoked, or never valid).
        TokenInactive = "token-inactive",
        /// A token has expired.
        TokenExpired = "token-expired",
        /// A token works for some endpoints but its scope does not cover others.
        TokenScopeInsufficient = "token-scope-insufficient",
        /// The user has not accepted the competition's rules (403).
        CompetitionRulesNotAccepted = "competition-rules-not-accepted",
        /// Kaggle asks for phone or identity verification before this action (403).
        VerificationRequired = "verification-required",
        /// No competition has this slug (a typo?).
        CompetitionNotFound = "competition-not-found",
        /// A full URL was given where the competition slug belongs.
        CompetitionSlugIsUrl = "competition-slug-is-url",
        /// The competition is closed to new entrants or no longer accepts this action.
        CompetitionClosed = "competition-closed",
        /// The API host name does not resolve: a network problem, not a credential problem.
        DnsFailure = "dns-failure",
        /// Nothing accepts connections at the API address (or the proxy).
        ConnectionRefused = "connection-refused",
        /// The TLS handshake failed (often a proxy that intercepts TLS with its own CA).
        TlsFailure = "tls-failure",
        /// Requests go through a proxy from HTTPS_PROXY/HTTP_PROXY.
        ProxyInUse = "proxy-in-use",
        /// kaggle.json sets a proxy that kaggle 1.7+ ignore (only 1.5/1.6 use it).
        KaggleJsonProxyIgnored = "kaggle-json-proxy-ignored",
        /// A CA file is set with `ssl_ca_cert` (kaggle.json or KAGGLE_SSL_CA_CERT), which only
        /// kaggle 1.5/1.6 read: newer clients and kagglehub take REQUESTS_CA_BUNDLE.
        SslCaCertIgnored = "ssl-ca-cert-ignored",
        /// This machine's clock differs from Kaggle's by minutes, which breaks expiry checks.
        ClockSkew = "clock-skew",
        /// Kaggle answered 429 Too Many Requests: wait before trying again.
        RateLimited = "rate-limited",
        /// The API root is not a Kaggle host: the credentials are sent to someone else.
        ApiRootNotKaggle = "api-root-not-kaggle",
        /// The kaggle CLI and kagglehub send different credentials (or act as different users).
        ClientsDisagree = "clients-disagree",
        /// kaggle.json is malformed or incomplete: kagglehub fails every operation, public downloads included.
        KagglehubMalformedKaggleJson = "kagglehub-malformed-kaggle-json",
        /// KAGGLE_CONFIG_DIR is empty, relative or starts with ~: kagglehub reads it verbatim against the working directory.
        KagglehubConfigDirVerbatim = "kagglehub-config-dir-verbatim",
        /// kaggle.json is only in ~/.config/kaggle, which kagglehub never reads.
        KagglehubIgnoresXdg = "kagglehub-ignores-xdg",
        /// KAGGLE_TOKEN, a kaggle.json token field or credentials.json: kagglehub ignores them all.
        KagglehubIgnoresConfigToken = "kagglehub-ignores-config-token",
        /// KAGGLE_API_ENVIRONMENT is set to a value kagglehub treats differently from the CLI (TEST prints the token).
        KagglehubEnvironment = "kagglehub-environment",
        /// In a Kaggle notebook, kagglehub downloads need KAGGLE_USER_SECRETS_TOKEN, and may act as another user than whoami.
        KagglehubNotebookSecrets = "kagglehub-notebook-secrets",
        /// kagglehub believes it is anonymous, yet its HTTP layer sends ~/.kaggle/kaggle.json on downloads.
        KagglehubHiddenFallback = "kagglehub-hidden-fallback",
        /// kaggle.json's key is empty, and the client sends it anyway (Basic `user:`).
        EmptyKeySent = "empty-key-sent",
        /// REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE is set: kagglehub's whoami() ignores it (downloads do not).
        KagglehubWhoamiIgnoresCaBundle = "kagglehub-whoami-ignores-ca-bundle",
        /// The model's licence has not been accepted by the account whose credential is sent (403 on download).
        ModelConsentRequired = "model-consent-required",
        /// Every credential gets the same 403/404 on a dataset, model or kernel: the name is the first suspect, not the credential.
        ResourceNotFound = "resource-not-found",
        /// A dataset, model or kernel is private to (or shared with) another of your accounts than the one the client sends.
        ResourcePrivate = "resource-private",
        /// Your own dataset, model or kernel is refused: right after creation Kaggle answers 403/404 for a few minutes.
        ResourceNotVisibleYet = "resource-not-visible-yet",
        /// Without any credential, dataset and model calls get 403 'Permission … was denied': it means 'sign in', not 'not found'.
        AnonymousForbidden = "anonymous-forbidden",
        /// The OAuth access token from 'kaggle auth login' has expired and Kaggle answers 403, not 401.
        OauthExpiredAsForbidden = "oauth-expired-as-forbidden",
        /// Kaggle refused a submission for a competition rule (daily allowance, notebook-only competition), not for the credential.
        SubmissionNotAllowed = "submission-not-allowed",
        /// One API method fails with 5xx while the others work: a Kaggle outage on that method, not your credential.
        ServerErrorOnOneMethod = "server-error-on-one-method",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_serialise_as_printed() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate {code}");
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
            assert!(code.as_str().chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{code}");
            assert!(code.description().ends_with('.'), "{code}: one sentence");
        }
    }
}
