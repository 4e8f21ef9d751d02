//! Hostile or broken server behaviours the test server can play (fixture key
//! `server.fault`), so the tests can show that every cell is still classified, every wait is bounded,
//! memory stays bounded, and nothing the server says leaks a secret or drives the
//! terminal. Shapes no well-behaved HTTP library sends (a flood of `100 Continue`, 10,000
//! headers, status 999, bytes that are not HTTP) are written raw to the socket
//! ([`Fault::raw_answer`]).

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Bytes, Frame};
use serde::Deserialize;

/// One way for a server to misbehave, applied to every request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    /// Never answers.
    Hang,
    /// Answers 200, then sends the body one byte a second.
    Drip,
    /// Accepts the connection and closes it at once.
    Reset,
    /// 500 with a JSON error.
    Status500,
    /// 502 with an HTML page, as a load balancer sends it.
    Html502,
    /// 429 with `Retry-After: 86400`.
    RetryAfterSeconds,
    /// 429 with `Retry-After` as an HTTP date a day ahead.
    RetryAfterDate,
    /// 200 with a body that is not JSON.
    InvalidJson,
    /// 200 with a 50 MB body.
    HugeBody,
    /// 302 to another host.
    RedirectOtherHost,
    /// 200 JSON labelled `text/plain`.
    WrongContentType,
    /// 401 whose message holds terminal escape sequences.
    TerminalEscapes,
    /// 401 whose message echoes the request's Authorization header and body.
    EchoAuth,
    /// 200 labelled HTML whose body is a captive portal's page, not JSON.
    GarbledOk,
    /// Reads the request, then closes the connection without a byte of answer.
    EmptyReply,
    /// 200 announcing 100 bytes of JSON, then closing after a few.
    TruncatedBody,
    /// 20,000 `100 Continue` interim answers and never a final one.
    ContinueFlood,
    /// 200 with 10,000 header lines before an identity body.
    ManyHeaders,
    /// Bytes that are not HTTP at all (an SSH banner on the API port).
    NotHttp,
    /// Status 999 (outside HTTP's range) with an identity body.
    Status999,
    /// Status 600 with an empty JSON object.
    Status600,
    /// 407 Proxy Authentication Required, as a proxy in the way answers.
    ProxyAuthRequired,
    /// 307 to the very URL that was asked for.
    RedirectToItself,
    /// 302 to `file:///etc/passwd`.
    RedirectToFile,
    /// 301 to the same host on another port.
    RedirectOtherPort,
    /// 503 with `Retry-After: 120`, as a maintenance page.
    Maintenance503,
}

impl Fault {
    /// The exact bytes to answer every request with, for shapes written raw to the
    /// socket; `None` for those served through hyper. `port` is the server's own.
    pub fn raw_answer(self, target: &str, port: u16) -> Option<Vec<u8>> {
        let identity = r#"{"userName": "alice", "active": true, "username": "alice"}"#;
        Some(match self {
            Fault::EmptyReply => Vec::new(),
            Fault::TruncatedBody => {
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"userName\": \"al"
                    .to_vec()
            }
            Fault::ContinueFlood => "HTTP/1.1 100 Continue\r\n\r\n".repeat(20_000).into_bytes(),
            Fault::ManyHeaders => {
                let many: String = (0..10_000).map(|i| format!("X-Filler-{i}: v\r\n")).collect();
                raw("200 OK", &many, identity)
            }
            Fault::NotHttp => b"SSH-2.0-OpenSSH_9.6\r\nProtocol mismatch.\r\n".to_vec(),
            Fault::Status999 => raw("999 Whatever", "", identity),
            Fault::Status600 => raw("600 Nope", "", "{}"),
            Fault::ProxyAuthRequired => {
                raw("407 Proxy Authentication Required", "Proxy-Authenticate: Basic realm=\"corp\"\r\n", "")
            }
            Fault::RedirectToItself => raw("307 Temporary Redirect", &format!("Location: {target}\r\n"), ""),
            Fault::RedirectToFile => raw("302 Found", "Location: file:///etc/passwd\r\n", ""),
            Fault::RedirectOtherPort => {
                raw("301 Moved Permanently", &format!("Location: http://127.0.0.1:{}/v1\r\n", port.wrapping_add(1)), "")
            }
            _ => return None,
        })
    }
}

/// An HTTP/1.1 answer: status line, extra header lines (each ending in CRLF), body.
fn raw(status: &str, headers: &str, body: &str) -> Vec<u8> {
    format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n{body}", body.len())
        .into_bytes()
}

/// A response body that can be sent in chunks, slowly, without holding it in memory.
pub struct Body {
    first: Option<Bytes>,
    chunk: Bytes,
    remaining: usize,
    delay: Option<Duration>,
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Body {
    /// The whole body at once.
    pub fn full(bytes: impl Into<Bytes>) -> Body {
        Body { first: Some(bytes.into()), chunk: Bytes::new(), remaining: 0, delay: None, sleep: None }
    }

    /// `total` bytes of `chunk` repeated, each chunk after `delay`.
    pub fn stream(chunk: &'static [u8], total: usize, delay: Option<Duration>) -> Body {
        Body { first: None, chunk: Bytes::from_static(chunk), remaining: total, delay, sleep: None }
    }
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        if let Some(first) = this.first.take() {
            return Poll::Ready(Some(Ok(Frame::data(first))));
        }
        if this.remaining == 0 {
            return Poll::Ready(None);
        }
        if let Some(delay) = this.delay {
            let sleep = this.sleep.get_or_insert_with(|| Box::pin(tokio::time::sleep(delay)));
            if sleep.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            this.sleep = None;
        }
        let n = this.remaining.min(this.chunk.len());
        this.remaining -= n;
        Poll::Ready(Some(Ok(Frame::data(this.chunk.slice(..n)))))
    }
}
