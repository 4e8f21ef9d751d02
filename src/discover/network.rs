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
    pub ca_bundle: Option<(String, Result<Vec<u8>, String>)>,
}

fn either(env: &Env, upper: &str, lower: &str) -> Option<String> {
    env.non_empty(upper).or_else(|| env.non_empty(lower)).map(str::to_string)
}

/// Reads the network settings from `env`.
pub fn network(env: &Env) -> Network {
    let ca_bundle = env.non_empty("REQUESTS_CA_BUNDLE").or_else(|| env.non_empty("CURL_CA_BUNDLE")).map(|path| {
        let pem = match read_bounded(&env.resolve(path)) {
            FileRead::Bytes(b) => Ok(b),
            FileRead::Missing => Err("does not exist".to_string()),
            FileRead::Problem(p) => Err(p),
            FileRead::Denied(r) => Err(r.words().to_string()),
        };
        (path.to_string(), pem)
    });
    Network {
        https_proxy: either(env, "HTTPS_PROXY", "https_proxy"),
        http_proxy: either(env, "HTTP_PROXY", "http_proxy"),
        no_proxy: either(env, "NO_PROXY", "no_proxy"),
        kaggle_proxy: env.non_empty("KAGGLE_PROXY").map(str::to_string),
        ca_bundle,
    }
}
