//! OAuth credentials from `kaggle auth login`: `~/.kaggle/credentials.json`, always under
//! `$HOME` (docs/client-behaviour.md "OAuth credentials that the client refreshes first").
//! The doctor probes the stored access token; when the client would refresh it first, the
//! row says so, and only `--oauth-refresh` asks for the token the client would mint. Nothing is ever written (the client rewrites the file).

use serde_json::Value;

use super::files::{FileRead, read_bounded, type_name};
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
    let bytes = match read_bounded(&path) {
        FileRead::Missing => return,
        FileRead::Problem(p) => return d.sources.push(unusable(format!("credentials.json {p}").into())),
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
    let expiration = text("access_token_expiration").map(|t| (t, parse_timestamp(t)));
    d.oauth_expiry = expiration.and_then(|(_, parsed)| parsed);
    // The client's rule, sign bug included: fresh until 30 minutes *after* expiry
    // (docs/findings.md `oauth-expiry-bug`).
    // An empty access token or expiration means "refresh" before anything is compared.
    d.oauth_fresh = Some(match (&expiration, access) {
        (Some((_, Some((exp, true)))), Some(_)) => *exp >= d.now - 30 * 60,
        _ => false,
    });
    let crash = match (expiration, access) {
        // `datetime.fromisoformat` raises when the file is loaded, before anything else.
        (Some((_, None)), _) => Some(ClientCrash::InvalidExpiry),
        // Comparing a naive datetime with an aware one raises (`oauth-expiry-bug`).
        (Some((_, Some((_, false)))), Some(_)) => Some(ClientCrash::NaiveExpiry),
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
}
