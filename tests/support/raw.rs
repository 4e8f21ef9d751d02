//! A raw HTTP/1.1 server on 127.0.0.1 for answers no well-behaved server gives: echoes
//! of every credential in every encoding, garbled status lines, floods of `100 Continue`,
//! thousands of headers, odd statuses and redirects. The handler returns the exact bytes
//! to send; the connection is closed after each answer.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// One request as received.
#[derive(Clone, Debug, Default)]
pub struct RawRequest {
    /// `POST /v1/... HTTP/1.1` (absolute-form when sent to a proxy).
    pub line: String,
    /// Header names (lower-cased) and values.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl RawRequest {
    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }
}

/// How many recent requests the handler sees.
const RECENT: usize = 64;

type Handler = dyn Fn(&RawRequest, &[RawRequest]) -> Vec<u8> + Send + Sync;

/// The server; stops accepting when dropped.
pub struct RawServer {
    port: u16,
    stop: Arc<AtomicBool>,
    /// Every request so far (the handler sees the earlier ones: "recent callers").
    pub seen: Arc<Mutex<Vec<RawRequest>>>,
}

impl RawServer {
    /// Serves `handler(request, the recent requests)` on a free loopback port.
    pub fn start(handler: impl Fn(&RawRequest, &[RawRequest]) -> Vec<u8> + Send + Sync + 'static) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let seen: Arc<Mutex<Vec<RawRequest>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let (stop2, seen2) = (stop.clone(), seen.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (handler, seen) = (handler.clone(), seen2.clone());
                std::thread::spawn(move || serve(stream, &*handler, &seen));
            }
        });
        RawServer { port, stop, seen }
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// An API root on this server.
    pub fn root(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve(stream: TcpStream, handler: &Handler, seen: &Mutex<Vec<RawRequest>>) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    let mut request = RawRequest::default();
    if reader.read_line(&mut request.line).unwrap_or(0) == 0 {
        return;
    }
    request.line = request.line.trim_end().to_string();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim_end().is_empty() {
            break;
        }
        if let Some((name, value)) = line.trim_end().split_once(':') {
            request.headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let length = request.header("content-length").and_then(|l| l.parse::<usize>().ok()).unwrap_or(0);
    request.body = vec![0; length.min(1 << 20)];
    let _ = reader.read_exact(&mut request.body);
    let earlier = {
        let mut all = seen.lock().unwrap_or_else(|e| e.into_inner());
        all.push(request.clone());
        all[all.len().saturating_sub(RECENT)..].to_vec()
    };
    let answer = handler(&request, &earlier);
    let mut stream = stream;
    let _ = stream.write_all(&answer);
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// An HTTP/1.1 answer with `status`, extra header lines and a body.
pub fn answer(status: &str, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(body);
    out.into_bytes()
}
