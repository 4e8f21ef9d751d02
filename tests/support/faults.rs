//! Hostile or broken server behaviours the test server can play (fixture key
//! `server.fault`), so the tests can show that every cell is still classified, every wait is bounded,
//! memory stays bounded, and nothing the server says leaks a secret or drives the
//! terminal.

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
