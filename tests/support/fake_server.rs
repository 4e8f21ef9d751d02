//! The test suite's Kaggle API: the product's fake rules ([`World`]) served on
//! 127.0.0.1, plus what only tests need — a misbehaving server ([`Fault`]), injected
//! latency (the benchmark), and a record of every request ([`Hit`]). The product's demo
//! server has none of this (src/fake_kaggle/mod.rs).
//!
//! Shared with benches/matrix.rs through `#[path]`, so it depends on nothing else in
//! tests/support.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use kaggle_auth_doctor::endpoints::EndpointId;
use kaggle_auth_doctor::fake_kaggle::scenario::Server;
use kaggle_auth_doctor::fake_kaggle::{self, World};
use kaggle_auth_doctor::secret::Secret;

#[path = "faults.rs"]
pub mod faults;

use faults::{Body, Fault};

/// What the test server does besides the product's rules.
#[derive(Clone, Copy, Debug, Default)]
pub struct Extras {
    /// Misbehave on every request.
    pub fault: Option<Fault>,
    /// Delay every answer (benchmarks), in milliseconds.
    pub latency_ms: u64,
    /// Hold every answer until this many requests have arrived (0: never hold). A run
    /// whose requests are not all in flight together stalls on it until its timeout.
    pub barrier: usize,
    /// Point every redirect (an allowed download) at a closed loopback port instead of
    /// the file host, so a real client that follows it never leaves the machine (the
    /// oracle).
    pub files_on_loopback: bool,
}

/// One request the server saw (no secrets: the auth kind and the owner only).
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
    /// the doctor computes it; `None` without an Authorization header.
    pub fingerprint: Option<String>,
    /// The same for `X-Kaggle-Authorization` (the notebook data proxy's header).
    pub data_proxy_fingerprint: Option<String>,
}

/// A running test server; stops when dropped.
pub struct FakeServer {
    runtime: Option<tokio::runtime::Runtime>,
    port: u16,
    state: Arc<State>,
}

struct State {
    world: World,
    extras: Extras,
    hits: Mutex<Vec<Hit>>,
    /// Requests arrived so far, and the gate [`Extras::barrier`] opens.
    arrived: std::sync::atomic::AtomicUsize,
    gate: tokio::sync::Semaphore,
}

impl FakeServer {
    /// Serves `server` on 127.0.0.1 with an ephemeral port.
    pub fn start(server: &Server, extras: Extras) -> FakeServer {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("tokio runtime");
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("listen on 127.0.0.1");
        let port = listener.local_addr().expect("bound").port();
        let state = Arc::new(State {
            world: World::new(server.clone()),
            extras,
            hits: Mutex::new(Vec::new()),
            arrived: Default::default(),
            gate: tokio::sync::Semaphore::new(0),
        });
        let shared = state.clone();
        runtime.spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                if shared.extras.fault == Some(Fault::Reset) {
                    drop(stream);
                    continue;
                }
                if let Some(fault) = shared.extras.fault.filter(|f| f.raw_answer("/", port).is_some()) {
                    // Plain blocking I/O on a thread of its own: a few bytes each way.
                    let Ok(stream) = stream.into_std() else { continue };
                    let _ = stream.set_nonblocking(false);
                    std::thread::spawn(move || answer_raw(stream, fault, port));
                    continue;
                }
                let state = shared.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| {
                        let state = state.clone();
                        async move { Ok::<_, Infallible>(state.serve(request).await) }
                    });
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
        });
        FakeServer { runtime: Some(runtime), port, state }
    }

    /// The API root to pass as `--endpoint`.
    pub fn root(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Every request seen so far (not those a fault answered).
    pub fn hits(&self) -> Vec<Hit> {
        self.state.hits.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl State {
    async fn serve(&self, request: Request<Incoming>) -> Response<Body> {
        if self.extras.barrier > 0 {
            let arrived = self.arrived.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            if arrived == self.extras.barrier {
                // One permit, passed from each released request to the next.
                self.gate.add_permits(1);
            }
            let _pass = self.gate.acquire().await;
        }
        if self.extras.latency_ms > 0 {
            // Server-side latency injection (benchmarks), not test synchronisation.
            tokio::time::sleep(Duration::from_millis(self.extras.latency_ms)).await;
        }
        let (parts, body) = request.into_parts();
        let authorization =
            parts.headers.get(AUTHORIZATION).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let limit = fake_kaggle::MAX_REQUEST_BODY;
        let bytes = Limited::new(body, limit).collect().await.map(|c| c.to_bytes()).unwrap_or_default();
        if let Some(fault) = self.extras.fault {
            return faulty(fault, authorization.as_deref(), &bytes).await;
        }
        let target = parts.uri.to_string();
        let reply = self.world.answer(&fake_kaggle::Request {
            method: parts.method.as_str(),
            target: &target,
            authorization: authorization.as_deref(),
            body: &bytes,
        });
        self.hits.lock().unwrap_or_else(|e| e.into_inner()).push(Hit {
            endpoint: reply.endpoint,
            target,
            auth: auth_kind(authorization.as_deref()),
            user: reply.user.clone(),
            fingerprint: authorization.as_deref().and_then(wire_fingerprint),
            data_proxy_fingerprint: parts
                .headers
                .get("x-kaggle-authorization")
                .and_then(|v| wire_fingerprint(&String::from_utf8_lossy(v.as_bytes()))),
        });
        let (mut parts, body) = fake_kaggle::response(reply).into_parts();
        if self.extras.files_on_loopback && parts.headers.contains_key(hyper::header::LOCATION) {
            let closed = hyper::header::HeaderValue::from_static("http://127.0.0.1:9/file-host");
            parts.headers.insert(hyper::header::LOCATION, closed);
        }
        let body = body.collect().await.map(|c| c.to_bytes()).unwrap_or_default();
        Response::from_parts(parts, Body::full(body))
    }
}

/// Reads one request's head (bounded), answers with `fault`'s raw bytes, and closes.
fn answer_raw(mut stream: std::net::TcpStream, fault: Fault, port: u16) {
    use std::io::{Read, Write};
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    // The request target, for a redirect to itself.
    let line = String::from_utf8_lossy(&head).lines().next().unwrap_or("").to_string();
    let target = line.split(' ').nth(1).unwrap_or("/");
    let answer = fault.raw_answer(target, port).unwrap_or_default();
    let _ = stream.write_all(&answer);
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// The answer of a misbehaving server.
async fn faulty(fault: Fault, authorization: Option<&str>, body: &[u8]) -> Response<Body> {
    let json = |status: u16, value: serde_json::Value| {
        Response::builder().status(status).header(CONTENT_TYPE, "application/json").body(Body::full(value.to_string()))
    };
    let in_a_day = || httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(86_400));
    let response = match fault {
        Fault::Hang => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            json(500, serde_json::json!({}))
        }
        Fault::Drip => Response::builder().header(CONTENT_TYPE, "application/json").body(Body::stream(
            b" ",
            1_000_000,
            Some(Duration::from_secs(1)),
        )),
        Fault::Reset => json(500, serde_json::json!({})),
        Fault::Status500 => json(500, serde_json::json!({"code": 500, "message": "Internal error"})),
        Fault::Html502 => Response::builder()
            .status(502)
            .header(CONTENT_TYPE, "text/html")
            .body(Body::full("<html><body><h1>502 Bad Gateway</h1></body></html>")),
        Fault::RetryAfterSeconds => Response::builder()
            .status(429)
            .header("Retry-After", "86400")
            .body(Body::full(r#"{"code":429,"message":"TooManyRequests"}"#)),
        Fault::RetryAfterDate => Response::builder()
            .status(429)
            .header("Retry-After", in_a_day())
            .body(Body::full(r#"{"error":{"code":429,"message":"Too many requests","status":"RESOURCE_EXHAUSTED"}}"#)),
        Fault::InvalidJson => {
            Response::builder().header(CONTENT_TYPE, "application/json").body(Body::full("{not json"))
        }
        Fault::HugeBody => Response::builder().header(CONTENT_TYPE, "application/json").body(Body::stream(
            &[b'x'; 64 * 1024],
            50 * 1024 * 1024,
            None,
        )),
        Fault::RedirectOtherHost => {
            Response::builder().status(302).header("Location", "http://collector.invalid/steal").body(Body::full(""))
        }
        Fault::WrongContentType => Response::builder()
            .header(CONTENT_TYPE, "text/plain")
            .body(Body::full(r#"{"userName":"alice","competitions":[]}"#)),
        Fault::TerminalEscapes => json(
            401,
            serde_json::json!({"code": 401, "message": "\u{1b}[2J\u{1b}[31mYOUR MACHINE IS HACKED\u{1b}]0;pwned\u{7} \u{202e}txt.exe"}),
        ),
        Fault::GarbledOk => Response::builder()
            .header(CONTENT_TYPE, "text/html")
            .body(Body::full("<html><body>Sign in to the guest Wi-Fi to continue</body></html>")),
        Fault::Maintenance503 => Response::builder()
            .status(503)
            .header("Retry-After", "120")
            .header(CONTENT_TYPE, "text/html")
            .body(Body::full("<html><body>Down for maintenance</body></html>")),
        Fault::EchoAuth => json(
            401,
            serde_json::json!({"code": 401, "message": format!("you sent Authorization: {} and body {}", authorization.unwrap_or(""), String::from_utf8_lossy(body))}),
        ),
        // Answered raw before hyper sees the connection.
        _ => json(500, serde_json::json!({})),
    };
    response.expect("static response parts are valid")
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
    let encoded = authorization.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded).ok()?;
    Some(Secret::new(String::from_utf8_lossy(&decoded)).fingerprint().to_string())
}

fn auth_kind(authorization: Option<&str>) -> &'static str {
    match authorization {
        None => "none",
        Some(v) if v.starts_with("Bearer") => "bearer",
        Some(v) if v.starts_with("Basic ") => "basic",
        Some(_) => "other",
    }
}

#[test]
fn wire_fingerprints_match_the_doctor() {
    let basic = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(b"alice:k"));
    assert_eq!(wire_fingerprint(&basic).unwrap(), Secret::new("alice:k").fingerprint().to_string());
    assert_eq!(wire_fingerprint("Bearer T").unwrap(), Secret::new("T").fingerprint().to_string());
}
