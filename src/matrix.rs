//! The matrix: one cell per (source, endpoint), the data every later stage reads.
//!
//! `plan` decides which cells need a request, `probe` fills them over HTTP, and
//! `client_model`, `diagnose` and `report` only read them. Keeping the types here, apart
//! from the HTTP code, means those stages do not depend on the network module, and `plan`
//! and `probe` do not depend on each other's internals.

use serde::Serialize;
use serde_json::Value;

use crate::discover::SourceId;
use crate::endpoints::EndpointId;
use crate::table::names;

names! {
    /// Which request a cell sent: the RPC of the kagglesdk clients, or the legacy REST
    /// call (`GET …/api/v1/competitions/list`, …) of kaggle 1.5–1.7 and kagglehub 0.3
    /// (docs/json.md).
    pub enum Form {
        /// `POST {root}/{service}/{method}` with a JSON body.
        Rpc = "rpc",
        /// The legacy REST request of the modelled client.
        Legacy = "legacy",
    }
}

names! {
    /// The classification of one cell (docs/json.md lists the spellings).
    pub enum Outcome {
        /// 2xx.
        Ok = "ok",
        /// 401.
        Unauthorized = "unauthorized",
        /// 403 (the server's message is kept).
        Forbidden = "forbidden",
        /// 404.
        NotFound = "not_found",
        /// 429.
        RateLimited = "rate_limited",
        /// 5xx, a status outside HTTP, a garbled or identity-less 2xx.
        ServerError = "server_error",
        /// Another HTTP status (400, 405…).
        HttpError = "http_error",
        /// DNS, connect or TLS failure, a redirect not followed, a proxy's 407 (the
        /// message says which).
        Network = "network",
        /// No answer within the per-probe timeout or the overall deadline.
        Timeout = "timeout",
        /// Not applicable (introspection of a legacy key).
        Skipped = "skipped",
        /// Not sent: the source is unusable, or the run is offline.
        NotProbed = "not_probed",
    }
}

impl Outcome {
    /// True when the request got no answer at all (connect, DNS, TLS, timeout).
    pub fn is_network(self) -> bool {
        matches!(self, Outcome::Network | Outcome::Timeout)
    }

    /// True when nothing was learned about the credential (network, timeout, 5xx, 429).
    pub fn is_inconclusive(self) -> bool {
        matches!(self, Outcome::RateLimited | Outcome::ServerError | Outcome::Network | Outcome::Timeout)
    }
}

/// One matrix cell, probed or decided.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Cell {
    /// Row.
    pub source: SourceId,
    /// Column.
    pub endpoint: EndpointId,
    /// Classification.
    pub outcome: Outcome,
    /// HTTP status, when the server answered.
    pub status: Option<u16>,
    /// Time from sending to the end of the answer.
    pub elapsed_ms: Option<u64>,
    /// The server's error message (secrets scrubbed), or why the cell was not probed.
    pub message: Option<String>,
    /// The `X-Kaggle-RequestId` header, if any.
    pub request_id: Option<String>,
    /// Parsed JSON answer of `whoami`, `introspect` and `competitions.list`, for identity
    /// and slug suggestions; never serialised.
    #[serde(skip)]
    pub answer: Option<Value>,
    /// What kind of network failure, when the outcome is `network` or `timeout`.
    #[serde(skip)]
    pub net: Option<Net>,
    /// The server's `Date` header (clock skew).
    #[serde(skip)]
    pub date: Option<String>,
    /// The server's `Retry-After` header (rate limiting).
    #[serde(skip)]
    pub retry_after: Option<String>,
    /// The request form: `rpc`, or `legacy` when the modelled client speaks legacy REST.
    pub form: Form,
    /// IntrospectToken only: the Authorization header was this other source's credential
    /// (the client's configured one), not the token being introspected.
    #[serde(skip)]
    pub header_from: Option<SourceId>,
}

impl Cell {
    /// A cell with `outcome` and nothing else known yet.
    pub fn new(source: SourceId, endpoint: EndpointId, outcome: Outcome) -> Cell {
        Cell {
            source,
            endpoint,
            outcome,
            status: None,
            elapsed_ms: None,
            message: None,
            request_id: None,
            answer: None,
            net: None,
            date: None,
            retry_after: None,
            form: Form::Rpc,
            header_from: None,
        }
    }

    /// The HTTP status, or the outcome's name when the server did not answer.
    pub fn status_text(&self) -> String {
        self.status.map_or_else(|| self.outcome.to_string(), |s| s.to_string())
    }
}

/// The kind of a network failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Net {
    /// The host name did not resolve.
    Dns,
    /// Nothing listens there (connection refused).
    Refused,
    /// TLS handshake or certificate failure.
    Tls,
    /// Another connect or transfer error (reset, unreachable, proxy…).
    Connect,
    /// No answer in time.
    Timeout,
    /// Not sent: the request could not be prepared (a CA file or proxy URL that the
    /// client cannot use either).
    Setup,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_print_as_json_spells_them() {
        for outcome in Outcome::ALL {
            let json = serde_json::to_value(outcome).unwrap();
            assert_eq!(json, outcome.to_string());
            assert!(outcome.as_str().chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{outcome}");
        }
        assert_eq!(Outcome::NotFound.to_string(), "not_found");
        assert_eq!(Outcome::NotProbed.to_string(), "not_probed");
    }
}
