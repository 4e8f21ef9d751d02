//! OAuth credentials from `kaggle auth login`: `~/.kaggle/credentials.json`, always under
//! `$HOME` (docs/client-behaviour.md "OAuth credentials that the client refreshes first").
//! The doctor probes the stored access token; when the client would refresh it first, the
//! row says so, and only `--oauth-refresh` asks for the token the client would mint. Nothing is ever written (the client rewrites the file).

use serde_json::Value;

use super::files::{FileRead, Refusal, read_bounded, type_name};
use super::tokens::header_safe_token;
use super::{ClientCrash, Discovery, Env, Kind, Reason, Source, SourceId};
use crate::secret::Secret;

/// The credentials.json row's note when the client refreshes before any call.
const REFRESHES_FIRST: &str = "the access token here is stale by the client's own rule: the client refreshes it first and sends a newly minted token instead (this row probes the stored one; --oauth-refresh probes the minted one)";

pub(super) fn credentials_json(env: &Env, d: &mut Discovery) {
    let id = SourceId::FileCredentialsJson;
    let Some(path) = env.in_home(".kaggle/credentials.json") else { return };
    let origin = env.display(&path);
    d.looked_in.push(origin.clone());
    let unusable = |why: Reason| Source::unusable(id, Kind::Oauth, origin.clone(), why);
    // kagglesdk asks `os.path.exists` (false behind a refusal on the way), then `open`s it
    // without catching anything but bad JSON: a directory or a refusal there crashes.
    let crashing = |reason: Reason, crash: ClientCrash| {
        let mut source = unusable(reason);
        source.client_crash = Some(crash);
        source
    };
    let bytes = match read_bounded(&path) {
        FileRead::Missing | FileRead::Denied(Refusal::OnTheWay) => return,
        FileRead::Problem(p) if path.is_dir() => {
            let why = Reason::Directory(format!("credentials.json {p}"));
            return d.sources.push(crashing(why, ClientCrash::FileIsDirectory));
        }
        FileRead::Problem(p) => return d.sources.push(unusable(format!("credentials.json {p}").into())),
        FileRead::Denied(Refusal::File) => {
            let why = Reason::Denied(format!("credentials.json {}", Refusal::File.words()));
            return d.sources.push(crashing(why, ClientCrash::PermissionDenied));
        }
        FileRead::Bytes(b) => b,
    };
    let value: Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            return d.sources.push(unusable(Reason::OauthInvalidJson { line: e.line(), column: e.column() }));
        }
    };
    let Value::Object(map) = value else {
        return d.sources.push(unusable(format!("credentials.json is {}, not an object", type_name(&value)).into()));
    };
    let text = |k: &str| map.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    let Some(refresh) = text("refresh_token") else {
        return d.sources.push(unusable(Reason::OauthWithoutRefreshToken));
    };
    d.oauth_refresh_token = Some(Secret::new(refresh));
    d.unsent_secrets.push(Secret::new(refresh));
    let access = text("access_token");
    let expiry = expiry_field(map.get("access_token_expiration"));
    d.oauth_expiry = match expiry {
        Expiry::Parsed(unix, aware) => Some((unix, aware)),
        Expiry::Unset | Expiry::Unreadable(_) => None,
    };
    // The client's rule, sign bug included: fresh until 30 minutes *after* expiry
    // (docs/findings.md `oauth-expiry-bug`).
    // No access token, or no expiry, means "refresh" before anything is compared.
    d.oauth_fresh = Some(match (expiry, access) {
        (Expiry::Parsed(exp, true), Some(_)) => exp >= d.now.saturating_sub(30 * 60),
        _ => false,
    });
    let crash = match (expiry, access) {
        // `datetime.fromisoformat` raises when the file is loaded, before anything else.
        (Expiry::Unreadable(crash), _) => Some(crash),
        // Comparing a naive datetime with an aware one raises (`oauth-expiry-bug`); without an
        // access token the comparison is never reached.
        (Expiry::Parsed(_, false), Some(_)) => Some(ClientCrash::NaiveExpiry),
        _ => None,
    };
    let Some(access) = access else {
        let why = "credentials.json holds no access token: the client mints one with the refresh token before any call (the doctor does that only with --oauth-refresh)";
        let mut source = unusable(why.into());
        source.client_crash = crash;
        return d.sources.push(source);
    };
    let mut source = header_safe_token(id, origin.clone(), Secret::new(access), "credentials.json access_token");
    source.kind = Kind::Oauth;
    source.username = text("username").map(str::to_string);
    source.client_crash = source.client_crash.or(crash);
    if d.oauth_fresh == Some(false) && source.client_crash.is_none() {
        source.client_note = Some(REFRESHES_FIRST.into());
    }
    d.sources.push(source);
}

/// `access_token_expiration` as the client loads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expiry {
    /// Absent or falsy to Python (`null`, `""`, `0`, `false`, `[]`, `{}`): "no expiry",
    /// so the client refreshes first.
    Unset,
    /// Unix seconds, and whether it carried a UTC offset.
    Parsed(i64, bool),
    /// `fromisoformat` raises on it when the file is loaded.
    Unreadable(ClientCrash),
}

/// Python's truthiness decides whether the value is parsed at all (`if expiration:`), and
/// `fromisoformat` takes only text: any other truthy value raises TypeError.
fn expiry_field(value: Option<&Value>) -> Expiry {
    match value {
        None | Some(Value::Null | Value::Bool(false)) => Expiry::Unset,
        Some(Value::String(s)) if s.is_empty() => Expiry::Unset,
        Some(Value::Number(n)) if n.as_f64() == Some(0.0) => Expiry::Unset,
        Some(Value::Array(a)) if a.is_empty() => Expiry::Unset,
        Some(Value::Object(o)) if o.is_empty() => Expiry::Unset,
        Some(Value::String(s)) => match parse_timestamp(s) {
            Some((unix, aware)) => Expiry::Parsed(unix, aware),
            None => Expiry::Unreadable(ClientCrash::InvalidExpiry),
        },
        Some(_) => Expiry::Unreadable(ClientCrash::ExpiryNotText),
    }
}

/// The expiry as the client reads it (docs/client-behaviour.md): seconds since the epoch,
/// and whether it carried a UTC offset. `None` if Python would reject it.
fn parse_timestamp(text: &str) -> Option<(i64, bool)> {
    let parsed = crate::timestamp::parse_isoformat(text).ok()?;
    Some((parsed.unix_assuming_utc(), parsed.is_aware()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_iso_timestamps_with_and_without_offsets() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:00+00:00"), Some((0, true)));
        assert_eq!(parse_timestamp("2026-11-28T03:00:00Z"), Some((1_795_834_800, true)));
        assert_eq!(parse_timestamp("2026-11-28T04:00:00.123+01:00"), Some((1_795_834_800, true)));
        assert_eq!(parse_timestamp("2026-11-28T04:00:00+0100"), Some((1_795_834_800, true)));
        assert_eq!(parse_timestamp("2026-11-28T03:00:00"), Some((1_795_834_800, false)));
        assert_eq!(parse_timestamp("2026-11-28"), Some((1_795_824_000, false)));
        assert_eq!(parse_timestamp("soon"), None);
    }

    #[test]
    fn expiries_are_parsed_only_when_python_finds_them_truthy() {
        let field = |json: &str| expiry_field(Some(&serde_json::from_str(json).unwrap()));
        for unset in ["null", "false", "0", "0.0", "\"\"", "[]", "{}"] {
            assert_eq!(field(unset), Expiry::Unset, "{unset}");
        }
        assert_eq!(expiry_field(None), Expiry::Unset);
        for not_text in ["1", "-1", "1.5e300", "true", "[1]", "{\"a\": 1}"] {
            assert_eq!(field(not_text), Expiry::Unreadable(ClientCrash::ExpiryNotText), "{not_text}");
        }
        assert_eq!(field("\" \""), Expiry::Unreadable(ClientCrash::InvalidExpiry));
        assert_eq!(field("\"1970-01-01T00:00:00Z\""), Expiry::Parsed(0, true));
    }
}
