//! Findings for the client's surprising behaviours that can bite this machine's setup
//! (docs/findings.md "Client behaviours"). Each rule is named after the code it reports,
//! whose heading in docs/findings.md says what the client does and in which versions; each
//! finding names the versions it applies to and gives the fix for the version in use.

use serde_json::Value;

use super::fix::{self, Step};
use super::{Code, Finding, Input, Severity};
use crate::client_model::{Auth, ClientVersion};
use crate::discover::{ClientCrash, DirRule, Kind, Source, SourceId};
use crate::endpoints::EndpointId;
use crate::matrix::Outcome;

/// Every behaviour check, in the order of docs/findings.md.
pub(super) fn check(input: &Input, effective_ok: bool, out: &mut Vec<Finding>) {
    let v = &input.client.parsed;
    let ctx = Ctx { input, v, effective_ok };
    for rule in [
        rejected_token_still_sent,
        token_env_deletion_crash,
        introspection_crash,
        client_too_old_for_tokens,
        token_path_trap,
        credential_whitespace,
        token_has_bearer_prefix,
        token_file_in_config_dir,
        xdg_kaggle_json_hidden,
        config_dir_missing,
        half_pair,
        config_token_overrides_key,
        oauth_flag_cli_only,
        oauth_precedence,
        oauth_expiry_bug,
        oauth_refresh_deletes_credentials,
        kaggle_json_readable_by_others,
        empty_key_sent,
    ] {
        out.extend(rule(&ctx));
    }
}

struct Ctx<'a> {
    input: &'a Input<'a>,
    v: &'a ClientVersion,
    effective_ok: bool,
}

impl Ctx<'_> {
    fn source(&self, id: SourceId) -> Option<&Source> {
        self.input.discovery.source(id)
    }

    fn sdk(&self) -> bool {
        self.v.at_least(&[1, 8])
    }

    /// Error when this finding concerns the failing effective credential, else warning.
    fn severity_for(&self, id: SourceId) -> Severity {
        if !self.effective_ok && self.input.effective.source == Some(id) { Severity::Error } else { Severity::Warning }
    }

    fn first_token(&self) -> Option<&Source> {
        self.input.discovery.first_usable_token()
    }

    fn introspect(&self, id: SourceId) -> Option<&crate::matrix::Cell> {
        self.input.cells.iter().find(|c| c.source == id && c.endpoint == EndpointId::Introspect)
    }
}

fn upgrade(to: &str) -> Step {
    Step::PipUpgrade(format!("kaggle{to}"))
}

/// A rejected token is still sent (1.8.0–2.2.5).
fn rejected_token_still_sent(c: &Ctx) -> Option<Finding> {
    let e = c.input.effective;
    let id = e.source.filter(|id| SourceId::TOKEN_CHAIN.contains(id) && e.auth == Auth::Bearer && c.sdk())?;
    let cell = c.introspect(id)?;
    let inactive = cell.answer.as_ref().and_then(|a| a.get("active")).and_then(Value::as_bool) == Some(false);
    let rejected =
        inactive || matches!(cell.outcome, Outcome::Forbidden | Outcome::NotFound) || cell.status == Some(400);
    if !rejected {
        return None;
    }
    let believed = e.believed_source.map_or("its fallback".to_string(), |b| b.as_str().to_string());
    let source = c.source(id)?;
    Some(Finding::new(
        Code::RejectedTokenStillSent,
        c.severity_for(id),
        vec![id],
        format!("{} is rejected by Kaggle, yet kaggle {} sends it (Bearer) on every call", id.as_str(), c.v),
        format!(
            "Kaggle's token check says the token from {} is not active. The client then falls back to {believed}, but the client's HTTP layer looks for a token again on every request and sends this one; {believed} is never used (kaggle 1.8.0–2.2.5).",
            source.origin
        ),
        [fix::remove_source(source), vec![fix::recheck()]].concat(),
    ))
}

/// 1.8.0–1.8.2 delete KAGGLE_API_TOKEN after a token login.
fn token_env_deletion_crash(c: &Ctx) -> Option<Finding> {
    if !c.sdk() || c.v.at_least(&[1, 8, 3]) {
        return None;
    }
    let first = c.first_token()?;
    let from_env = !crate::client_model::deletes_missing_env_token(c.v, c.input.discovery);
    let (severity, title, detail) = if from_env {
        (
            Severity::Warning,
            format!("kaggle {} deletes KAGGLE_API_TOKEN from the environment after logging in", c.v),
            "A second login with KaggleApi() in the same process no longer sees the token and falls back to kaggle.json, possibly another user's (kaggle 1.8.0–1.8.2).".to_string(),
        )
    } else {
        (
            Severity::Error,
            format!("kaggle {} crashes at import: KeyError: 'KAGGLE_API_TOKEN'", c.v),
            format!(
                "After a successful login with {} the client deletes KAGGLE_API_TOKEN from the environment, which is not set, so every `import kaggle` fails (kaggle 1.8.0–1.8.2).",
                first.origin
            ),
        )
    };
    Some(Finding::new(
        Code::TokenEnvDeletionCrash,
        severity,
        vec![first.id],
        title,
        detail,
        vec![upgrade(">=1.8.3"), fix::recheck()],
    ))
}

/// IntrospectToken answered 401, 5xx or not at all.
fn introspection_crash(c: &Ctx) -> Option<Finding> {
    if !c.sdk() {
        return None;
    }
    let first = c.first_token()?;
    let cell = c.introspect(first.id)?;
    let handled = matches!(
        cell.outcome,
        Outcome::Ok | Outcome::Forbidden | Outcome::NotFound | Outcome::Skipped | Outcome::NotProbed
    ) || cell.status == Some(400);
    if handled {
        return None;
    }
    let status = cell.status_text();
    let mut fixes = if cell.outcome == Outcome::Unauthorized { fix::remove_source(first) } else { Vec::new() };
    fixes.push(fix::recheck());
    Some(Finding::new(
        Code::IntrospectionCrash,
        if cell.outcome.is_inconclusive() { Severity::Warning } else { Severity::Error },
        vec![first.id],
        format!("Kaggle's token check answers {status} for {}: kaggle {} stops with a traceback", first.id.as_str(), c.v),
        "The client treats only 400, 403 and 404 from Kaggle's token check as 'invalid token'; anything else propagates, so the client dies (at import up to 2.2.0) instead of falling back.".into(),
        fixes,
    ))
}

/// A client older than 1.8 next to token sources.
fn client_too_old_for_tokens(c: &Ctx) -> Option<Finding> {
    if c.sdk() {
        return None;
    }
    let tokens: Vec<SourceId> =
        [SourceId::NotebookToken, SourceId::EnvApiToken, SourceId::FileAccessToken, SourceId::FileAccessTokenTxt]
            .into_iter()
            .filter(|id| c.source(*id).is_some())
            .collect();
    if tokens.is_empty() {
        return None;
    }
    let how = if c.v.at_least(&[1, 7]) {
        "kaggle 1.7 does not count tokens as credentials (kaggle.json or the env pair is still required), ignores access_token files, and sends KAGGLE_API_TOKEN verbatim — no path lookup, no check — whenever it is set"
    } else {
        "kaggle 1.6 knows nothing of access tokens: only kaggle.json and KAGGLE_USERNAME/KAGGLE_KEY count"
    };
    let names: Vec<&str> = tokens.iter().map(|t| t.as_str()).collect();
    Some(Finding::new(
        Code::ClientTooOldForTokens,
        if c.effective_ok { Severity::Warning } else { Severity::Error },
        tokens.clone(),
        format!("kaggle {} is too old for access tokens ({})", c.v, names.join(", ")),
        format!("{how}. Tokens need kaggle ≥ 1.8, which needs Python ≥ 3.11 (on older Pythons pip stops at 1.7.4.5)."),
        vec![upgrade(">=1.8.3"), fix::recheck()],
    ))
}

/// KAGGLE_API_TOKEN read as a path.
fn token_path_trap(c: &Ctx) -> Option<Finding> {
    let d = c.input.discovery;
    let source = c.source(SourceId::EnvApiToken)?;
    let raw = d.env_api_token.as_ref()?;
    let problem = if let Some(crash) = source.client_crash.filter(|c| c.is_token_path_trap()) {
        format!("the client crashes: {crash}")
    } else if source.ends_token_chain {
        "it names an empty file: the client finds no token there and does not look at ~/.kaggle/access_token either"
            .to_string()
    } else if raw.starts_with("~") {
        "it starts with a literal ~, which the client does not expand: it is sent as the token".to_string()
    } else {
        return None;
    };
    if !c.sdk() {
        return None;
    }
    Some(Finding::new(
        Code::TokenPathTrap,
        if source.client_crash.is_some() { Severity::Error } else { c.severity_for(SourceId::EnvApiToken) },
        vec![SourceId::EnvApiToken],
        format!("KAGGLE_API_TOKEN is taken as a path: {problem}"),
        "kaggle 1.8+ check whether the value names an existing file (relative to the working directory) and read the token from it.".into(),
        vec![Step::SetFromFile("KAGGLE_API_TOKEN", "/absolute/path/to/token-file".into()), fix::recheck()],
    ))
}

/// Whitespace or newlines around tokens and keys.
fn credential_whitespace(c: &Ctx) -> Option<Finding> {
    let d = c.input.discovery;
    let mut hits = Vec::new();
    let mut fixes = Vec::new();
    if d.env_api_token.as_ref().is_some_and(|t| t.has_surrounding_whitespace()) {
        hits.push(SourceId::EnvApiToken);
        fixes.push(Step::StripVar("KAGGLE_API_TOKEN"));
    }
    if d.env_key.as_ref().is_some_and(|k| k.has_surrounding_whitespace()) {
        hits.push(SourceId::EnvKeyPair);
        fixes.push(Step::StripVar("KAGGLE_KEY"));
    }
    let json = d.kaggle_json.as_ref().and_then(|r| r.as_ref().ok());
    let json_bad = json.is_some_and(|j| {
        j.key.value().is_some_and(|k| k.has_surrounding_whitespace())
            || j.username.value().is_some_and(|u| u.trim() != u)
    });
    if json_bad {
        hits.push(SourceId::FileKaggleJson);
        let path = c.source(SourceId::FileKaggleJson).map_or("~/.kaggle/kaggle.json".into(), |s| s.origin.clone());
        fixes.push(Step::StripJsonValues(path));
    }
    if hits.is_empty() {
        return None;
    }
    fixes.push(fix::recheck());
    let names: Vec<&str> = hits.iter().map(|h| h.as_str()).collect();
    let severity =
        if hits.iter().any(|h| c.severity_for(*h) == Severity::Error) { Severity::Error } else { Severity::Warning };
    Some(Finding::new(
        Code::CredentialWhitespace,
        severity,
        hits.clone(),
        format!("whitespace or a newline around a credential: {}", names.join(", ")),
        "The client sends env values and kaggle.json values exactly as they are: a trailing newline in KAGGLE_API_TOKEN crashes kaggle 1.8+ ('Invalid header value'); spaces or a newline in a key make Kaggle answer 401. Only token files are stripped.".into(),
        fixes,
    ))
}

/// A token pasted with its `Bearer ` prefix.
fn token_has_bearer_prefix(c: &Ctx) -> Option<Finding> {
    let token = c.input.discovery.env_api_token.as_ref()?;
    if !(token.starts_with("Bearer ") || token.starts_with("bearer ")) {
        return None;
    }
    Some(Finding::new(
        Code::TokenHasBearerPrefix,
        c.severity_for(SourceId::EnvApiToken),
        vec![SourceId::EnvApiToken],
        "KAGGLE_API_TOKEN starts with 'Bearer ': the client sends 'Bearer Bearer …'".into(),
        "The client adds the 'Bearer ' scheme itself; a value pasted with it gets 401.".into(),
        vec![Step::TrimPrefix("KAGGLE_API_TOKEN", "Bearer "), fix::recheck()],
    ))
}

/// Token or OAuth files in KAGGLE_CONFIG_DIR.
fn token_file_in_config_dir(c: &Ctx) -> Option<Finding> {
    let misplaced = &c.input.discovery.misplaced;
    if misplaced.is_empty() {
        return None;
    }
    let fixes: Vec<Step> = misplaced.iter().map(|p| Step::MoveIntoDotKaggle(p.clone())).collect();
    Some(Finding::new(
        Code::TokenFileInConfigDir,
        Severity::Warning,
        Vec::new(),
        format!("ignored by the client: {}", misplaced.join(", ")),
        "KAGGLE_CONFIG_DIR moves only kaggle.json. access_token, access_token.txt and credentials.json are read from $HOME/.kaggle whatever it says (kaggle 1.8.0–2.2.5).".into(),
        [fixes, vec![fix::recheck()]].concat(),
    ))
}

/// An XDG kaggle.json hidden by an existing ~/.kaggle.
fn xdg_kaggle_json_hidden(c: &Ctx) -> Option<Finding> {
    let hidden = c.input.discovery.xdg_hidden.as_ref()?;
    let severity = if c.input.effective.client_stops { Severity::Error } else { Severity::Warning };
    Some(Finding::new(
        Code::XdgKaggleJsonHidden,
        severity,
        vec![SourceId::FileKaggleJson],
        format!("{hidden} is ignored because ~/.kaggle exists"),
        "On Linux the client uses ${XDG_CONFIG_HOME:-~/.config}/kaggle only when ~/.kaggle does not exist; a ~/.kaggle directory, even empty or holding only access_token, hides it (every version).".into(),
        [
            // `mkdir -p ~/.kaggle` fails while ~/.kaggle is a file.
            dot_kaggle_unusable(c).then(|| Step::Note("(first repair ~/.kaggle as config-dir-unusable says)".into())),
            Some(Step::MoveIntoDotKaggle(hidden.clone())),
            Some(Step::OwnerOnly("~/.kaggle/kaggle.json".into())),
            Some(fix::recheck()),
        ]
        .into_iter()
        .flatten()
        .collect(),
    ))
}

/// `~/.kaggle` is there but not a usable directory (src/discover/dirs.rs).
fn dot_kaggle_unusable(c: &Ctx) -> bool {
    c.input.discovery.unusable_dirs.iter().any(|d| d.role == crate::discover::dirs::Role::DotKaggle)
}

/// A missing config dir is created at import.
fn config_dir_missing(c: &Ctx) -> Option<Finding> {
    let d = c.input.discovery;
    let dir = d.config_dir.as_ref().filter(|dir| d.config_dir_missing && dir.why == DirRule::EnvVar)?;
    let raw = d.raw_config_dir.as_deref().unwrap_or("");
    let tilde = raw.starts_with('~');
    let detail = if tilde {
        format!(
            "KAGGLE_CONFIG_DIR={raw} starts with a literal ~, which the client does not expand: it looks in (and creates) a directory named '~' inside the working directory"
        )
    } else {
        format!(
            "KAGGLE_CONFIG_DIR points to {}, which does not exist: the client creates it at import and finds no kaggle.json there",
            dir.path.display()
        )
    };
    Some(Finding::new(
        Code::ConfigDirMissing,
        Severity::Warning,
        vec![SourceId::FileKaggleJson],
        "KAGGLE_CONFIG_DIR names a directory that does not exist".into(),
        format!("{detail} (every version)."),
        vec![
            Step::Unset(vec!["KAGGLE_CONFIG_DIR"]),
            Step::Note("(or point it at an existing directory that holds kaggle.json, as an absolute path)".into()),
            fix::recheck(),
        ],
    ))
}

/// One half of the pair in env, the other in kaggle.json (`mixed-key-pair` in 2.2.x,
/// `env-half-pair-ignored` before).
fn half_pair(c: &Ctx) -> Option<Finding> {
    let d = c.input.discovery;
    let json = d.kaggle_json.as_ref().and_then(|r| r.as_ref().ok())?;
    let (lone, other) = match (&d.env_username, &d.env_key) {
        (Some(_), None) => ("KAGGLE_USERNAME", "key"),
        (None, Some(_)) => ("KAGGLE_KEY", "username"),
        _ => return None,
    };
    let file_has_other = match other {
        "key" => json.key.is_present(),
        _ => json.username.is_present(),
    };
    if !file_has_other {
        return None;
    }
    let steps = vec![
        Step::Unset(vec![lone]),
        Step::Note("(or set both KAGGLE_USERNAME and KAGGLE_KEY, of the same user)".into()),
        fix::recheck(),
    ];
    if c.v.at_least(&[2, 2]) {
        Some(Finding::new(
            Code::MixedKeyPair,
            c.severity_for(SourceId::MergedPair),
            vec![SourceId::EnvKeyPair, SourceId::FileKaggleJson],
            format!("kaggle {} sends {lone} from the environment with the {other} from kaggle.json", c.v),
            "kaggle 2.2.x reads kaggle.json and then lets every KAGGLE_* variable override its field, so a lone variable makes a pair from two places — from two users, if they differ.".into(),
            steps,
        ))
    } else {
        Some(Finding::new(
            Code::EnvHalfPairIgnored,
            Severity::Warning,
            vec![SourceId::EnvKeyPair],
            format!("kaggle {} ignores {lone}: kaggle.json replaces every env setting", c.v),
            "Up to 2.1.x, unless both KAGGLE_USERNAME and KAGGLE_KEY are set, kaggle.json replaces the whole configuration, so the lone variable has no effect — and from 2.2 it will be mixed with kaggle.json's other half.".into(),
            steps,
        ))
    }
}

/// KAGGLE_TOKEN or a kaggle.json "token" field.
fn config_token_overrides_key(c: &Ctx) -> Option<Finding> {
    let source = [SourceId::EnvToken, SourceId::FileKaggleJsonToken].into_iter().find_map(|id| c.source(id))?;
    let sent = c.input.effective.source == Some(source.id);
    let detail = if !c.sdk() {
        format!("kaggle {} ignores it; kaggle 1.8+ would send it as the Bearer token ahead of your key pair.", c.v)
    } else if sent {
        "Once a username/key pair has authenticated, kaggle 1.8+ send this config token as Bearer instead of the pair, without validating it.".to_string()
    } else {
        "kaggle 1.8+ send it as Bearer only after a full username/key pair authenticates; here it is not what goes on the wire.".to_string()
    };
    Some(Finding::new(
        Code::ConfigTokenOverridesKey,
        if sent { c.severity_for(source.id) } else { Severity::Info },
        vec![source.id],
        format!("{} is a config token (Bearer), not an access-token source", source.id.as_str()),
        detail,
        [fix::remove_source(source), vec![fix::recheck()]].concat(),
    ))
}

/// KAGGLE_ENABLE_OAUTH changes only the CLI (1.8.0–2.1.0).
fn oauth_flag_cli_only(c: &Ctx) -> Option<Finding> {
    let d = c.input.discovery;
    if !(c.sdk() && !c.v.at_least(&[2, 1, 2]) && d.enable_oauth) {
        return None;
    }
    c.source(SourceId::FileCredentialsJson)?;
    Some(Finding::new(
        Code::OauthFlagCliOnly,
        Severity::Warning,
        vec![SourceId::FileCredentialsJson],
        format!("with KAGGLE_ENABLE_OAUTH, the kaggle {} CLI uses credentials.json but Python's KaggleApi() does not", c.v),
        "The flag is read only for the module-level api object that the CLI uses; KaggleApi() in your code defaults to enable_oauth=False, so the CLI and your script can authenticate as different credentials.".into(),
        vec![upgrade(">=2.1.2"), Step::Note("2.1.2+ read credentials.json without the flag, after tokens and the key pair".into())],
    ))
}

/// OAuth precedence flipped between releases.
fn oauth_precedence(c: &Ctx) -> Option<Finding> {
    let oauth = c.source(SourceId::FileCredentialsJson)?;
    let others = c
        .input
        .discovery
        .sources
        .iter()
        .any(|s| s.is_usable() && !matches!(s.kind, Kind::None | Kind::Oauth) && s.id != SourceId::DotEnv);
    if !others || !c.sdk() {
        return None;
    }
    let detail = if c.v.at_least(&[2, 1, 2]) {
        format!(
            "kaggle {} tries credentials.json last, after access tokens and the key pair, so it is not used here.",
            c.v
        )
    } else if c.input.discovery.enable_oauth {
        format!(
            "kaggle {} with KAGGLE_ENABLE_OAUTH tries credentials.json first, before tokens and the key pair; from 2.1.2 it comes last.",
            c.v
        )
    } else {
        format!(
            "kaggle {} ignores credentials.json unless KAGGLE_ENABLE_OAUTH=1; from 2.1.2 it is always read, but last.",
            c.v
        )
    };
    Some(Finding::new(
        Code::OauthPrecedence,
        Severity::Info,
        vec![oauth.id],
        "credentials.json and other credentials: which wins depends on the client version".into(),
        detail.to_string(),
        Vec::new(),
    ))
}

/// The OAuth expiry check has the wrong sign; naive timestamps crash.
fn oauth_expiry_bug(c: &Ctx) -> Option<Finding> {
    let d = c.input.discovery;
    let source = c.source(SourceId::FileCredentialsJson)?;
    // A crash stops the run only when the client gets as far as credentials.json.
    let crash_severity = if c.input.effective.client_stops { Severity::Error } else { Severity::Warning };
    let (title, severity) = match (source.client_crash.filter(|crash| crash.is_expiry()), d.oauth_expiry) {
        (Some(ClientCrash::NaiveExpiry), _) => (
            "credentials.json's access_token_expiration has no UTC offset: the client crashes with TypeError"
                .to_string(),
            crash_severity,
        ),
        (Some(crash), _) => (
            format!("credentials.json's access_token_expiration cannot be read: the client crashes ({crash})"),
            crash_severity,
        ),
        (None, Some((exp, true))) if exp < d.now && exp >= d.now.saturating_sub(30 * 60) => (
            format!(
                "the OAuth access token expired {} minutes ago, yet the client still sends it (and gets 401)",
                (d.now - exp) / 60
            ),
            c.severity_for(SourceId::FileCredentialsJson),
        ),
        _ => return None,
    };
    Some(Finding::new(
        Code::OauthExpiryBug,
        severity,
        vec![SourceId::FileCredentialsJson],
        title,
        "The client refreshes only when the expiry is more than 30 minutes in the past (the sign is backwards), and does not retry on 401; a timestamp without an offset cannot be compared at all, and one that is not ISO 8601 text cannot even be loaded. `kaggle auth login` writes a fresh file.".into(),
        vec![Step::Run("kaggle auth login".into()), fix::recheck()],
    ))
}

/// A 401 on refresh deletes credentials.json.
fn oauth_refresh_deletes_credentials(c: &Ctx) -> Option<Finding> {
    let source = c.source(SourceId::FileCredentialsJson)?;
    // A client that crashes on the file never gets as far as refreshing.
    if c.input.discovery.oauth_fresh != Some(false) || !c.sdk() || source.client_crash.is_some() {
        return None;
    }
    Some(Finding::new(
        Code::OauthRefreshDeletesCredentials,
        Severity::Warning,
        vec![SourceId::FileCredentialsJson],
        "the client will refresh the OAuth token; a 401 on that refresh deletes ~/.kaggle/credentials.json".into(),
        "When it refreshes, kaggle 1.8–2.2.5 call GenerateAccessToken and, if Kaggle answers 401, print 'Invalid credentials!' and delete the file. Keep a copy before trying.".into(),
        vec![Step::Copy("~/.kaggle/credentials.json".into(), "~/.kaggle/credentials.json.bak".into())],
    ))
}

/// kaggle.json readable by group or others.
fn kaggle_json_readable_by_others(c: &Ctx) -> Option<Finding> {
    let mode = c.input.discovery.kaggle_json_mode.filter(|m| m & 0o044 != 0)?;
    let source = c.source(SourceId::FileKaggleJson)?;
    let when = if c.v.at_least(&[2, 2]) {
        "kaggle 2.2.x reads it on every run, so the warning appears even when a token is what gets used"
    } else {
        "the warning appears whenever the client reads kaggle.json"
    };
    Some(Finding::new(
        Code::KaggleJsonReadableByOthers,
        Severity::Warning,
        vec![SourceId::FileKaggleJson],
        format!("{} is readable by other users (mode {mode:03o})", source.origin),
        format!(
            "Anyone on this machine can read the key, and the client prints 'Your Kaggle API key is readable by other users' to stdout, breaking --csv and other parsable output; {when}."
        ),
        vec![Step::OwnerOnly(source.origin.clone())],
    ))
}

/// A kaggle.json whose key is empty still goes out as Basic `user:` (kagglesdk's hard-coded
/// fallback, kaggle 1.6, kagglehub 0.3): whichever covered client sends it.
fn empty_key_sent(c: &Ctx) -> Option<Finding> {
    let d = c.input.discovery;
    let files = [d.kaggle_json.as_ref(), d.home_kaggle_json.as_ref()];
    let users: Vec<&String> = files
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_ref().ok())
        .filter(|j| j.key.value().is_some_and(|k| k.is_empty()))
        .filter_map(|j| j.username.value())
        .collect();
    let sends = |user: &String| {
        let fp = crate::secret::Secret::new("").fingerprint_as_key_of(user);
        let mut wires = c.input.clients.iter().map(|r| &r.effective).chain([c.input.effective]);
        wires.any(|e| !e.client_stops && e.fingerprint.as_ref() == Some(&fp))
    };
    let user = users.into_iter().find(|u| sends(u))?;
    Some(Finding::new(
        Code::EmptyKeySent,
        if c.effective_ok { Severity::Warning } else { Severity::Error },
        vec![SourceId::FileKaggleJson],
        format!("kaggle.json's key is empty, and the client still sends it: Basic {user}: with no key"),
        "An empty \"key\" is not skipped: the client reads the file without checking the values and sends the username with an empty key, which Kaggle rejects (401). Put the key from your Kaggle account settings in the file, or remove it.".into(),
        [fix::new_credential(), vec![fix::recheck()]].concat(),
    ))
}
