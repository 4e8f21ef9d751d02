//! OAuth credentials from `kaggle auth login`: `~/.kaggle/credentials.json`, always under
//! `$HOME` (spec §3.5). The doctor probes the stored access token and never refreshes it:
//! a refresh mints a new token and rewrites the file.

use serde_json::Value;

use super::files::{FileRead, read_bounded, type_name};
use super::tokens::header_safe_token;
use super::{ClientCrash, Discovery, Env, Kind, Reason, Source, SourceId};
use crate::secret::Secret;

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
    if text("refresh_token").is_none() {
        return d.sources.push(unusable(Reason::OauthWithoutRefreshToken));
    }
    let expiration = text("access_token_expiration").map(parse_timestamp);
    d.oauth_expiry = expiration.flatten();
    // The client's rule, sign bug included: fresh until 30 minutes *after* expiry (B14).
    d.oauth_fresh = Some(match (&expiration, text("access_token")) {
        (Some(Some((exp, true))), Some(_)) => *exp >= d.now - 30 * 60,
        _ => false,
    });
    let naive = matches!(expiration, Some(Some((_, false))));
    let Some(access) = text("access_token") else {
        let why = "credentials.json holds no access token; the client would mint one with the refresh token, which the doctor never does";
        return d.sources.push(unusable(why.into()));
    };
    let mut source = header_safe_token(id, origin.clone(), Secret::new(access), "credentials.json access_token");
    source.kind = Kind::Oauth;
    source.username = text("username").map(str::to_string);
    if naive {
        // Comparing a naive datetime with an aware one raises (spec §3.5).
        source.client_crash = Some(ClientCrash::NaiveExpiry);
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
