//! `--from-error TEXT`: what a pasted Kaggle error says.
//!
//! Users arrive with an error in hand — a kaggle CLI line, a kagglehub exception, a
//! keras-hub traceback. This module reads such a text (pure: no I/O) and infers which
//! client printed it, which operation failed, on which resource, with which status and
//! server message, so the doctor can probe that very resource. The shapes it knows are
//! the ones listed in docs/findings.md ("What `--from-error` recognises"): legacy REST
//! paths (`/api/v1/competitions/data/download/…`), RPC URLs
//! (`https://api.kaggle.com/v1/<service>/<Method>`: these do not name the resource),
//! kaggle.com page URLs, kagglehub and swagger wrappers, the `{"errors":…,"error":{"code":N}}`
//! envelope, and a few client-side errors.
//!
//! The text is untrusted: it is cut to [`MAX_TEXT_BYTES`], read lossily, and every
//! string taken from it is validated (resource parts) or cut and stripped of control
//! characters (the server message) before it reaches a report.

use serde::Serialize;

use crate::resource::{self, Resource};

/// Only this much of a pasted text is read.
pub const MAX_TEXT_BYTES: usize = 256 * 1024;
/// Longest server message kept.
const MAX_MESSAGE_CHARS: usize = 300;

/// Which client's wording the text has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClientShape {
    /// kaggle ≤ 1.6 (swagger): `403 - Forbidden - …`, `ApiException: (404)`.
    KaggleSwagger,
    /// kaggle 1.7 / 2.x and kagglesdk: `403 Client Error: Forbidden for url: …`.
    KaggleRequests,
    /// kagglehub: `KaggleApiHTTPError`, `You don't have permission to access resource at URL`.
    Kagglehub,
    /// keras-hub / keras_nlp presets: the kagglehub text inside a traceback.
    KerasHub,
    /// An error the client raised before any request (`Could not find kaggle.json`).
    ClientSide,
}

impl ClientShape {
    /// A short description for the text report.
    pub fn describe(self) -> &'static str {
        match self {
            ClientShape::KaggleSwagger => "kaggle CLI ≤ 1.6",
            ClientShape::KaggleRequests => "kaggle CLI 1.7 or later",
            ClientShape::Kagglehub => "kagglehub",
            ClientShape::KerasHub => "keras-hub / keras_nlp (through kagglehub)",
            ClientShape::ClientSide => "the client itself (no request was made)",
        }
    }
}

/// Which API generation the URL in the text belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Api {
    /// `https://www.kaggle.com/api/v1/...` REST.
    Legacy,
    /// `https://api.kaggle.com/v1/<service>/<Method>`.
    Rpc,
}

/// An error the client raised itself, before any request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClientError {
    /// `OSError: Could not find kaggle.json` (kaggle < 1.8 finds no key pair; tokens unknown to it).
    KaggleJsonNotFound,
    /// `Unauthorized: you must download an API key` (old kaggle without credentials).
    MustDownloadKey,
}

/// What was understood from a pasted text. Every field is optional: a text may name a
/// status but no resource, a resource but no operation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Understood {
    /// Which client printed it.
    pub client: Option<ClientShape>,
    /// Legacy REST or RPC, from the URL.
    pub api: Option<Api>,
    /// The operation, as an endpoint id where the doctor has one (`competitions.download`,
    /// `datasets.get`, …) or the client's operation otherwise (`competitions.submit`,
    /// `kernels.push`, `kernels.status`, …).
    pub operation: Option<String>,
    /// The kind of resource (`competition`, `dataset`, `model`, `kernel`).
    pub resource_kind: Option<resource::Kind>,
    /// The resource, as `--competition`/`--dataset`/`--model`/`--kernel` take it.
    pub resource: Option<String>,
    /// The HTTP status.
    pub status: Option<u16>,
    /// The server's message, if the text carries one.
    pub message: Option<String>,
    /// The permission Kaggle named (`competitions.participate`, `datasets.get`…).
    pub permission: Option<String>,
    /// An error raised by the client itself.
    pub client_error: Option<ClientError>,
    /// The parsed resource (not serialised: `resource` and `resource_kind` say it).
    #[serde(skip)]
    pub parsed: Option<Resource>,
}

impl Understood {
    /// True when nothing at all was recognised.
    pub fn is_empty(&self) -> bool {
        self.client.is_none()
            && self.operation.is_none()
            && self.parsed.is_none()
            && self.status.is_none()
            && self.message.is_none()
            && self.client_error.is_none()
    }

    /// True when the message says the competition's rules are not accepted.
    pub fn says_rules(&self) -> bool {
        self.message.as_deref().is_some_and(|m| {
            let m = m.to_lowercase();
            m.contains("rulesacceptancerequired")
                || m.contains("accept this competition")
                || m.contains("accept the competition rules")
        })
    }

    /// True when the message is the gated-model consent refusal.
    pub fn says_consent(&self) -> bool {
        self.message.as_deref().is_some_and(|m| m.to_lowercase().contains("consented to terms of use"))
    }

    /// The `Submission not allowed: …` reason, if that is what the text says.
    pub fn submission_not_allowed(&self) -> Option<&str> {
        let m = self.message.as_deref()?;
        let at = m.find("Submission not allowed:")?;
        Some(m[at + "Submission not allowed:".len()..].trim())
    }
}

/// Reads a pasted error text.
pub fn parse(text: &str) -> Understood {
    let text = cut(text);
    let mut u = Understood { client: client_shape(text), ..Understood::default() };
    for url in urls(text) {
        apply_url(&mut u, &url);
    }
    if u.parsed.is_none() {
        if let Some(r) = command_line(text) {
            u.parsed = Some(r);
        }
    }
    u.status = status(text);
    u.message = message(text);
    u.permission = permission(text);
    u.client_error = client_error(text);
    if u.client_error.is_some() && u.client.is_none() {
        u.client = Some(ClientShape::ClientSide);
    }
    if u.status.is_none() {
        u.status = envelope_status(text);
    }
    infer_from_permission(&mut u);
    if u.operation.is_none() {
        u.operation = bare_method(text).map(str::to_string);
    }
    if u.operation.is_none() && matches!(u.client, Some(ClientShape::Kagglehub | ClientShape::KerasHub)) {
        // kagglehub names the page of what it was downloading.
        u.operation = u.parsed.as_ref().and_then(|r| match r {
            Resource::Dataset(_) => Some("datasets.download".to_string()),
            Resource::Model(m) if m.is_instance() => Some("models.download".to_string()),
            _ => None,
        });
    }
    if let Some(r) = &u.parsed {
        u.resource_kind = Some(r.kind());
        u.resource = Some(r.to_string());
    }
    u
}

/// At most [`MAX_TEXT_BYTES`], cut on a character boundary.
fn cut(text: &str) -> &str {
    if text.len() <= MAX_TEXT_BYTES {
        return text;
    }
    let mut end = MAX_TEXT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn client_shape(text: &str) -> Option<ClientShape> {
    let has = |s: &str| text.contains(s);
    if has("keras_nlp") || has("keras_hub") || has("keras-hub") || has("from_preset") {
        return Some(ClientShape::KerasHub);
    }
    let hub = has("KaggleApiHTTPError") || has("access resource at URL") || has("Resource not found at URL");
    // keras-hub re-raises kagglehub's text as a ValueError, after the HTTPError of the
    // preset file it was fetching.
    if hub && (text.trim_start().starts_with("ValueError") || (has("HTTPError: ") && has("/download/"))) {
        return Some(ClientShape::KerasHub);
    }
    if has("KaggleApiHTTPError")
        || has("BackendError")
        || has("access resource at URL")
        || has("Resource not found at URL")
        || has("kagglehub")
        || has("POST failed with")
    {
        return Some(ClientShape::Kagglehub);
    }
    if has("Client Error: ") || has("Server Error: ") {
        return Some(ClientShape::KaggleRequests);
    }
    if has("ApiException") || has("HTTP response body") || has("Reason: ") || swagger_line(text).is_some() {
        return Some(ClientShape::KaggleSwagger);
    }
    None
}

/// `403 - Forbidden - message` (kaggle ≤ 1.6): the status and the rest of the line.
fn swagger_line(text: &str) -> Option<(u16, &str)> {
    text.lines().find_map(|line| {
        let line = line.trim();
        let (code, rest) = line.split_at_checked(3)?;
        let code = code.parse::<u16>().ok().filter(|c| (100..600).contains(c))?;
        let rest = rest.strip_prefix(" - ")?;
        Some((code, rest))
    })
}

/// Every URL-like token: `http(s)://…` and bare `/api/v1/…` paths.
fn urls(text: &str) -> Vec<String> {
    let stop = |c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`' | ')' | '(' | ',' | '\\' | ']');
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = ["https://", "http://", "/api/v1/"].iter().filter_map(|p| rest.find(p)).min() {
        let tail = &rest[at..];
        let end = tail.find(stop).unwrap_or(tail.len());
        let url = tail[..end].trim_end_matches(['.', ':', ';']);
        found.push(url.to_string());
        rest = &tail[end.max(1)..];
        if found.len() >= 50 {
            break;
        }
    }
    found
}

/// The path of a URL (or the path itself), without query, split into segments.
fn segments(url: &str) -> (Option<String>, Vec<String>, Option<String>) {
    let (host, path) = match url.split_once("://") {
        Some((_, rest)) => match rest.find('/') {
            Some(i) => (Some(rest[..i].to_ascii_lowercase()), &rest[i..]),
            None => (Some(rest.to_ascii_lowercase()), "/"),
        },
        None => (None, url),
    };
    let (path, query) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q.to_string())),
        None => (path, None),
    };
    (host, path.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect(), query)
}

fn apply_url(u: &mut Understood, url: &str) {
    let (host, segs, query) = segments(url);
    let kaggle = host.as_deref().is_none_or(|h| h == "www.kaggle.com" || h == "kaggle.com" || h == "api.kaggle.com");
    if !kaggle {
        return;
    }
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    if let ["v1" | "api", ..] = s.as_slice() {
        let rest = match s.as_slice() {
            ["api", "v1", rest @ ..] | ["v1", rest @ ..] => rest,
            _ => return,
        };
        if let [service, method] = rest {
            if service.contains('.') {
                u.api.get_or_insert(Api::Rpc);
                if u.operation.is_none() {
                    u.operation = rpc_operation(method).map(str::to_string);
                }
                return;
            }
        }
        if let Some((op, resource)) = legacy(rest, query.as_deref()) {
            u.api.get_or_insert(Api::Legacy);
            u.operation.get_or_insert(op.to_string());
            if u.parsed.is_none() {
                u.parsed = resource;
            }
        }
        return;
    }
    if host.is_some() && u.parsed.is_none() {
        if let Some(Ok(r)) = resource::from_page(&segs) {
            u.parsed = Some(r);
        }
    }
}

/// The operation of an RPC method (the resource is only in the request body).
fn rpc_operation(method: &str) -> Option<&'static str> {
    Some(match method {
        "DownloadDataFiles" | "DownloadDataFile" => "competitions.download",
        "ListDataFiles" => "competitions.files",
        "GetCompetition" => "competitions.get",
        "ListCompetitions" => "competitions.list",
        "ListSubmissions" => "competitions.submissions",
        "GetLeaderboard" | "DownloadLeaderboard" => "competitions.leaderboard",
        "CreateSubmission" | "StartSubmissionUpload" | "CreateCodeSubmission" => "competitions.submit",
        "GetDataset" | "GetDatasetMetadata" => "datasets.get",
        "DownloadDataset" => "datasets.download",
        "GetDatasetStatus" => "datasets.status",
        "ListDatasets" => "datasets.list",
        "CreateDataset" | "CreateDatasetVersion" => "datasets.create",
        "GetModel" | "GetModelInstance" => "models.get",
        "DownloadModelInstanceVersion" => "models.download",
        "ListModels" => "models.list",
        "GetKernel" => "kernels.get",
        "SaveKernel" => "kernels.push",
        "GetKernelSessionStatus" => "kernels.status",
        "ListKernelSessionOutput" => "kernels.output",
        "ListKernels" => "kernels.list",
        "Hello" => "whoami",
        _ => return None,
    })
}

/// An RPC method named on its own, as in `(StartSubmissionUpload)`.
fn bare_method(text: &str) -> Option<&'static str> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() > 4 && w.starts_with(char::is_uppercase))
        .filter(|w| *w != "Hello")
        .find_map(rpc_operation)
}

/// The operation and resource of a legacy REST path (after `/api/v1/`).
fn legacy(p: &[&str], query: Option<&str>) -> Option<(&'static str, Option<Resource>)> {
    let comp = |slug: &str| resource::competition(slug).ok().map(|p| p.resource);
    let dataset = |o: &str, s: &str| resource::dataset(&format!("{o}/{s}")).ok().map(|p| p.resource);
    let kernel = |o: &str, s: &str| resource::kernel(&format!("{o}/{s}")).ok().map(|p| p.resource);
    let model = |parts: &[&str]| model_parts(parts);
    Some(match p {
        ["competitions", "data", "download" | "download-all", c, ..] => ("competitions.download", comp(c)),
        ["competitions", "data", "list", c, ..] => ("competitions.files", comp(c)),
        ["competitions", "submissions", "list", c, ..] => ("competitions.submissions", comp(c)),
        ["competitions", "submissions", "submit" | "url", c, ..] => ("competitions.submit", comp(c)),
        ["competitions", "list", ..] => ("competitions.list", None),
        ["competitions", c, "leaderboard", ..] => ("competitions.leaderboard", comp(c)),
        ["competitions", c, "submissions", ..] => ("competitions.submit", comp(c)),
        ["datasets", "download", o, s, ..] => ("datasets.download", dataset(o, s)),
        ["datasets", "view" | "metadata", o, s, ..] => ("datasets.get", dataset(o, s)),
        ["datasets", "status", o, s, ..] => ("datasets.status", dataset(o, s)),
        ["datasets", "list", ..] => ("datasets.list", None),
        ["models", o, m, f, v, n, "download", ..] => ("models.download", model(&[o, m, f, v, n])),
        ["models", o, m, f, v, "get", ..] => ("models.get", model(&[o, m, f, v])),
        ["models", o, m, "get", ..] => ("models.get", model(&[o, m])),
        ["models", "list", ..] => ("models.list", None),
        ["kernels", "pull", o, s, ..] => ("kernels.get", kernel(o, s)),
        ["kernels", "pull" | "status" | "output", ..] => {
            let op = if p[1] == "pull" {
                "kernels.get"
            } else if p[1] == "status" {
                "kernels.status"
            } else {
                "kernels.output"
            };
            let q = query.unwrap_or("");
            let arg = |name: &str| q.split('&').find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='));
            let k = match (arg("userName"), arg("kernelSlug")) {
                (Some(o), Some(s)) => kernel(o, s),
                _ => None,
            };
            (op, k)
        }
        ["kernels", "push", ..] => ("kernels.push", None),
        ["kernels", "list", ..] => ("kernels.list", None),
        _ => return None,
    })
}

fn model_parts(parts: &[&str]) -> Option<Resource> {
    let joined = parts.join("/");
    if parts.len() == 2 {
        let r = resource::from_page(&["models".into(), parts[0].into(), parts[1].into()]);
        return r.and_then(Result::ok);
    }
    resource::model(&joined).ok().map(|p| p.resource)
}

/// A resource named on a command line quoted in the text: `kaggle competitions
/// download -c SLUG`, `kaggle datasets download -d O/S`, `kaggle kernels pull O/S`,
/// `kagglehub.model_download('O/M/F/V/N')`, `kagglehub.dataset_download('O/S')`.
fn command_line(text: &str) -> Option<Resource> {
    for line in text.lines() {
        if let Some(r) = kagglehub_call(line) {
            return Some(r);
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some(at) = words.iter().position(|w| w.trim_start_matches('!') == "kaggle") else { continue };
        let (group, args) = match words.get(at + 1..) {
            Some([group, _verb, args @ ..]) => (*group, args),
            _ => continue,
        };
        let flag = |names: &[&str]| -> Option<&str> {
            args.iter().position(|a| names.contains(a)).and_then(|i| args.get(i + 1)).copied()
        };
        let positional = args.first().filter(|a| !a.starts_with('-')).copied();
        let found = match group {
            "competitions" | "c" => {
                flag(&["-c", "--competition"]).or(positional).and_then(|v| resource::competition(v).ok())
            }
            "datasets" | "d" => flag(&["-d", "--dataset"]).or(positional).and_then(|v| resource::dataset(v).ok()),
            "kernels" | "k" => flag(&["-k", "--kernel"]).or(positional).and_then(|v| resource::kernel(v).ok()),
            "models" | "m" => flag(&["-m", "--model"]).or(positional).and_then(|v| resource::model(v).ok()),
            _ => None,
        };
        if let Some(p) = found {
            return Some(p.resource);
        }
    }
    None
}

fn kagglehub_call(line: &str) -> Option<Resource> {
    for (call, kind) in [("model_download(", 'm'), ("dataset_download(", 'd')] {
        let Some(at) = line.find(call) else { continue };
        let arg = &line[at + call.len()..];
        let quote = arg.chars().next().filter(|c| *c == '\'' || *c == '"')?;
        let value = arg[1..].split(quote).next()?;
        let parsed = match kind {
            'm' => {
                // kagglehub handles omit the framework's case and may end in a version.
                let parts: Vec<&str> = value.split('/').collect();
                match parts.len() {
                    2 => model_parts(&parts),
                    4 | 5 => resource::model(value).ok().map(|p| p.resource),
                    _ => None,
                }
            }
            _ => resource::dataset(value).ok().map(|p| p.resource),
        };
        if parsed.is_some() {
            return parsed;
        }
    }
    None
}

/// The HTTP status, from the first wording that carries one.
fn status(text: &str) -> Option<u16> {
    let valid = |n: &str| n.parse::<u16>().ok().filter(|c| (100..600).contains(c));
    let before = |marker: &str| -> Option<u16> {
        text.match_indices(marker).find_map(|(i, _)| {
            let head = text[..i].trim_end();
            let start = head.len().checked_sub(3)?;
            valid(head.get(start..)?)
        })
    };
    let after = |marker: &str| -> Option<u16> {
        text.match_indices(marker).find_map(|(i, _)| {
            let tail = text[i + marker.len()..].trim_start();
            valid(tail.get(..3)?)
        })
    };
    before(" Client Error")
        .or_else(|| before(" Server Error"))
        .or_else(|| swagger_line(text).map(|(c, _)| c))
        .or_else(|| after("ApiException: ("))
        .or_else(|| after("(HTTP"))
        .or_else(|| after("HTTP/1.1 "))
        .or_else(|| after("(HTTP "))
        .or_else(|| after("Error code: "))
        .or_else(|| after("Client error: ("))
        .or_else(|| after("\"code\":"))
        .or_else(|| after("HTTP "))
        .or_else(|| leading_status(text))
}

/// `403 Permission 'datasets.get' was denied` or `403 RulesAcceptanceRequired`: a line
/// that starts with a status and a word.
fn leading_status(text: &str) -> Option<u16> {
    text.lines().find_map(|line| {
        let line = line.trim();
        let (code, rest) = line.split_at_checked(3)?;
        let code = code.parse::<u16>().ok().filter(|c| (400..600).contains(c))?;
        rest.starts_with(' ').then_some(code)
    })
}

/// The gRPC code of the `{"errors":[…],"error":{"code":N}}` envelope, as an HTTP status.
fn envelope_status(text: &str) -> Option<u16> {
    let at = text.find("\"error\":{\"code\":").or_else(|| text.find("\"error\": {\"code\": "))?;
    let tail = &text[at..];
    let digits: String = tail.split(':').nth(2)?.trim().chars().take_while(char::is_ascii_digit).collect();
    Some(match digits.parse::<u8>().ok()? {
        3 => 400,
        5 => 404,
        7 => 403,
        8 => 429,
        13 => 500,
        14 => 503,
        16 => 401,
        _ => return None,
    })
}

/// The server's own message, by the phrases Kaggle is known to use.
fn message(text: &str) -> Option<String> {
    const PHRASES: &[&str] = &[
        "Submission not allowed:",
        "RulesAcceptanceRequired",
        "You must accept this competition",
        "You cannot submit until you accept",
        "User has not consented to terms of use",
        "Required permission",
        "Permission '",
        "Permission \\u0027",
        "Permission \\\\u0027",
        "Dataset not found",
        "Competition not found",
        "Kernel not found",
        "Notebook not found",
        "Internal error",
        "Unauthenticated",
    ];
    if let Some(m) = reported_issues(text) {
        return Some(m);
    }
    let Some(found) = PHRASES.iter().filter_map(|p| text.find(p).map(|i| (i, *p))).min_by_key(|(i, _)| *i) else {
        return json_message(text);
    };
    let tail = &text[found.0..];
    let end = tail.find(['\n', '"', '}']).unwrap_or(tail.len());
    let mut m = tail[..end].trim().trim_end_matches(['.', ')']).to_string();
    if found.1 == "RulesAcceptanceRequired" {
        m = "RulesAcceptanceRequired".into();
    }
    Some(clean(&unescape(&m)))
}

/// The `"message":"…"` of a JSON error body quoted in the text.
fn json_message(text: &str) -> Option<String> {
    let tail = &text[text.find("\"message\":\"")? + "\"message\":\"".len()..];
    let m = &tail[..tail.find('"')?];
    (!m.is_empty()).then(|| clean(&unescape(m)))
}

/// kagglehub: `The server reported the following issues: <message>`.
fn reported_issues(text: &str) -> Option<String> {
    let marker = "The server reported the following issues:";
    let tail = text[text.find(marker)? + marker.len()..].trim_start();
    let end = tail.find(['\n']).unwrap_or(tail.len());
    let m = tail[..end].trim();
    (!m.is_empty()).then(|| clean(m))
}

/// JSON's (and Python's doubly escaped) `\u0027` as the apostrophe it is.
fn unescape(text: &str) -> String {
    text.replace("\\\\u0027", "'").replace("\\u0027", "'")
}

/// Control characters removed, anything that looks like a credential hidden, cut to
/// length: a pasted traceback may carry the user's own token or key.
fn clean(text: &str) -> String {
    let kept: String = text.chars().filter(|c| !c.is_control()).take(MAX_MESSAGE_CHARS).collect();
    kept.split(' ').map(|w| if looks_secret(w) { "[redacted]" } else { w }).collect::<Vec<_>>().join(" ")
}

/// A `KGAT_…` token, or a long run of key-like characters mixing letters and digits
/// (legacy keys are 32 hex digits; Basic credentials are base64). Server messages are
/// made of words and dotted permission names, which never match.
fn looks_secret(word: &str) -> bool {
    let word = word.trim_matches(|c: char| matches!(c, '\'' | '"' | ',' | '.' | '(' | ')' | ':' | ';'));
    let keyish = word.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '/' | '='));
    let mixed = word.chars().any(|c| c.is_ascii_digit()) && word.chars().any(|c| c.is_ascii_alphabetic());
    word.starts_with("KGAT_") || (word.len() >= 20 && keyish && mixed)
}

/// `Permission 'x.y' was denied` / `Required permission 'x.y' was not satisfied`.
fn permission(text: &str) -> Option<String> {
    let text = unescape(text);
    let at = text.find("ermission '")? + "ermission '".len();
    let name: String = text[at..].chars().take_while(|c| *c != '\'').take(60).collect();
    let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
    valid.then_some(name)
}

fn client_error(text: &str) -> Option<ClientError> {
    if text.contains("Could not find kaggle.json") {
        Some(ClientError::KaggleJsonNotFound)
    } else if text.contains("you must download an API key") {
        Some(ClientError::MustDownloadKey)
    } else {
        None
    }
}

/// The permission's service says which kind of resource was refused when no URL did.
fn infer_from_permission(u: &mut Understood) {
    let Some(p) = u.permission.as_deref() else { return };
    let kind = match p.split('.').next() {
        Some("competitions") => resource::Kind::Competition,
        Some("datasets") => resource::Kind::Dataset,
        Some("models") => resource::Kind::Model,
        Some("kernels") => resource::Kind::Kernel,
        _ => return,
    };
    if u.parsed.is_none() {
        u.resource_kind = Some(kind);
    }
}

/// The flags equivalent to what was understood, to show the user.
pub fn as_flags(r: &Resource) -> String {
    match r {
        Resource::Competition(c) => format!("--competition {c}"),
        Resource::Dataset(d) => format!("--dataset {}", Resource::Dataset(d.clone())),
        Resource::Model(m) => format!("--model {}", Resource::Model(m.clone())),
        Resource::Kernel(k) => format!("--kernel {}", Resource::Kernel(k.clone())),
    }
}

#[cfg(test)]
mod tests;
