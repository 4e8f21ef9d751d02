//! The fake Kaggle API that `demo` plays against: a [`World`] (the rules, in `world`)
//! served over HTTP on 127.0.0.1 with an ephemeral port. It answers the RPC endpoints of
//! the catalog the way Kaggle does (docs/client-behaviour.md): JSON bodies,
//! `{"code":401,"message":…}` errors, an `X-Kaggle-RequestId` header. It serves both
//! roots the clients use (`/v1/…` and `/api/v1/…`), proxy-form request targets, and the
//! legacy REST paths (`GET /api/v1/competitions/list`, …) of kaggle 1.6/1.7, so the real
//! clients of every version can be pointed at it.
//!
//! Only in the product with the `demo` cargo feature (on by default). What only tests
//! need — misbehaving servers, request recording, expectations — lives in the test tree
//! (tests/support/fake_server.rs), which serves the same [`World`].

mod resources;
pub mod scenario;
pub mod world;

use std::convert::Infallible;
use std::sync::Arc;

use anyhow::{Context, Result};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;

pub use scenario::Scenario;
pub use world::{Reply, Request, World};

/// The largest request body read.
pub const MAX_REQUEST_BODY: usize = 64 * 1024;

/// A running fake API; stops when dropped.
pub struct FakeKaggle {
    runtime: Option<tokio::runtime::Runtime>,
    port: u16,
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
        let world = Arc::new(World::new(scenario.server.clone()));
        runtime.spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let world = world.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |request| {
                        let world = world.clone();
                        async move { Ok::<_, Infallible>(serve(&world, request).await) }
                    });
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
        });
        Ok(FakeKaggle { runtime: Some(runtime), port })
    }

    /// The API root to pass as `--endpoint`.
    pub fn root(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }
}

impl Drop for FakeKaggle {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

async fn serve(world: &World, request: hyper::Request<Incoming>) -> hyper::Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let bytes = Limited::new(body, MAX_REQUEST_BODY).collect().await.map(|c| c.to_bytes()).unwrap_or_default();
    let authorization = parts.headers.get(AUTHORIZATION).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let target = parts.uri.to_string();
    let reply = world.answer(&Request {
        method: parts.method.as_str(),
        target: &target,
        authorization: authorization.as_deref(),
        body: &bytes,
    });
    response(reply)
}

/// The HTTP response for a [`Reply`].
pub fn response(reply: Reply) -> hyper::Response<Full<Bytes>> {
    let mut response = hyper::Response::builder().status(reply.status).header(CONTENT_TYPE, "application/json");
    for (name, value) in reply.headers {
        response = response.header(name, value);
    }
    response.body(Full::new(Bytes::from(reply.body))).expect("static response parts are valid")
}
