//! A matrix cell's short label (`ok`, `401`, `inact`, `t/o`…), shared by the text and
//! Markdown matrices and the JUnit cases. It is a type so that renderers colour, mark and
//! explain a cell by what it says, never by reading its words back.

use std::fmt;

use super::Report;
use crate::discover::TokenState;
use crate::endpoints::EndpointId;
use crate::matrix::{Cell, Outcome};

/// What a cell says, in the order the legend lists it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Label {
    /// A 2xx.
    Ok,
    /// Introspection answered, and called the token not active (revoked or never valid).
    TokenInactive,
    /// Introspection answered, and called the token expired.
    TokenExpired,
    /// 401.
    Unauthorized,
    /// 403.
    Forbidden,
    /// 404.
    NotFound,
    /// 429.
    RateLimited,
    /// A 5xx, with its status.
    ServerError(u16),
    /// A server failure without a 5xx: a garbled answer, or a 2xx without an identity.
    Garbled,
    /// DNS, connect, TLS, proxy.
    Network,
    /// No answer in time.
    Timeout,
    /// Not applicable.
    Skipped,
    /// Not probed (unusable source, or offline).
    NotProbed,
    /// Any other HTTP answer, with its status when there was one.
    OtherHttp(Option<u16>),
}

impl Label {
    /// The label of `cell`. An introspection that answered 200 but called the token not
    /// active is labelled by the token's state, never `ok`.
    pub fn of(r: &Report, cell: &Cell) -> Label {
        match cell.outcome {
            Outcome::Ok if cell.endpoint == EndpointId::Introspect => match r.token_state(cell.source) {
                Some(TokenState::Inactive) => Label::TokenInactive,
                Some(TokenState::Expired) => Label::TokenExpired,
                _ => Label::Ok,
            },
            Outcome::Ok => Label::Ok,
            Outcome::Unauthorized => Label::Unauthorized,
            Outcome::Forbidden => Label::Forbidden,
            Outcome::NotFound => Label::NotFound,
            Outcome::RateLimited => Label::RateLimited,
            // A garbled or identity-less 2xx is a server failure: never shown as a 200.
            Outcome::ServerError => {
                cell.status.filter(|s| (500..600).contains(s)).map_or(Label::Garbled, Label::ServerError)
            }
            Outcome::HttpError => Label::OtherHttp(cell.status),
            Outcome::Network => Label::Network,
            Outcome::Timeout => Label::Timeout,
            Outcome::Skipped => Label::Skipped,
            Outcome::NotProbed => Label::NotProbed,
        }
    }

    /// True when the token answered 200 to introspection but is not usable: a failure
    /// although the call succeeded.
    pub fn token_not_active(self) -> bool {
        matches!(self, Label::TokenInactive | Label::TokenExpired)
    }

    /// True when the credential is refused or dead here.
    pub fn is_refusal(self) -> bool {
        self.token_not_active() || matches!(self, Label::Unauthorized | Label::Forbidden)
    }

    /// Its legend entry.
    fn explained(self) -> &'static str {
        match self {
            Label::Ok => "ok = 2xx",
            Label::TokenInactive => "inact = token not active (revoked)",
            Label::TokenExpired => "exp = token expired",
            Label::Unauthorized => "401 = unauthorized",
            Label::Forbidden => "403 = forbidden",
            Label::NotFound => "404 = not found",
            Label::RateLimited => "429 = rate limited",
            Label::ServerError(_) => "5xx = server error",
            Label::Garbled => "bad = a garbled answer, or a success without an identity",
            Label::Network => "net = network error",
            Label::Timeout => "t/o = timeout",
            Label::Skipped => "- = not applicable",
            Label::NotProbed => "· = not probed",
            Label::OtherHttp(_) => "4nn/err = another HTTP answer",
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Label::Ok => f.write_str("ok"),
            Label::TokenInactive => f.write_str("inact"),
            Label::TokenExpired => f.write_str("exp"),
            Label::Unauthorized => f.write_str("401"),
            Label::Forbidden => f.write_str("403"),
            Label::NotFound => f.write_str("404"),
            Label::RateLimited => f.write_str("429"),
            Label::ServerError(status) | Label::OtherHttp(Some(status)) => write!(f, "{status}"),
            Label::Garbled => f.write_str("bad"),
            Label::Network => f.write_str("net"),
            Label::Timeout => f.write_str("t/o"),
            Label::Skipped => f.write_str("-"),
            Label::NotProbed => f.write_str("·"),
            Label::OtherHttp(None) => f.write_str("err"),
        }
    }
}

/// The legend entries for the labels in use, in legend order, each once.
pub fn legend(used: impl IntoIterator<Item = Label>) -> Vec<&'static str> {
    let mut used: Vec<Label> = used.into_iter().collect();
    used.sort();
    let mut entries: Vec<&'static str> = used.into_iter().map(Label::explained).collect();
    entries.dedup();
    entries
}

/// The headline of "what the official client sends", shared by the text and Markdown
/// reports; `code` marks an id or a fingerprint as each format does. A client that stops,
/// or none of whose requests reach Kaggle, sends nothing, whatever it selected.
pub fn sent_headline(e: &crate::client_model::Effective, code: impl Fn(&str) -> String) -> String {
    use crate::client_model::Auth;
    let credential = |id: crate::discover::SourceId| {
        let how = if e.auth == Auth::Bearer { "Bearer" } else { "Basic" };
        let fp = e.fingerprint.as_ref().map_or(String::new(), |f| format!(", {}", code(&f.to_string())));
        format!("{} ({how}{fp})", code(id.as_str()))
    };
    match (e.client_stops, e.auth, e.source) {
        (true, Auth::None, _) | (true, _, None) => "nothing: the client stops before any request".into(),
        (true, _, Some(id)) => format!("nothing reaches Kaggle (its requests would carry {})", credential(id)),
        (false, Auth::None, _) => "nothing (no Authorization header)".into(),
        (false, _, Some(id)) => credential(id),
        (false, _, None) => "an unidentified credential".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_legend_lists_each_meaning_once_in_order() {
        let used = [Label::OtherHttp(None), Label::ServerError(503), Label::Ok, Label::ServerError(500), Label::Ok];
        assert_eq!(legend(used), ["ok = 2xx", "5xx = server error", "4nn/err = another HTTP answer"]);
    }

    #[test]
    fn labels_read_as_before() {
        assert_eq!(Label::ServerError(502).to_string(), "502");
        assert_eq!(Label::OtherHttp(Some(418)).to_string(), "418");
        assert_eq!(Label::OtherHttp(None).to_string(), "err");
        assert!(Label::TokenExpired.is_refusal() && Label::TokenExpired.token_not_active());
        assert!(Label::Forbidden.is_refusal() && !Label::Forbidden.token_not_active());
        assert!(!Label::NotFound.is_refusal());
    }
}
