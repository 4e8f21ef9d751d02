//! A TLS-inspecting proxy on 127.0.0.1, the "corporate CA" of the real-client oracle
//! (tests/oracle.rs, the `tls-` setups): the clients talk HTTPS to their production URLs
//! (`https://www.kaggle.com/api/v1/…`, `https://api.kaggle.com/v1/…`) through it, and it
//! re-signs their TLS with a throw-away CA (fixtures/oracle/tls, made by
//! scripts/oracle-tls-certs.sh) before handing the decrypted requests to the fake API.
//! Whether a client trusts that CA is exactly what the setups vary.
//!
//! It never connects anywhere but the fake's port on loopback, whatever host a client
//! asks for: a request meant for the internet ends at the fake or fails. Written like
//! [`super::FakeServer`]: its own small tokio runtime, stopped when dropped.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::{self, pki_types};

/// The proxy's leaf certificate for kaggle.com and *.kaggle.com, and its key.
const LEAF: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/oracle/tls/kaggle.com.pem"));
const LEAF_KEY: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/oracle/tls/kaggle.com.key"));

/// The CA that signed [`LEAF`]: what a client must trust for the proxy to see its requests.
pub fn ca_bundle() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/oracle/tls/ca.pem")
}

/// A running proxy; stops when dropped.
pub struct MitmProxy {
    runtime: Option<tokio::runtime::Runtime>,
    port: u16,
    stats: Arc<Stats>,
}

/// What the proxy saw, for diagnostics in failure messages.
#[derive(Default)]
struct Stats {
    /// `CONNECT` targets, in arrival order.
    connects: Mutex<Vec<String>>,
    handshakes_ok: AtomicUsize,
    handshakes_failed: AtomicUsize,
    /// Why the last failed handshake failed (e.g. the client's `unknown_ca` alert).
    last_failure: Mutex<Option<String>>,
    /// Plain-HTTP proxy requests forwarded as they came.
    plain: AtomicUsize,
}

/// The longest request head the proxy reads.
const MAX_HEAD: usize = 64 * 1024;

impl MitmProxy {
    /// Listens on 127.0.0.1 (ephemeral port); every tunnel and plain request goes to
    /// `127.0.0.1:upstream_port`.
    pub fn start(upstream_port: u16) -> MitmProxy {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("tokio runtime");
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("listen on 127.0.0.1");
        let port = listener.local_addr().expect("bound").port();
        let acceptor = TlsAcceptor::from(Arc::new(server_config()));
        let stats = Arc::new(Stats::default());
        let shared = stats.clone();
        runtime.spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let (acceptor, stats) = (acceptor.clone(), shared.clone());
                tokio::spawn(async move { serve(stream, upstream_port, acceptor, stats).await });
            }
        });
        MitmProxy { runtime: Some(runtime), port, stats }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The proxy URL for `HTTPS_PROXY`, kaggle.json's `proxy` and the like.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// TLS handshakes completed with a client (it trusted the CA).
    pub fn handshakes_ok(&self) -> usize {
        self.stats.handshakes_ok.load(Ordering::SeqCst)
    }

    /// TLS handshakes that failed (typically: the client did not trust the CA).
    pub fn handshakes_failed(&self) -> usize {
        self.stats.handshakes_failed.load(Ordering::SeqCst)
    }

    /// One line for a failure message: tunnels asked for, handshakes, plain requests.
    pub fn summary(&self) -> String {
        let connects = self.stats.connects.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let last = self.stats.last_failure.lock().unwrap_or_else(|e| e.into_inner()).clone();
        format!(
            "proxy: CONNECT {connects:?}, TLS handshakes {} ok / {} failed{}, {} plain requests",
            self.handshakes_ok(),
            self.handshakes_failed(),
            last.map(|l| format!(" (last: {l})")).unwrap_or_default(),
            self.stats.plain.load(Ordering::SeqCst)
        )
    }
}

impl Drop for MitmProxy {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// The leaf for every name the client asks for, HTTP/1.1 only (no ALPN: the fake speaks
/// HTTP/1.1), with ring as the provider (the one already linked).
fn server_config() -> rustls::ServerConfig {
    use pki_types::pem::PemObject;
    let chain = pki_types::CertificateDer::pem_slice_iter(LEAF).collect::<Result<Vec<_>, _>>().expect("leaf PEM");
    let key = pki_types::PrivateKeyDer::from_pem_slice(LEAF_KEY).expect("leaf key PEM");
    rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("leaf certificate and key match")
}

/// One client connection: a `CONNECT` tunnel decrypted and copied to the upstream, or a
/// plain proxy request forwarded as it is.
async fn serve(mut client: TcpStream, upstream_port: u16, acceptor: TlsAcceptor, stats: Arc<Stats>) {
    let Some(head) = read_head(&mut client).await else { return };
    let line = String::from_utf8_lossy(&head).lines().next().unwrap_or("").to_string();
    let mut words = line.split(' ');
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let Ok(mut upstream) = TcpStream::connect(("127.0.0.1", upstream_port)).await else { return };
    if method != "CONNECT" {
        stats.plain.fetch_add(1, Ordering::SeqCst);
        if upstream.write_all(&head).await.is_ok() {
            let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
        }
        return;
    }
    stats.connects.lock().unwrap_or_else(|e| e.into_inner()).push(target.to_string());
    if client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").await.is_err() {
        return;
    }
    match acceptor.accept(client).await {
        Ok(mut tls) => {
            stats.handshakes_ok.fetch_add(1, Ordering::SeqCst);
            let _ = tokio::io::copy_bidirectional(&mut tls, &mut upstream).await;
        }
        Err(e) => {
            stats.handshakes_failed.fetch_add(1, Ordering::SeqCst);
            *stats.last_failure.lock().unwrap_or_else(|e| e.into_inner()) = Some(e.to_string());
        }
    }
}

/// The request head up to its blank line, read a byte at a time so nothing after it (a
/// tunnelled TLS hello, a body) is consumed; `None` if the client closes first or the head
/// is too long.
async fn read_head(client: &mut TcpStream) -> Option<Vec<u8>> {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() >= MAX_HEAD {
            return None;
        }
        head.push(client.read_u8().await.ok()?);
    }
    Some(head)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::{ALICE_TOKEN, FakeServer, Fixture, WORLD};

    /// What a client that trusts `roots` (PEM) gets from the fake's hello endpoint
    /// through the proxy at its production URL: the status, or the error.
    fn hello_via(proxy: &MitmProxy, roots: Option<&[u8]>) -> Result<u16, String> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let mut builder = reqwest::Client::builder().no_proxy().proxy(reqwest::Proxy::https(proxy.url()).unwrap());
            if let Some(pem) = roots {
                builder = builder.tls_built_in_root_certs(false);
                builder = builder.add_root_certificate(reqwest::Certificate::from_pem(pem).unwrap());
            }
            let client = builder.build().unwrap();
            let answer = client.get("https://www.kaggle.com/api/v1/hello").bearer_auth(ALICE_TOKEN).send().await;
            answer.map(|r| r.status().as_u16()).map_err(|e| format!("{e:?}"))
        })
    }

    #[test]
    fn a_client_trusting_the_ca_reaches_the_fake_at_the_production_url() {
        let world = Fixture::parse(WORLD);
        let fake = FakeServer::start(&world.scenario.server, world.extras);
        let proxy = MitmProxy::start(fake.port());
        let ca = std::fs::read(ca_bundle()).unwrap();
        assert_eq!(hello_via(&proxy, Some(&ca)), Ok(200), "{}", proxy.summary());
        assert_eq!(proxy.handshakes_ok(), 1, "{}", proxy.summary());
        let hits = fake.hits();
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].target, "/api/v1/hello");
        assert_eq!(hits[0].user.as_deref(), Some("alice"));
        assert!(proxy.summary().contains("www.kaggle.com:443"), "{}", proxy.summary());
    }

    #[test]
    fn a_client_without_the_ca_fails_the_handshake_and_nothing_reaches_the_fake() {
        let world = Fixture::parse(WORLD);
        let fake = FakeServer::start(&world.scenario.server, world.extras);
        let proxy = MitmProxy::start(fake.port());
        // The built-in Mozilla roots only, as a client without the corporate bundle.
        let error = hello_via(&proxy, None).expect_err("an untrusted CA must fail");
        assert!(error.to_lowercase().contains("certificate"), "{error}");
        // (The proxy may record the failed handshake after the client has given up: only
        // the absence of a completed one is certain here.)
        assert_eq!(proxy.handshakes_ok(), 0, "{}", proxy.summary());
        assert!(fake.hits().is_empty(), "{:?}", fake.hits());
    }

    #[test]
    fn a_plain_proxy_request_is_forwarded_as_it_came() {
        let world = Fixture::parse(WORLD);
        let fake = FakeServer::start(&world.scenario.server, world.extras);
        let proxy = MitmProxy::start(fake.port());
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let status = runtime.block_on(async {
            let via = reqwest::Proxy::http(format!("http://127.0.0.1:{}", proxy.port())).unwrap();
            let client = reqwest::Client::builder().no_proxy().proxy(via);
            let answer = client.build().unwrap().get("http://www.kaggle.com/api/v1/hello").send().await;
            answer.map(|r| r.status().as_u16()).map_err(|e| e.to_string())
        });
        assert!(status.is_ok(), "{status:?} {}", proxy.summary());
        assert_eq!(fake.hits().len(), 1);
        assert_eq!(fake.hits()[0].target, "http://www.kaggle.com/api/v1/hello");
        assert_eq!(proxy.handshakes_ok() + proxy.handshakes_failed(), 0);
    }
}
