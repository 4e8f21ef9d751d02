//! An in-process fake Kaggle API on 127.0.0.1 (ephemeral port), driven by a
//! [`Scenario`]. It answers the RPC endpoints of the catalog the way
//! shared/kaggle-client-spec.md records Kaggle answering: JSON bodies,
//! `{"code":401,"message":…}` errors, an `X-Kaggle-RequestId` header. It serves both
//! roots the clients use (`/v1/…` and `/api/v1/…`), proxy-form request targets, and the
//! legacy REST paths (`GET /api/v1/competitions/list`, …) of kaggle 1.6/1.7 (spec §2.1),
//! so the real clients of every version can be pointed at it.
//!
//! Its rules (a model, not the real service — spec §7):
//! * a bad credential (unknown or wrong key, unknown/inactive/expired token) gets 401 on
//!   every endpoint except IntrospectToken, which answers from its body alone;
//! * no credential: 401 on whoami and the competition's submissions/leaderboard/files;
//!   public lists and GetCompetition answer;
//! * a token lacking the scope an endpoint needs gets 401 (see [`required_scope`]);
//! * an unknown competition slug gets 404; rules not accepted get 403 on submissions
//!   and data files.

pub mod faults;
pub mod scenario;

use std::convert::Infallible;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use base64::Engine as _;
use http_body_util::{BodyExt, Limited};

use faults::{Body, Fault};
use hyper::body::{Bytes, Incoming};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};

pub use scenario::Scenario;

use crate::endpoints::EndpointId;
use crate::secret::Secret;

/// One request the fake saw (no secrets: the auth kind and the owner only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// The endpoint, if it was one of the catalog.
    pub endpoint: Option<EndpointId>,
    /// The request target as received (path, or proxy-form URL).
    pub target: String,
    /// `bearer`, `basic`, `none` or `other`.
    pub auth: &'static str,
    /// The user the credential belongs to, if valid.
    pub user: Option<String>,
    /// Fingerprint of the credential sent (the token, or the decoded `username:key`), as
    /// DESIGN.md defines it; `None` without an Authorization header.
    pub fingerprint: Option<String>,
}

/// A running fake API; stops when dropped.
pub struct FakeKaggle {
    runtime: Option<tokio::runtime::Runtime>,
    port: u16,
    world: Arc<World>,
}

impl FakeKaggle {
    /// Starts serving `scenario` on 127.0.0.1 with an ephemeral port.
    pub fn start(scenario: &Scenario) -> Result<FakeKaggle> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .context("cannot start the fake Kaggle API's runtime")?;
        let listener =
            runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).context("cannot listen on 127.0.0.1")?;
        let port = listener.local_addr()?.port();
        let world = Arc::new(World {
            server: scenario.server.clone(),
            next_id: AtomicU64::new(1),
            hits: Mutex::new(Vec::new()),
        });
        let shared = world.clone();
        runtime.spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                if shared.server.fault == Some(Fault::Reset) {
                    drop(stream);
                    continue;
                }
                let world = shared.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| {
                        let world = world.clone();
                        async move { Ok::<_, Infallible>(world.serve(request).await) }
                    });
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
        });
        Ok(FakeKaggle { runtime: Some(runtime), port, world })
    }

    /// The API root to pass as `--endpoint`.
    pub fn root(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Every request seen so far.
    pub fn hits(&self) -> Vec<Hit> {
        self.world.hits.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Drop for FakeKaggle {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

struct World {
    server: scenario::Server,
    next_id: AtomicU64,
    hits: Mutex<Vec<Hit>>,
}

/// Who a request authenticates as.
enum Caller {
    Anonymous,
    User { name: String, scopes: Vec<String> },
    Rejected(&'static str),
}

/// The scope a token needs for an endpoint (the fake's own names; `*` grants all).
pub fn required_scope(endpoint: EndpointId) -> Option<&'static str> {
    match endpoint {
        EndpointId::Whoami | EndpointId::Introspect => None,
        EndpointId::CompetitionsGet | EndpointId::CompetitionsList | EndpointId::CompetitionsFiles => {
            Some("competitions:read")
        }
        EndpointId::CompetitionsSubmissions | EndpointId::CompetitionsLeaderboard => {
            Some("competitions.submissions:read")
        }
        EndpointId::DatasetsList => Some("datasets:read"),
        EndpointId::KernelsList => Some("kernels:read"),
        EndpointId::ModelsList => Some("models:read"),
    }
}

type Answer = (u16, Value);

fn error(code: u16, message: &str) -> Answer {
    (code, json!({ "code": code, "message": message }))
}

impl World {
    async fn serve(&self, request: Request<Incoming>) -> Response<Body> {
        if self.server.latency_ms > 0 {
            // Server-side latency injection (benchmarks), not test synchronisation.
            tokio::time::sleep(Duration::from_millis(self.server.latency_ms)).await;
        }
        let target = request.uri().to_string();
        let (endpoint, legacy) = match (request.method(), route(&target)) {
            (&Method::POST, Some(e)) => (Some(e), None),
            (&Method::GET, None) => match legacy_route(&target) {
                Some((e, slug)) => (Some(e), Some(slug)),
                None => (None, None),
            },
            _ => (None, None),
        };
        let is_post = request.method() == Method::POST || legacy.is_some();
        let authorization =
            request.headers().get(AUTHORIZATION).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let bytes = match Limited::new(request.into_body(), 64 * 1024).collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(_) => Bytes::new(),
        };
        if let Some(fault) = self.server.fault {
            return self.faulty(fault, authorization.as_deref(), &bytes).await;
        }
        let body: Value = match &legacy {
            Some(slug) => json!({ "competitionName": slug }),
            None => serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        };
        let caller = self.caller(authorization.as_deref());
        self.hits.lock().unwrap_or_else(|e| e.into_inner()).push(Hit {
            endpoint,
            target: target.clone(),
            auth: auth_kind(authorization.as_deref()),
            user: match &caller {
                Caller::User { name, .. } => Some(name.clone()),
                _ => None,
            },
            fingerprint: authorization.as_deref().and_then(wire_fingerprint),
        });
        let (status, value) = match (is_post, endpoint) {
            (true, Some(_)) if self.server.rate_limited.is_some() => error(429, "Too many requests"),
            (true, Some(_)) if self.server.fail_with.is_some() => {
                let status = self.server.fail_with.unwrap_or(500);
                error(status, "The service is unavailable")
            }
            (true, Some(endpoint)) => {
                let (status, value) = self.handle(endpoint, &caller, &body);
                // kaggle 1.6 expects bare arrays from the legacy list endpoints.
                match (&legacy, status) {
                    (Some(_), 200) => (200, legacy_shape(endpoint, value)),
                    _ => (status, value),
                }
            }
            (true, None) => error(404, "Not found"),
            (false, _) => error(405, "Method not allowed"),
        };
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut response = Response::builder()
            .status(status)
            .header(CONTENT_TYPE, "application/json")
            .header("X-Kaggle-RequestId", format!("fake-{id:06}"));
        if let (429, Some(after)) = (status, &self.server.rate_limited) {
            response = response.header("Retry-After", after.as_str());
        }
        if let Some(skew) = self.server.clock_skew_secs {
            response = response.header("Date", http_date_in(skew));
        }
        response.body(Body::full(value.to_string())).expect("static response parts are valid")
    }

    /// The answer of a misbehaving server.
    async fn faulty(&self, fault: Fault, authorization: Option<&str>, body: &[u8]) -> Response<Body> {
        let json = |status: u16, value: Value| {
            Response::builder()
                .status(status)
                .header(CONTENT_TYPE, "application/json")
                .body(Body::full(value.to_string()))
        };
        let in_a_day = || http_date_in(86_400);
        let response = match fault {
            Fault::Hang => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                json(500, json!({}))
            }
            Fault::Drip => Response::builder().header(CONTENT_TYPE, "application/json").body(Body::stream(
                b" ",
                1_000_000,
                Some(Duration::from_secs(1)),
            )),
            Fault::Reset => json(500, json!({})),
            Fault::Status500 => json(500, json!({"code": 500, "message": "Internal error"})),
            Fault::Html502 => Response::builder()
                .status(502)
                .header(CONTENT_TYPE, "text/html")
                .body(Body::full("<html><body><h1>502 Bad Gateway</h1></body></html>")),
            Fault::RetryAfterSeconds => Response::builder()
                .status(429)
                .header("Retry-After", "86400")
                .body(Body::full(r#"{"code":429,"message":"TooManyRequests"}"#)),
            Fault::RetryAfterDate => Response::builder().status(429).header("Retry-After", in_a_day()).body(
                Body::full(r#"{"error":{"code":429,"message":"Too many requests","status":"RESOURCE_EXHAUSTED"}}"#),
            ),
            Fault::InvalidJson => {
                Response::builder().header(CONTENT_TYPE, "application/json").body(Body::full("{not json"))
            }
            Fault::HugeBody => Response::builder().header(CONTENT_TYPE, "application/json").body(Body::stream(
                &[b'x'; 64 * 1024],
                50 * 1024 * 1024,
                None,
            )),
            Fault::RedirectOtherHost => Response::builder()
                .status(302)
                .header("Location", "http://collector.invalid/steal")
                .body(Body::full("")),
            Fault::WrongContentType => Response::builder()
                .header(CONTENT_TYPE, "text/plain")
                .body(Body::full(r#"{"userName":"alice","competitions":[]}"#)),
            Fault::TerminalEscapes => json(
                401,
                json!({"code": 401, "message": "\u{1b}[2J\u{1b}[31mYOUR MACHINE IS HACKED\u{1b}]0;pwned\u{7} \u{202e}txt.exe"}),
            ),
            Fault::EchoAuth => json(
                401,
                json!({"code": 401, "message": format!("you sent Authorization: {} and body {}", authorization.unwrap_or(""), String::from_utf8_lossy(body))}),
            ),
        };
        response.expect("static response parts are valid")
    }

    fn caller(&self, authorization: Option<&str>) -> Caller {
        let Some(value) = authorization else { return Caller::Anonymous };
        if let Some(token) = value.strip_prefix("Bearer ") {
            return match self.server.tokens.iter().find(|t| t.token == token) {
                Some(t) if !t.active => Caller::Rejected("Token revoked"),
                Some(t) if t.expired => Caller::Rejected("Token expired"),
                Some(t) => Caller::User { name: t.username.clone(), scopes: t.scopes.clone() },
                None => Caller::Rejected("Unauthenticated"),
            };
        }
        if let Some(encoded) = value.strip_prefix("Basic ") {
            let pair = decode_base64(encoded).map(|b| String::from_utf8_lossy(&b).into_owned());
            let pair = pair.as_deref().and_then(|p| p.split_once(':'));
            let account = self.server.accounts.iter().find(|a| pair == Some((a.username.as_str(), a.key.as_str())));
            return match account {
                Some(a) => Caller::User { name: a.username.clone(), scopes: vec!["*".into()] },
                None => Caller::Rejected("Unauthenticated"),
            };
        }
        Caller::Rejected("Unsupported authorization scheme")
    }

    fn handle(&self, endpoint: EndpointId, caller: &Caller, body: &Value) -> Answer {
        if endpoint == EndpointId::Introspect {
            if let (true, Caller::Rejected(why)) = (self.server.introspect_requires_auth, caller) {
                return error(401, why);
            }
            return self.introspect(body);
        }
        let user = match caller {
            Caller::Rejected(why) => return error(401, why),
            Caller::Anonymous => None,
            Caller::User { name, scopes } => {
                let allowed = required_scope(endpoint)
                    .is_none_or(|need| scopes.iter().any(|s| s == "*" || s == "resources.admin:*" || s == need));
                if !allowed {
                    return error(401, "The access token's scope does not allow this operation");
                }
                Some(name.as_str())
            }
        };
        let slug = body.get("competitionName").and_then(Value::as_str).unwrap_or("");
        match endpoint {
            EndpointId::Whoami => match user {
                Some(name) => (200, json!({ "userName": name })),
                None => error(401, "Unauthenticated"),
            },
            EndpointId::CompetitionsList => {
                (200, json!({ "competitions": self.competition_refs(), "nextPageToken": "" }))
            }
            EndpointId::DatasetsList => (200, json!({ "datasets": [] })),
            EndpointId::KernelsList => (200, json!({ "kernels": [] })),
            EndpointId::ModelsList => (200, json!({ "models": [], "totalResults": 0 })),
            EndpointId::CompetitionsGet => match self.competition(slug) {
                Some(_) => (200, json!({ "ref": slug, "title": slug })),
                None => error(404, "Competition not found"),
            },
            _ => self.competition_endpoint(endpoint, user, slug),
        }
    }

    fn competition_endpoint(&self, endpoint: EndpointId, user: Option<&str>, slug: &str) -> Answer {
        let Some(user) = user else { return error(401, "Unauthenticated") };
        let Some((accepted, closed)) = self.competition(slug) else { return error(404, "Competition not found") };
        let gated = matches!(endpoint, EndpointId::CompetitionsSubmissions | EndpointId::CompetitionsFiles);
        let joined = accepted.iter().any(|u| u == user);
        if gated && !joined && closed {
            return error(403, "This competition has closed to new entrants.");
        }
        if gated && !joined {
            return error(403, "You must accept this competition's rules before you'll be able to download files.");
        }
        let unverified = self.server.accounts.iter().any(|a| a.username == user && !a.verified);
        if endpoint == EndpointId::CompetitionsFiles && unverified {
            return error(403, "Your account must be phone verified to download competition data.");
        }
        match endpoint {
            EndpointId::CompetitionsFiles => (200, json!({ "files": [] })),
            _ => (200, json!({ "submissions": [] })),
        }
    }

    /// Users who accepted the rules of `slug`, and whether it is closed, if it exists.
    /// `titanic` always exists and everyone has accepted it, unless the scenario lists it.
    fn competition(&self, slug: &str) -> Option<(Vec<String>, bool)> {
        if let Some(c) = self.server.competitions.iter().find(|c| c.slug == slug) {
            return Some((c.rules_accepted_by.clone(), c.closed));
        }
        (slug == "titanic").then(|| (self.everyone(), false))
    }

    fn competition_refs(&self) -> Vec<Value> {
        let listed = self.server.competitions.iter().map(|c| c.slug.clone());
        std::iter::once("titanic".to_string()).chain(listed).map(|slug| json!({ "ref": slug })).collect()
    }

    fn everyone(&self) -> Vec<String> {
        let tokens = self.server.tokens.iter().map(|t| t.username.clone());
        self.server.accounts.iter().map(|a| a.username.clone()).chain(tokens).collect()
    }

    fn introspect(&self, body: &Value) -> Answer {
        let token = body.get("token").and_then(Value::as_str).unwrap_or("");
        match self.server.tokens.iter().find(|t| t.token == token) {
            Some(t) => (
                200,
                json!({
                    "active": t.active && !t.expired,
                    "username": if t.active && !t.expired { t.username.as_str() } else { "" },
                    "scope": t.scopes.join(" "),
                    "clientId": "kaggle-cli",
                    "exp": if t.expired { 1_700_000_000u64 } else { 4_102_444_800u64 },
                }),
            ),
            None => (200, json!({ "active": false })),
        }
    }
}

/// `POST /v1/{service}/{method}`, `/api/v1/…`, or the proxy form `http://host/api/v1/…`.
fn route(target: &str) -> Option<EndpointId> {
    let path = match target.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => target,
    };
    let path = path.split('?').next().unwrap_or(path);
    let rest = path.strip_prefix("/api/v1/").or_else(|| path.strip_prefix("/v1/"))?;
    let (service, method) = rest.split_once('/')?;
    EndpointId::from_rpc(service, method)
}

/// `GET /api/v1/…` legacy REST paths (spec §2.1), with the competition slug if any.
fn legacy_route(target: &str) -> Option<(EndpointId, String)> {
    let path = match target.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => target,
    };
    let path = path.split('?').next().unwrap_or(path);
    let parts: Vec<&str> = path.strip_prefix("/api/v1/")?.split('/').collect();
    let found = match parts.as_slice() {
        ["competitions", "list"] => (EndpointId::CompetitionsList, ""),
        ["competitions", "submissions", "list", slug] => (EndpointId::CompetitionsSubmissions, *slug),
        ["competitions", slug, "leaderboard", "view"] => (EndpointId::CompetitionsLeaderboard, *slug),
        ["competitions", "data", "list", slug] => (EndpointId::CompetitionsFiles, *slug),
        ["datasets", "list"] => (EndpointId::DatasetsList, ""),
        ["kernels", "list"] => (EndpointId::KernelsList, ""),
        ["models", "list"] => (EndpointId::ModelsList, ""),
        _ => return None,
    };
    Some((found.0, found.1.to_string()))
}

/// The legacy REST answer: a bare array where kaggle 1.6 expects one.
fn legacy_shape(endpoint: EndpointId, value: Value) -> Value {
    let field = match endpoint {
        EndpointId::CompetitionsList => "competitions",
        EndpointId::CompetitionsSubmissions => "submissions",
        EndpointId::DatasetsList => "datasets",
        EndpointId::KernelsList => "kernels",
        _ => return value,
    };
    value.get(field).cloned().unwrap_or_else(|| json!([]))
}

/// Fingerprint of what an Authorization header carries: the Bearer token, or the
/// decoded `username:key` of Basic.
fn wire_fingerprint(authorization: &str) -> Option<String> {
    if let Some(token) = authorization.strip_prefix("Bearer ") {
        return Some(Secret::new(token).fingerprint().to_string());
    }
    if authorization == "Bearer" {
        return Some(Secret::new("").fingerprint().to_string());
    }
    let decoded = decode_base64(authorization.strip_prefix("Basic ")?)?;
    Some(Secret::new(String::from_utf8_lossy(&decoded)).fingerprint().to_string())
}

/// Base64 as a lenient server reads it: padding optional.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    LENIENT.decode(text).ok()
}

/// An HTTP `Date` header `secs` seconds from now (negative: in the past).
fn http_date_in(secs: i64) -> String {
    let now = std::time::SystemTime::now();
    let shift = Duration::from_secs(secs.unsigned_abs());
    let then = if secs >= 0 { now.checked_add(shift) } else { now.checked_sub(shift) };
    httpdate::fmt_http_date(then.unwrap_or(now))
}

fn auth_kind(authorization: Option<&str>) -> &'static str {
    match authorization {
        None => "none",
        Some(v) if v.starts_with("Bearer") => "bearer",
        Some(v) if v.starts_with("Basic ") => "basic",
        Some(_) => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_every_root_form() {
        let id = Some(EndpointId::Whoami);
        assert_eq!(route("/v1/api.v1.DiagnosticsService/Hello"), id);
        assert_eq!(route("/api/v1/api.v1.DiagnosticsService/Hello"), id);
        assert_eq!(route("http://localhost/api/v1/api.v1.DiagnosticsService/Hello"), id);
        assert_eq!(route("/v1/nope/Nope"), None);
    }

    #[test]
    fn routes_legacy_rest_paths() {
        let list = legacy_route("http://localhost/api/v1/competitions/list?page=1");
        assert_eq!(list, Some((EndpointId::CompetitionsList, String::new())));
        let subs = legacy_route("/api/v1/competitions/submissions/list/titanic");
        assert_eq!(subs, Some((EndpointId::CompetitionsSubmissions, "titanic".into())));
        assert_eq!(legacy_route("/api/v1/unknown"), None);
    }

    #[test]
    fn wire_fingerprints_match_the_doctor() {
        let basic = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(b"alice:k"));
        assert_eq!(wire_fingerprint(&basic).unwrap(), Secret::new("alice:k").fingerprint().to_string());
        assert_eq!(wire_fingerprint("Bearer T").unwrap(), Secret::new("T").fingerprint().to_string());
    }
}
