//! Network settings the client takes from the environment: proxies and an extra CA
//! bundle, as requests honours them (docs/client-behaviour.md "The API root, proxies and
//! CA bundles").

use super::Env;
use super::files::{FileRead, read_bounded};

/// Proxies and CA bundle.
#[derive(Clone, Debug, Default)]
pub struct Network {
    /// `HTTPS_PROXY` / `https_proxy`.
    pub https_proxy: Option<String>,
    /// `HTTP_PROXY` / `http_proxy`.
    pub http_proxy: Option<String>,
    /// `NO_PROXY` / `no_proxy`.
    pub no_proxy: Option<String>,
    /// `KAGGLE_PROXY`: config `proxy`, used by kaggle 1.5/1.6 when the env dict is kept.
    pub kaggle_proxy: Option<String>,
    /// `REQUESTS_CA_BUNDLE` (else `CURL_CA_BUNDLE`): path, and its PEM or why not.
    pub ca_bundle: Option<CaFile>,
    /// `KAGGLE_SSL_CA_CERT`: config `ssl_ca_cert`, used by kaggle 1.5/1.6 when the env
    /// dict is kept.
    pub kaggle_ssl_ca_cert: Option<CaFile>,
    /// kaggle.json's `"ssl_ca_cert"`, read (kaggle 1.5/1.6 when the file is used).
    pub json_ssl_ca_cert: Option<CaFile>,
}

/// A CA file a client is told to verify TLS with: the path as given, and its PEM or why
/// it cannot be read.
pub type CaFile = (String, Result<Vec<u8>, String>);

/// How a client opens the CA file it is given.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum CaOpen {
    /// `requests` (kaggle 1.7+, kagglehub): the path as given, `~` not expanded; a
    /// directory is a directory of certificates under their hashed names (`c_rehash`).
    Requests,
    /// urllib3 as kaggle 1.5/1.6 call it: `~` expanded; a directory cannot be opened.
    Urllib3,
}

/// Reads the CA file at `path` (relative to the working directory) the way `how` opens it.
pub fn ca_file(env: &Env, path: &str, how: CaOpen) -> CaFile {
    let home = |rest: &str| env.in_home(rest).unwrap_or_else(|| env.resolve(path));
    let target = match (how, path.strip_prefix("~/")) {
        (CaOpen::Urllib3, Some(rest)) => home(rest),
        (CaOpen::Urllib3, None) if path == "~" => home(""),
        _ => env.resolve(path),
    };
    let pem = if how == CaOpen::Requests && target.is_dir() {
        hashed_certificates(&target)
    } else {
        match read_bounded(&target) {
            FileRead::Bytes(b) => Ok(b),
            FileRead::Missing => Err("does not exist".to_string()),
            FileRead::Problem(p) => Err(p),
            FileRead::Denied(r) => Err(r.words().to_string()),
        }
    };
    (path.to_string(), pem)
}

/// The certificates of a CA directory as OpenSSL looks them up: the files named by
/// subject hash (`5ed36f99.0`), each read bounded, at most 4096 of them.
fn hashed_certificates(dir: &std::path::Path) -> Result<Vec<u8>, String> {
    let hashed = |name: &str| {
        name.split_once('.').is_some_and(|(hash, n)| {
            hash.len() == 8
                && hash.bytes().all(|b| b.is_ascii_hexdigit())
                && !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit())
        })
    };
    let entries = std::fs::read_dir(dir).map_err(|e| format!("is a directory that cannot be read ({e})"))?;
    let mut pem = Vec::new();
    for entry in entries.flatten().take(4096) {
        if entry.file_name().to_str().is_some_and(hashed) {
            if let FileRead::Bytes(bytes) = read_bounded(&entry.path()) {
                pem.extend_from_slice(&bytes);
                pem.push(b'\n');
            }
        }
    }
    if pem.is_empty() {
        return Err("is a directory without certificates under hashed names (c_rehash)".into());
    }
    Ok(pem)
}

fn either(env: &Env, upper: &str, lower: &str) -> Option<String> {
    env.non_empty(upper).or_else(|| env.non_empty(lower)).map(str::to_string)
}

/// Reads the network settings from `env`.
pub fn network(env: &Env) -> Network {
    let ca_bundle = env.non_empty("REQUESTS_CA_BUNDLE").or_else(|| env.non_empty("CURL_CA_BUNDLE"));
    Network {
        https_proxy: either(env, "HTTPS_PROXY", "https_proxy"),
        http_proxy: either(env, "HTTP_PROXY", "http_proxy"),
        no_proxy: either(env, "NO_PROXY", "no_proxy"),
        kaggle_proxy: env.non_empty("KAGGLE_PROXY").map(str::to_string),
        ca_bundle: ca_bundle.map(|path| ca_file(env, path, CaOpen::Requests)),
        kaggle_ssl_ca_cert: env.non_empty("KAGGLE_SSL_CA_CERT").map(|path| ca_file(env, path, CaOpen::Urllib3)),
        json_ssl_ca_cert: None,
    }
}
