//! Probe: concurrent HTTP requests, one shared client, bounded in time and size, each
//! answer classified as one [`Outcome`] of the matrix.
//!
//! Every request of a run is in flight at once, on one thread: the probes are futures
//! driven by a single-threaded runtime, so 100 requests cost 100 sockets, not 100
//! threads (docs/performance.md). Callers see a blocking function.
//!
//! This is the only module that touches the network, and the only caller of
//! [`Secret::expose`](crate::secret::Secret): the raw credential goes into the request
//! here and nowhere else, and anything the server says back is scrubbed of it.

use std::cell::{Cell as Slot, RefCell};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Client, RequestBuilder, Response};
use serde_json::{Value, json};

use crate::endpoints::{Body, EndpointId};
use crate::matrix::{Cell, Form, Net, Outcome};
use crate::plan::{Action, PlannedCell};
use crate::report::sanitize::bound;
use crate::secret::{Credential, Scrubber};

/// Response bodies are read up to this size; the rest is never buffered.
pub const MAX_BODY_BYTES: u64 = 64 * 1024;
/// Server messages are cut to this many characters.
const MAX_MESSAGE_CHARS: usize = 300;
/// Header values kept (request id, Retry-After, Date) are cut to this many characters.
const MAX_HEADER_CHARS: usize = 200;

/// How to reach the API.
#[derive(Clone, Debug)]
pub struct Settings {
    /// API root, e.g. `https://api.kaggle.com/v1`, without a trailing slash.
    pub root: String,
    /// The competition slug for competition endpoints.
    pub competition: String,
    /// The dataset, model and kernel named for the resource endpoints.
    pub named: crate::resource::Named,
    /// Concurrent requests.
    pub jobs: usize,
    /// Per-request timeout.
    pub probe_timeout: Duration,
    /// When every probe must have ended.
    pub deadline: Instant,
    /// `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY` as the client honours them.
    pub https_proxy: Option<String>,
    /// Proxy for plain-http roots.
    pub http_proxy: Option<String>,
    /// Hosts that bypass the proxy.
    pub no_proxy: Option<String>,
    /// Extra CA certificates (PEM) from `REQUESTS_CA_BUNDLE` / `CURL_CA_BUNDLE`.
    pub ca_bundle_pem: Option<Vec<u8>>,
    /// The modelled client's legacy REST root (`…/api/v1`) and spelling when it speaks
    /// legacy REST (kaggle 1.5–1.7): endpoints it calls that way are probed that way.
    pub legacy_root: Option<crate::endpoints::LegacyRoot>,
    /// Probes finished so far (read by the progress display).
    pub completed: std::sync::Arc<AtomicUsize>,
    /// Every secret of the run: whatever the server says is scrubbed of all of them
    /// (another source's token, a proxy password…), not only of the cell's own.
    pub scrubber: Scrubber,
    /// Why no request can be prepared at all (a CA bundle that cannot be read), if so.
    pub setup_error: Option<String>,
}

/// Builds the HTTP client a group of probes shares: no redirects (credentials never
/// follow one), explicit proxies only, bounded connect time. TLS trusts what the
/// official clients trust (docs/client-behaviour.md, "TLS trust"): Mozilla's roots, as
/// Python's certifi bundle carries them, or, when `REQUESTS_CA_BUNDLE`/`CURL_CA_BUNDLE`
/// names a bundle, that bundle alone, as `requests` does. Not the system's store: a CA
/// installed only there is one the client does not trust either.
fn client(settings: &Settings) -> Result<Client> {
    let mut builder = Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(settings.probe_timeout.min(Duration::from_secs(5)))
        .user_agent(concat!("kaggle-auth-doctor/", env!("CARGO_PKG_VERSION")))
        .pool_max_idle_per_host(settings.jobs.max(1));
    let no_proxy = settings.no_proxy.as_deref().and_then(reqwest::NoProxy::from_string);
    if let Some(url) = &settings.https_proxy {
        let proxy = reqwest::Proxy::https(url).context("HTTPS_PROXY is not a valid proxy URL")?;
        builder = builder.proxy(proxy.no_proxy(no_proxy.clone()));
    }
    if let Some(url) = &settings.http_proxy {
        let proxy = reqwest::Proxy::http(url).context("HTTP_PROXY is not a valid proxy URL")?;
        builder = builder.proxy(proxy.no_proxy(no_proxy));
    }
    if let Some(pem) = &settings.ca_bundle_pem {
        let certs = reqwest::Certificate::from_pem_bundle(pem).context("the CA bundle is not valid PEM")?;
        if certs.is_empty() {
            anyhow::bail!("the CA bundle holds no PEM certificate");
        }
        builder = builder.tls_built_in_root_certs(false);
        for cert in certs {
            builder = builder.add_root_certificate(cert);
        }
    }
    builder.build().context("cannot build the HTTP client")
}

/// Cells probed with the same settings (API root, request form, proxies).
pub struct Group<'a> {
    /// How these cells are sent.
    pub settings: &'a Settings,
    /// The cells, in the order their results come back.
    pub plan: Vec<PlannedCell>,
}

/// Runs every planned cell of one group. See [`run_groups`].
pub fn run(settings: &Settings, plan: Vec<PlannedCell>) -> Result<Vec<Cell>> {
    let mut cells = run_groups(vec![Group { settings, plan }])?;
    Ok(cells.pop().unwrap_or_default())
}

/// Runs every planned cell of every group in one round: all requests concurrently (at
/// most the first group's `jobs` at a time), each group with its own client; the result
/// keeps each group's plan order. The first group's `completed` counts every probe (the
/// progress display reads it). No client and no runtime when nothing is probed
/// (`--offline`).
///
/// A network setup the client cannot use either (a broken CA bundle, an unparsable
/// proxy URL) is not an error of the run: every probe fails the way the client's
/// requests would, and the report says why.
pub fn run_groups(groups: Vec<Group<'_>>) -> Result<Vec<Vec<Cell>>> {
    let total: usize = groups.iter().map(|g| crate::plan::probe_count(&g.plan)).sum();
    if total == 0 {
        let decided = |g: &Group| g.plan.iter().map(|p| unsendable(g.settings, p, "")).collect();
        return Ok(crate::timings::stage("probes", || groups.iter().map(decided).collect()));
    }
    let clients: Vec<Result<Client, String>> =
        crate::timings::stage("HTTP client (TLS roots)", || groups.iter().map(built).collect());
    let runtime = runtime()?;
    let jobs = groups[0].settings.jobs.clamp(1, total);
    let completed = &groups[0].settings.completed;
    Ok(crate::timings::stage("probes", || runtime.block_on(execute_all(&groups, &clients, jobs, completed))))
}

/// The single-threaded runtime that drives the requests of a round.
fn runtime() -> Result<tokio::runtime::Runtime> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
    runtime.context("cannot start the runtime that drives the probes")
}

/// The client of a group, or why its requests cannot even be prepared (none is built
/// for a group without requests).
fn built(group: &Group) -> Result<Client, String> {
    match &group.settings.setup_error {
        _ if crate::plan::probe_count(&group.plan) == 0 => Err("nothing to send".into()),
        Some(why) => Err(why.clone()),
        None => client(group.settings).map_err(|e| format!("{e:#}")),
    }
}

/// `jobs` workers on one thread, each taking the next cell until none is left.
async fn execute_all(
    groups: &[Group<'_>],
    clients: &[Result<Client, String>],
    jobs: usize,
    completed: &AtomicUsize,
) -> Vec<Vec<Cell>> {
    let order: Vec<(usize, usize)> =
        groups.iter().enumerate().flat_map(|(g, group)| (0..group.plan.len()).map(move |c| (g, c))).collect();
    let results: RefCell<Vec<Vec<Option<Cell>>>> =
        RefCell::new(groups.iter().map(|g| vec![None; g.plan.len()]).collect());
    let next = Slot::new(0);
    let worker = || async {
        while let Some(&(g, c)) = order.get(next.replace(next.get() + 1)) {
            let (settings, planned) = (groups[g].settings, &groups[g].plan[c]);
            let cell = match &clients[g] {
                Ok(client) => execute(settings, client, planned).await,
                Err(why) => unsendable(settings, planned, why),
            };
            completed.fetch_add(usize::from(cell.elapsed_ms.is_some()), Ordering::Relaxed);
            results.borrow_mut()[g][c] = Some(cell);
        }
    };
    futures_util::future::join_all((0..jobs).map(|_| worker())).await;
    let cells = results.into_inner().into_iter();
    cells.map(|group| group.into_iter().map(|c| c.expect("every planned cell is executed")).collect()).collect()
}

/// A decided cell as decided; a probe whose request cannot even be prepared, for the
/// reason `why`.
fn unsendable(settings: &Settings, planned: &PlannedCell, why: &str) -> Cell {
    let mut cell = Cell::new(planned.source, planned.endpoint, Outcome::NotProbed);
    match &planned.action {
        Action::Decided(outcome, reason) => {
            cell.outcome = *outcome;
            cell.message = Some((*reason).to_string());
        }
        Action::Probe(_) | Action::IntrospectAs { .. } => {
            cell.outcome = Outcome::Network;
            cell.net = Some(Net::Setup);
            // The form it would have had: the cells of a legacy client's way stay its own.
            cell.form = legacy_form(settings, planned.endpoint);
            cell.message = Some(format!("not sent: {why} (the client's requests fail the same way)"));
            scrub_cell(&mut cell, &settings.scrubber);
        }
    }
    cell
}

async fn execute(settings: &Settings, client: &Client, planned: &PlannedCell) -> Cell {
    let mut cell = Cell::new(planned.source, planned.endpoint, Outcome::NotProbed);
    let remaining = settings.deadline.saturating_duration_since(Instant::now());
    if remaining.is_zero() && planned.action.sends() {
        cell.outcome = Outcome::Timeout;
        cell.message = Some("the overall deadline passed before this probe started".into());
        return cell;
    }
    let timeout = settings.probe_timeout.min(remaining);
    let request = match &planned.action {
        Action::Decided(..) => return unsendable(settings, planned, ""),
        Action::IntrospectAs { token, header_from, header } => {
            cell.header_from = Some(*header_from);
            introspection(client, settings, token, Some(header))
        }
        Action::Probe(credential) => {
            let version = match download_version(client, settings, planned.endpoint, credential.as_ref(), timeout).await
            {
                Ok(version) => version,
                Err(why) => {
                    cell.message = Some(why);
                    cell.form = legacy_form(settings, planned.endpoint);
                    return cell;
                }
            };
            let legacy = legacy_url(settings, planned.endpoint, version);
            cell.form = if legacy.is_some() { Form::Legacy } else { Form::Rpc };
            match legacy {
                Some(url) => authorize(client.get(url), credential.as_ref()),
                None => build_request(client, settings, planned.endpoint, credential.as_ref(), version),
            }
        }
    };
    let started = Instant::now();
    let result = send(request.timeout(timeout)).await;
    cell.elapsed_ms = Some(started.elapsed().as_millis() as u64);
    match result {
        Ok(answer) => classify(&mut cell, answer),
        Err(e) => classify_error(&mut cell, &e),
    }
    scrub_cell(&mut cell, &settings.scrubber);
    cell
}

/// Sends `request` and reads its answer within the size bound.
async fn send(request: RequestBuilder) -> reqwest::Result<Answer> {
    read_answer(request.send().await?).await
}

/// The version a download asks for: the named one, else the current one, read first with
/// the same credential in the form the download is sent in — for `models.download` from
/// GetModelInstance (as kagglehub does), and for kagglehub 0.3's `datasets.download` from
/// the dataset's `view`.
async fn download_version(
    client: &Client,
    settings: &Settings,
    endpoint: EndpointId,
    credential: Option<&Credential>,
    timeout: Duration,
) -> Result<Option<u32>, String> {
    let hub = settings.legacy_root.as_ref().is_some_and(|r| r.dialect == crate::endpoints::Dialect::Hub);
    // (the read that names the current version, its field, and how to name a version)
    let (read, field, flag) = match endpoint {
        EndpointId::ModelsDownload => match settings.named.model.as_ref() {
            Some(model) if model.version.is_some() => return Ok(model.version),
            Some(_) => (EndpointId::ModelsGet, "versionNumber", "--model …/VERSION"),
            None => return Ok(None),
        },
        // kagglehub 0.3 downloads a dataset by version number only: the current one first.
        EndpointId::DatasetsDownload if hub => match settings.named.dataset.as_ref() {
            Some(dataset) if dataset.version.is_some() => return Ok(dataset.version),
            Some(_) => (EndpointId::DatasetsGet, "currentVersionNumber", "--dataset OWNER/SLUG/VERSION"),
            None => return Ok(None),
        },
        _ => return Ok(None),
    };
    let request = match legacy_url(settings, read, None) {
        Some(url) => authorize(client.get(url), credential),
        None => build_request(client, settings, read, credential, None),
    };
    let answer =
        send(request.timeout(timeout)).await.map_err(|_| "the latest version could not be read".to_string())?;
    let json: Option<Value> = serde_json::from_slice(&answer.body).ok();
    let latest = json.as_ref().and_then(|j| j.get(field)).and_then(Value::as_u64);
    match latest.and_then(|v| u32::try_from(v).ok()) {
        Some(v) if (200..300).contains(&answer.status) => Ok(Some(v)),
        _ => Err(format!(
            "not probed: the latest version is unknown ({} answered {}); name one: {flag}",
            read.as_str(),
            answer.status
        )),
    }
}

/// The request body of an endpoint, as the official client builds it.
fn body(settings: &Settings, endpoint: EndpointId, version: Option<u32>) -> Value {
    let named = &settings.named;
    match (endpoint.endpoint().body, endpoint) {
        (Body::Competition, _) => json!({ "competitionName": settings.competition }),
        (Body::Dataset, _) => {
            let d = named.dataset.as_ref();
            let mut body = json!({
                "ownerSlug": d.map_or("", |d| d.owner.as_str()),
                "datasetSlug": d.map_or("", |d| d.slug.as_str()),
            });
            if let (EndpointId::DatasetsDownload, Some(v)) = (endpoint, d.and_then(|d| d.version)) {
                body["datasetVersionNumber"] = json!(v);
            }
            body
        }
        (Body::Model, _) => {
            let m = named.model.as_ref();
            let mut body = json!({
                "ownerSlug": m.map_or("", |m| m.owner.as_str()),
                "modelSlug": m.map_or("", |m| m.model.as_str()),
                "framework": m.map_or_else(String::new, |m| m.framework_enum()),
                "instanceSlug": m.and_then(|m| m.variation.as_deref()).unwrap_or(""),
            });
            if endpoint == EndpointId::ModelsDownload {
                body["versionNumber"] = json!(version.unwrap_or(0));
            }
            body
        }
        (Body::Kernel, _) => {
            let k = named.kernel.as_ref();
            json!({ "userName": k.map_or("", |k| k.owner.as_str()), "kernelSlug": k.map_or("", |k| k.slug.as_str()) })
        }
        _ => json!({}),
    }
}

/// The request for one cell. The one place a secret is exposed.
fn build_request(
    client: &Client,
    settings: &Settings,
    endpoint: EndpointId,
    credential: Option<&Credential>,
    version: Option<u32>,
) -> RequestBuilder {
    let ep = endpoint.endpoint();
    if let (Body::Token, Some(Credential::Bearer(token))) = (ep.body, credential) {
        return introspection(client, settings, token, credential);
    }
    let url = format!("{}/{}/{}", settings.root, ep.service, ep.method);
    let body = body(settings, endpoint, version);
    let request = client.post(url).header(CONTENT_TYPE, "application/json").body(body.to_string());
    authorize(request, credential)
}

/// IntrospectToken about `token`, with `header` in the Authorization header: the token
/// itself, or the credential a client is configured with (kagglesdk puts that one in
/// the header, not the token it asks about: docs/client-behaviour.md).
fn introspection(
    client: &Client,
    settings: &Settings,
    token: &crate::secret::Secret,
    header: Option<&Credential>,
) -> RequestBuilder {
    let ep = EndpointId::Introspect.endpoint();
    let url = format!("{}/{}/{}", settings.root, ep.service, ep.method);
    let body = json!({ "token": token.expose() });
    authorize(client.post(url).header(CONTENT_TYPE, "application/json").body(body.to_string()), header)
}

/// The form `endpoint` is sent in with these settings (for a cell that could not be sent).
fn legacy_form(settings: &Settings, endpoint: EndpointId) -> Form {
    match settings.legacy_root.as_ref() {
        Some(root) if endpoint.has_legacy_form(root.dialect) => Form::Legacy,
        _ => Form::Rpc,
    }
}

/// The legacy REST URL of `endpoint` (with the model `version` for `models.download`),
/// when the settings ask for that form and it has one.
fn legacy_url(settings: &Settings, endpoint: EndpointId, version: Option<u32>) -> Option<String> {
    let root = settings.legacy_root.as_ref()?;
    let path = endpoint.legacy_path(root.dialect, &settings.competition, &settings.named, version)?;
    Some(format!("{}{path}", root.url.trim_end_matches('/')))
}

/// The Authorization header of `credential`. One of the two places a secret is exposed.
fn authorize(request: RequestBuilder, credential: Option<&Credential>) -> RequestBuilder {
    match credential {
        Some(Credential::Bearer(token)) => request.header(AUTHORIZATION, format!("Bearer {}", token.expose())),
        Some(Credential::Basic { username, key }) => request.basic_auth(username, Some(key.expose())),
        None => request,
    }
}

/// `--oauth-refresh`: what kagglesdk does before any call when credentials.json's access
/// token is stale — `GenerateAccessToken` with the refresh token (the client's body,
/// docs/client-behaviour.md), no Authorization header. Returns the minted token, or how
/// the client would fail: `Refused` for HTTP 401 (it then deletes credentials.json),
/// `Failed` otherwise. Nothing is written anywhere.
pub fn refresh_oauth(settings: &Settings, refresh_token: &crate::secret::Secret) -> Result<RefreshAnswer> {
    let client = client(settings)?;
    let runtime = runtime()?;
    let url = format!("{}/users.AccountService/GenerateAccessToken", settings.root);
    let body = json!({
        "refreshToken": refresh_token.expose(),
        "apiVersion": "API_VERSION_V1",
        "expirationDuration": "43200s",
    });
    let remaining = settings.deadline.saturating_duration_since(Instant::now());
    let request = client
        .post(url)
        .header(CONTENT_TYPE, "application/json")
        .body(body.to_string())
        .timeout(settings.probe_timeout.min(remaining));
    // The refresh token is among the secrets the scrubber knows (discovery records it).
    let scrubbed = |text: &str| settings.scrubber.scrub(text);
    let answer = match runtime.block_on(send(request)) {
        Ok(answer) => answer,
        Err(e) => return Ok(RefreshAnswer::Failed(scrubbed(&format!("network: {}", error_chain(&e))))),
    };
    let json: Option<Value> = serde_json::from_slice(&answer.body).ok();
    let token = json.as_ref().and_then(|j| j.get("token")).and_then(Value::as_str).filter(|t| !t.is_empty());
    Ok(match (answer.status, token) {
        (200..=299, Some(token)) => RefreshAnswer::Minted(crate::secret::Secret::new(token)),
        (401, _) => RefreshAnswer::Refused,
        (status, _) => {
            let message = json.as_ref().map(error_fields).and_then(|(_, m)| m).unwrap_or_default();
            RefreshAnswer::Failed(scrubbed(format!("HTTP {status} {message}").trim()))
        }
    })
}

/// The answer to [`refresh_oauth`].
pub enum RefreshAnswer {
    /// A fresh access token.
    Minted(crate::secret::Secret),
    /// HTTP 401.
    Refused,
    /// Anything else, described (secrets scrubbed).
    Failed(String),
}

/// What came back, read within the size bound.
struct Answer {
    status: u16,
    request_id: Option<String>,
    location: Option<String>,
    retry_after: Option<String>,
    date: Option<String>,
    body: Vec<u8>,
}

/// Header values are kept whole here: they are scrubbed first and cut after, so a cut
/// can never leave half a secret that no longer matches. The body is read chunk by
/// chunk and never buffered past [`MAX_BODY_BYTES`]; a failure mid-body (timeout,
/// reset) is the request's failure.
async fn read_answer(mut response: Response) -> reqwest::Result<Answer> {
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let mut answer = Answer {
        status: response.status().as_u16(),
        request_id: header("x-kaggle-requestid"),
        location: header("location"),
        retry_after: header("retry-after"),
        date: header("date"),
        body: Vec::new(),
    };
    let max = MAX_BODY_BYTES as usize;
    while answer.body.len() < max {
        let Some(chunk) = response.chunk().await? else { break };
        answer.body.extend_from_slice(&chunk[..chunk.len().min(max - answer.body.len())]);
    }
    Ok(answer)
}

/// Everything in `cell` that came from the server (or the network stack, which may
/// quote a proxy's answer) is scrubbed of every known secret and bounded in length.
fn scrub_cell(cell: &mut Cell, scrubber: &Scrubber) {
    let clean = |text: &mut Option<String>, max: usize| {
        if let Some(t) = text.as_mut() {
            *t = bound(&scrubber.scrub(t), max);
        }
    };
    clean(&mut cell.message, MAX_MESSAGE_CHARS);
    clean(&mut cell.request_id, MAX_HEADER_CHARS);
    clean(&mut cell.retry_after, MAX_HEADER_CHARS);
    clean(&mut cell.date, MAX_HEADER_CHARS);
    if let Some(answer) = cell.answer.as_mut() {
        scrubber.scrub_json(answer);
    }
}

fn classify(cell: &mut Cell, answer: Answer) {
    // A status outside HTTP's range is not one (the message names it).
    cell.status = Some(answer.status).filter(|s| (100..=599).contains(s));
    cell.request_id = answer.request_id;
    let json: Option<Value> = serde_json::from_slice(&answer.body).ok();
    let (code, message) = json.as_ref().map(error_fields).unwrap_or((None, None));
    // kagglesdk treats a JSON `code` >= 400 as an error whatever the HTTP status.
    let effective = match code {
        Some(c) if (400..600).contains(&c) && (200..300).contains(&answer.status) => c,
        _ => answer.status,
    };
    // A download answers with a redirect to the file host: that is the permission granted.
    // A redirect anywhere else (back to the API, another port, `file://`) is not.
    let file_host = answer.location.as_deref().and_then(file_host_of);
    let allowed = cell.endpoint.endpoint().is_download() && (300..400).contains(&answer.status) && file_host.is_some();
    let (outcome, oddity) = outcome_of(cell.endpoint, effective, json.as_ref(), &answer.body);
    cell.outcome = if allowed { Outcome::Ok } else { outcome };
    let mut text = message;
    if let Some(oddity) = oddity.filter(|_| !allowed) {
        text = Some(oddity);
    }
    if let Some(host) = file_host.filter(|_| allowed) {
        text = Some(format!("allowed: redirect to the file host {host} (not followed)"));
    } else if (300..400).contains(&answer.status) {
        let to = answer.location.unwrap_or_else(|| "an unnamed location".into());
        text = Some(format!(
            "redirect to {to} not followed (credentials are never sent across a redirect): the API root or a proxy in between is misconfigured; nothing was learned about the credential"
        ));
    }
    if cell.outcome == Outcome::RateLimited {
        if let Some(after) = &answer.retry_after {
            let base = text.unwrap_or_default();
            text = Some(format!("{base} (Retry-After: {after})").trim().to_string());
        }
    }
    if text.is_none() && cell.outcome != Outcome::Ok && json.is_none() && !answer.body.is_empty() {
        let cut = if answer.body.len() as u64 >= MAX_BODY_BYTES { ", cut at the size limit" } else { "" };
        text = Some(format!("non-JSON answer ({} bytes read{cut})", answer.body.len()));
    }
    if matches!(cell.outcome, Outcome::Network) {
        cell.net = Some(Net::Connect);
    }
    cell.message = text;
    cell.date = answer.date;
    cell.retry_after = answer.retry_after;
    let keep = matches!(
        cell.endpoint,
        EndpointId::Whoami
            | EndpointId::Introspect
            | EndpointId::CompetitionsList
            | EndpointId::DatasetsList
            | EndpointId::ModelsList
            | EndpointId::KernelsList
    );
    if cell.outcome == Outcome::Ok && keep {
        cell.answer = json;
    }
}

/// The host of a download redirect that can be the file host Kaggle sends downloads to:
/// an absolute `https` URL that is not an API request again (Kaggle's file host is cloud
/// storage, never the API's own RPC or REST paths). A relative `Location`, another scheme
/// (`file://`, plain `http`), or a way back into the API is `None`: nothing was granted.
fn file_host_of(location: &str) -> Option<String> {
    let url = reqwest::Url::parse(location).ok()?;
    let path = url.path();
    let api_again = path.contains("ApiService/") || path.starts_with("/api/v1/") || path.starts_with("/v1/");
    (url.scheme() == "https" && !api_again).then(|| url.host_str().map(str::to_string)).flatten()
}

/// The outcome of an HTTP answer, and why it is not what its status says when it is
/// not. Only answers that say something about the credential count as such: a garbled
/// or identity-less success, a redirect, a proxy's 407 or a status outside HTTP learn
/// nothing about it, so they are server or network failures (inconclusive), never a
/// reason to replace a token.
fn outcome_of(endpoint: EndpointId, status: u16, json: Option<&Value>, body: &[u8]) -> (Outcome, Option<String>) {
    let success = (200..300).contains(&status);
    if success && json.is_none() && !body.is_empty() {
        // Cut short, HTML, garbage: a success that cannot be trusted.
        return (Outcome::ServerError, None);
    }
    if success {
        if let Some(missing) = missing_identity(endpoint, json) {
            return (
                Outcome::ServerError,
                Some(format!("answered {status} without {missing}: no identity was confirmed")),
            );
        }
    }
    let outcome = match status {
        200..=299 => Outcome::Ok,
        300..=399 => Outcome::Network,
        401 => Outcome::Unauthorized,
        403 => Outcome::Forbidden,
        404 => Outcome::NotFound,
        407 => {
            let why = "a proxy demands its own authentication (407 Proxy Authentication Required): the request never reached Kaggle";
            return (Outcome::Network, Some(why.into()));
        }
        429 => Outcome::RateLimited,
        500..=599 => Outcome::ServerError,
        100..=599 => Outcome::HttpError,
        other => return (Outcome::ServerError, Some(format!("a status outside HTTP ({other}): nothing was learned"))),
    };
    (outcome, None)
}

/// What an identity answer lacks: whoami must name a user, introspection must say
/// whether the token is active.
fn missing_identity(endpoint: EndpointId, json: Option<&Value>) -> Option<&'static str> {
    let has = |field: &str, ok: fn(&Value) -> bool| json.and_then(|j| j.get(field)).is_some_and(ok);
    match endpoint {
        EndpointId::Whoami if !has("userName", |v| v.as_str().is_some_and(|s| !s.is_empty())) => Some("a userName"),
        EndpointId::Introspect if !has("active", Value::is_boolean) => Some("an 'active' field"),
        _ => None,
    }
}

/// `code` and `message` from either `{"code","message"}` or `{"error":{"code","message"}}`.
fn error_fields(json: &Value) -> (Option<u16>, Option<String>) {
    let inner = json.get("error").filter(|e| e.is_object()).unwrap_or(json);
    let code = inner.get("code").and_then(Value::as_u64).and_then(|c| u16::try_from(c).ok());
    let message = inner.get("message").and_then(Value::as_str).map(str::to_string);
    (code, message)
}

fn classify_error(cell: &mut Cell, error: &reqwest::Error) {
    let chain = error_chain(error);
    let (net, what) = classify_chain(error.is_timeout(), &chain);
    cell.outcome = if net == Net::Timeout { Outcome::Timeout } else { Outcome::Network };
    cell.net = Some(net);
    cell.message = Some(format!("{what}: {chain}"));
}

/// The kind of failure, from the error's cause chain (lower-cased).
fn classify_chain(timed_out: bool, chain: &str) -> (Net, &'static str) {
    if timed_out || chain.contains("timed out") {
        (Net::Timeout, "timeout")
    } else if chain.contains("dns error") || chain.contains("failed to lookup") {
        (Net::Dns, "DNS")
    } else if ["certificate", "tls", "handshake", "corrupt message", "alertreceived"].iter().any(|k| chain.contains(k))
    {
        (Net::Tls, "TLS")
    } else if chain.contains("connection refused") {
        (Net::Refused, "connection refused")
    } else {
        (Net::Connect, "connect")
    }
}

/// The error and its causes, without the URL (it could carry userinfo).
fn error_chain(error: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(error);
    while let Some(e) = source {
        let text = e.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = e.source();
    }
    if parts.is_empty() {
        parts.push("request failed".into());
    }
    parts.join(": ").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_failures_are_told_apart() {
        let kind = |chain: &str| classify_chain(false, chain).0;
        assert_eq!(kind("client error (connect): dns error: failed to lookup address information"), Net::Dns);
        assert_eq!(kind("client error (connect): tcp connect error: connection refused"), Net::Refused);
        assert_eq!(kind("invalid peer certificate: unknownissuer"), Net::Tls);
        assert_eq!(kind("client error (connect): received corrupt message of type invalidcontenttype"), Net::Tls);
        assert_eq!(kind("connection reset by peer"), Net::Connect);
        assert_eq!(classify_chain(true, "").0, Net::Timeout);
    }

    #[test]
    fn only_a_redirect_to_cloud_storage_grants_a_download() {
        let host = file_host_of("https://storage.googleapis.com/kaggle-data-sets/1/x.zip?X-Goog-Signature=s");
        assert_eq!(host.as_deref(), Some("storage.googleapis.com"));
        for elsewhere in [
            "/v1/competitions.CompetitionApiService/DownloadDataFiles",
            "file:///etc/passwd",
            "http://127.0.0.1:9/v1",
            "http://storage.googleapis.com/x",
            "https://api.kaggle.com/v1/competitions.CompetitionApiService/DownloadDataFiles",
            "https://www.kaggle.com/api/v1/competitions/data/download-all/titanic",
            "javascript:alert(1)",
            "",
            "https://",
        ] {
            assert_eq!(file_host_of(elsewhere), None, "{elsewhere}");
        }
    }

    #[test]
    fn error_fields_reads_both_shapes() {
        let flat = json!({"code": 401, "message": "Unauthorized"});
        let nested = json!({"error": {"code": 429, "message": "Too many requests"}});
        assert_eq!(error_fields(&flat), (Some(401), Some("Unauthorized".into())));
        assert_eq!(error_fields(&nested), (Some(429), Some("Too many requests".into())));
    }
}
