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

/// Reads the CA file at `path` (relative to the working directory, `~` not expanded: as
/// the client opens it).
pub fn ca_file(env: &Env, path: &str) -> CaFile {
    let pem = match read_bounded(&env.resolve(path)) {
        FileRead::Bytes(b) => Ok(b),
        FileRead::Missing => Err("does not exist".to_string()),
        FileRead::Problem(p) => Err(p),
        FileRead::Denied(r) => Err(r.words().to_string()),
    };
    (path.to_string(), pem)
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
        ca_bundle: ca_bundle.map(|path| ca_file(env, path)),
        kaggle_ssl_ca_cert: env.non_empty("KAGGLE_SSL_CA_CERT").map(|path| ca_file(env, path)),
        json_ssl_ca_cert: None,
    }
}
