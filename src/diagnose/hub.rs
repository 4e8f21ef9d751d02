//! kagglehub findings (docs/findings.md "kagglehub, with `--client kagglehub|both`") and
//! the comparison with the kaggle CLI when both are covered (docs/client-behaviour.md "The
//! two clients side by side").

use super::fix::{self, Step};
use super::{Code, Finding, Input, Severity};
use crate::client_model::Auth;
use crate::clients::{Client, ClientReport};
use crate::discover::{DirRule, SourceId};

/// Every kagglehub check; nothing when kagglehub is not covered.
pub(super) fn check(input: &Input, out: &mut Vec<Finding>) {
    let Some(hub) = input.clients.iter().find(|c| c.client == Client::Kagglehub) else { return };
    let cli = input.clients.iter().find(|c| c.client == Client::Kaggle);
    out.extend(cli.and_then(|cli| clients_disagree(input, cli, hub)));
    out.extend(malformed(input));
    out.extend(config_dir_verbatim(input));
    out.extend(ignores_xdg(input, hub));
    out.extend(ignores_config_token(input));
    out.extend(environment(input));
    out.extend(notebook_secrets(input));
    out.extend(hidden_fallback(hub));
    out.extend(whoami_ignores_ca_bundle(input, hub));
}

fn describe(c: &ClientReport, input: &Input) -> String {
    let e = &c.effective;
    let who = e.source.and_then(|s| input.discovery.source(s)).and_then(|s| s.username.clone());
    let who = who.map_or(String::new(), |u| format!(" as {u}"));
    match (e.client_stops, e.auth, e.source) {
        (true, _, _) if e.network_stop => "nothing that reaches Kaggle (TLS fails)".to_string(),
        (true, _, _) => "nothing (it stops with an error)".to_string(),
        (false, Auth::None, _) => "no credential (anonymous)".to_string(),
        (false, _, Some(s)) => format!("{}{who}", s.as_str()),
        (false, _, None) => "a credential the doctor cannot see".to_string(),
    }
}

fn clients_disagree(input: &Input, cli: &ClientReport, hub: &ClientReport) -> Option<Finding> {
    let same = cli.effective.fingerprint == hub.effective.fingerprint
        && cli.effective.client_stops == hub.effective.client_stops;
    if same {
        return None;
    }
    // The usual cause: a source only the CLI reads. Removing it makes both send the same.
    let only_cli =
        [SourceId::EnvToken, SourceId::FileKaggleJsonToken, SourceId::FileCredentialsJson, SourceId::MergedPair];
    let steps = match cli.effective.source.filter(|s| only_cli.contains(s)).and_then(|s| input.discovery.source(s)) {
        Some(source) => [fix::remove_source(source), vec![fix::recheck()]].concat(),
        None => vec![
            Step::Note("give both clients the same credential, e.g. one token for both:".into()),
            Step::Set("KAGGLE_API_TOKEN", "<your token>".into()),
            fix::recheck(),
        ],
    };
    Some(Finding::new(
        Code::ClientsDisagree,
        Severity::Warning,
        [cli.effective.source, hub.effective.source].into_iter().flatten().collect(),
        format!("the kaggle CLI sends {}, kagglehub sends {}", describe(cli, input), describe(hub, input)),
        "The two official clients resolve credentials differently (kagglehub: no KAGGLE_TOKEN, no kaggle.json \"token\", no credentials.json, no XDG, no mixed pairs, strict kaggle.json), so on this machine the CLI and your notebook code act differently.".into(),
        steps,
    ))
}

fn malformed(input: &Input) -> Option<Finding> {
    let hub = input.discovery.hub_kaggle_json.as_ref()?;
    let why = hub.pair.as_ref().err()?;
    Some(Finding::new(
        Code::KagglehubMalformedKaggleJson,
        Severity::Error,
        vec![SourceId::FileKaggleJson],
        format!("kagglehub fails on every call: {why}"),
        "kagglehub raises on a kaggle.json it cannot parse or that lacks 'username' or 'key' — even for public downloads, and before Colab secrets are tried — while kaggle 2.2.x silently skips the file.".into(),
        vec![
            Step::Note("fix the file (it must be {\"username\": \"…\", \"key\": \"…\"}), or move it aside:".into()),
            Step::Move(hub.origin.clone(), format!("{}.disabled", hub.origin)),
            fix::recheck(),
        ],
    ))
}

fn config_dir_verbatim(input: &Input) -> Option<Finding> {
    let raw = input.discovery.raw_config_dir.clone().or_else(|| input.discovery.config_dir_empty.then(String::new))?;
    if !(raw.is_empty() || raw.starts_with('~') || !raw.starts_with('/')) {
        return None;
    }
    let shown = if raw.is_empty() { "\"\" (empty)".to_string() } else { raw.clone() };
    Some(Finding::new(
        Code::KagglehubConfigDirVerbatim,
        Severity::Warning,
        vec![SourceId::FileKaggleJson],
        format!("KAGGLE_CONFIG_DIR={shown}: kagglehub looks for kaggle.json relative to the working directory"),
        "kagglehub joins KAGGLE_CONFIG_DIR verbatim: an empty value means ./kaggle.json and ~ is not expanded, so the user changes with the directory you start Python in; the CLI treats an empty value as unset.".into(),
        vec![Step::Unset(vec!["KAGGLE_CONFIG_DIR"]), Step::Note("(or set it to an absolute path)".into()), fix::recheck()],
    ))
}

fn ignores_xdg(input: &Input, hub: &ClientReport) -> Option<Finding> {
    let cli_uses_xdg = input.discovery.config_dir.as_ref().is_some_and(|c| c.why == DirRule::Xdg)
        && input.discovery.kaggle_json.is_some();
    if !cli_uses_xdg || hub.chosen.is_some() {
        return None;
    }
    let origin = input
        .discovery
        .source(SourceId::FileKaggleJson)
        .map_or("~/.config/kaggle/kaggle.json".into(), |s| s.origin.clone());
    Some(Finding::new(
        Code::KagglehubIgnoresXdg,
        Severity::Warning,
        vec![SourceId::FileKaggleJson],
        format!("kagglehub never reads {origin}: its whoami() says not authenticated"),
        "kagglehub has no XDG location: only $KAGGLE_CONFIG_DIR/kaggle.json or ~/.kaggle/kaggle.json.".into(),
        vec![Step::MoveIntoDotKaggle(origin), Step::OwnerOnly("~/.kaggle/kaggle.json".into()), fix::recheck()],
    ))
}

fn ignores_config_token(input: &Input) -> Option<Finding> {
    let ids: Vec<SourceId> = [SourceId::EnvToken, SourceId::FileKaggleJsonToken, SourceId::FileCredentialsJson]
        .into_iter()
        .filter(|id| input.discovery.source(*id).is_some_and(|s| s.is_usable()))
        .collect();
    if ids.is_empty() {
        return None;
    }
    let names: Vec<&str> = ids.iter().map(|i| i.as_str()).collect();
    Some(Finding::new(
        Code::KagglehubIgnoresConfigToken,
        Severity::Info,
        ids.clone(),
        format!("kagglehub ignores {}", names.join(", ")),
        "kagglehub reads tokens only from the token chain (KAGGLE_API_TOKEN, ~/.kaggle/access_token…); KAGGLE_TOKEN, a kaggle.json \"token\" field and OAuth credentials.json count for the CLI only.".into(),
        vec![Step::Note("to use one token in both clients, put it in KAGGLE_API_TOKEN or ~/.kaggle/access_token".into())],
    ))
}

fn environment(input: &Input) -> Option<Finding> {
    let value = input.discovery.api_environment.as_deref()?;
    if value == "PROD" || value == "LOCALHOST" {
        return None;
    }
    let (severity, what) = match value {
        "TEST" => (Severity::Warning, "TEST makes kagglehub print `Authorization: Bearer <token>` and every answer to stdout (the CLI ignores it)".to_string()),
        "STAGING" | "ADMIN" if !input.discovery.iap_token => (Severity::Error, format!("{value} needs KAGGLE_IAP_TOKEN, which is not set: every kagglehub call fails before any request (the CLI ignores the variable)")),
        "STAGING" | "ADMIN" | "QA" => (Severity::Warning, format!("{value} sends kagglehub to Kaggle's {value} servers; the CLI ignores it")),
        other => (Severity::Error, format!("'{other}' is not an environment kagglehub knows (PROD, LOCALHOST, STAGING, ADMIN, QA, TEST; case matters): every kagglehub call fails before any request (the CLI ignores it)")),
    };
    Some(Finding::new(
        Code::KagglehubEnvironment,
        severity,
        Vec::new(),
        format!("KAGGLE_API_ENVIRONMENT={value}"),
        format!("{what}."),
        vec![Step::Unset(vec!["KAGGLE_API_ENVIRONMENT"]), fix::recheck()],
    ))
}

fn notebook_secrets(input: &Input) -> Option<Finding> {
    let d = input.discovery;
    if !(d.hints.kaggle_notebook && d.network_proxy_url.is_some() && !d.disable_kaggle_cache) {
        return None;
    }
    let missing =
        [("KAGGLE_USER_SECRETS_TOKEN", d.user_secrets_token), ("KAGGLE_DATA_PROXY_TOKEN", d.data_proxy_token)]
            .into_iter()
            .find_map(|(name, set)| (!set).then_some(name));
    Some(Finding::new(
        Code::KagglehubNotebookSecrets,
        if missing.is_some() { Severity::Error } else { Severity::Info },
        Vec::new(),
        if let Some(name) = missing {
            format!("in this Kaggle notebook, kagglehub downloads fail: {name} is missing")
        } else {
            "in this Kaggle notebook, kagglehub downloads use the notebook's data proxy, not your API credential".into()
        },
        "Downloads go to KAGGLE_DATA_PROXY_URL with X-Kaggle-Authorization: Bearer $KAGGLE_USER_SECRETS_TOKEN, while whoami() uses the API token, so the two can be different users.".into(),
        vec![Step::Set("DISABLE_KAGGLE_CACHE", "true".into()), Step::Note("(kagglehub then downloads through the API with your credential)".into())],
    ))
}

/// kagglehub ≥ 0.4's whoami() (and login()) verify TLS with the default CA store only.
fn whoami_ignores_ca_bundle(input: &Input, hub: &ClientReport) -> Option<Finding> {
    let (path, _) = input.discovery.network.ca_bundle.as_ref()?;
    if hub.model == "0.3.x" {
        return None;
    }
    Some(Finding::new(
        Code::KagglehubWhoamiIgnoresCaBundle,
        Severity::Warning,
        Vec::new(),
        "kagglehub's whoami() ignores REQUESTS_CA_BUNDLE: behind a TLS-inspecting proxy it says 'not authenticated' while downloads work".into(),
        format!(
            "Downloads honour the CA bundle {path}, but whoami() and login() check TLS against the default certificate store only, so behind a proxy that re-signs TLS with its own CA they fail with valid credentials."
        ),
        vec![
            Step::Run("cat \"$REQUESTS_CA_BUNDLE\" >> \"$(python3 -m certifi)\"".into()),
            Step::Note("(adds your CA to the store whoami() uses; or judge the credential by a download instead of whoami())".into()),
        ],
    ))
}

fn hidden_fallback(hub: &ClientReport) -> Option<Finding> {
    if hub.chosen.is_some() || hub.effective.auth != Auth::Basic {
        return None;
    }
    Some(Finding::new(
        Code::KagglehubHiddenFallback,
        Severity::Info,
        vec![SourceId::FileKaggleJson],
        "kagglehub believes it has no credential, yet its downloads send ~/.kaggle/kaggle.json".into(),
        "When kagglehub's own lookup finds nothing, whoami() says 'not authenticated' but its HTTP layer still reads the hard-coded ~/.kaggle/kaggle.json for downloads.".into(),
        vec![Step::Note("point KAGGLE_CONFIG_DIR at the directory of the kaggle.json you mean, or unset it".into())],
    ))
}
