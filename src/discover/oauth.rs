//! OAuth credentials from `kaggle auth login`: `~/.kaggle/credentials.json`, always under
//! `$HOME` (spec §3.5). The doctor probes the stored access token and never refreshes it:
//! a refresh mints a new token and rewrites the file.

use serde_json::Value;

use super::files::{FileRead, read_bounded, type_name};
use super::tokens::header_safe_token;
use super::{Discovery, Env, Kind, Source, SourceId};
use crate::secret::Secret;

pub(super) fn credentials_json(env: &Env, d: &mut Discovery) {
    let id = SourceId::FileCredentialsJson;
    let Some(path) = env.in_home(".kaggle/credentials.json") else { return };
    let origin = env.display(&path);
    d.looked_in.push(origin.clone());
    let unusable = |why: String| Source::unusable(id, Kind::Oauth, origin.clone(), why);
    let bytes = match read_bounded(&path) {
        FileRead::Missing => return,
        FileRead::Problem(p) => return d.sources.push(unusable(format!("credentials.json {p}"))),
        FileRead::Bytes(b) => b,
    };
    let value: Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            let why = format!(
                "credentials.json: invalid JSON at line {} column {} (the client ignores it)",
                e.line(),
                e.column()
            );
            return d.sources.push(unusable(why));
        }
    };
    let Value::Object(map) = value else {
        return d.sources.push(unusable(format!("credentials.json is {}, not an object", type_name(&value))));
    };
    let text = |k: &str| map.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    if text("refresh_token").is_none() {
        return d.sources.push(unusable("credentials.json has no refresh_token: the client ignores it".into()));
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
        source.client_crash = Some(
            "TypeError: can't compare offset-naive and offset-aware datetimes (access_token_expiration has no UTC offset)",
        );
    }
    d.sources.push(source);
}

/// An ISO-8601 timestamp as Python's `datetime.fromisoformat` reads it: seconds since
/// the epoch, and whether it carried a UTC offset (`Z` or `±HH:MM`). `None` if unreadable.
fn parse_timestamp(text: &str) -> Option<(i64, bool)> {
    let (date, time) = text.trim().split_once(['T', ' '])?;
    let mut ymd = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (ymd.next()??, ymd.next()??, ymd.next()??);
    let (clock, offset) = match time.find(['Z', 'z', '+']).or_else(|| time.rfind('-')) {
        Some(i) => (&time[..i], Some(&time[i..])),
        None => (time, None),
    };
    let mut hms = clock.split(':').map(|p| p.split('.').next().and_then(|p| p.parse::<i64>().ok()));
    let (h, mi, s) = (hms.next()??, hms.next().flatten().unwrap_or(0), hms.next().flatten().unwrap_or(0));
    let offset_secs = match offset {
        None => 0,
        Some("Z" | "z") => 0,
        Some(o) => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let mut parts = o[1..].split(':').map(|p| p.parse::<i64>().ok());
            sign * (parts.next()?? * 3600 + parts.next().flatten().unwrap_or(0) * 60)
        }
    };
    let days = crate::httpdate::days_from_civil(y, m, d);
    Some((days * 86_400 + h * 3600 + mi * 60 + s - offset_secs, offset.is_some()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_iso_timestamps_with_and_without_offsets() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:00+00:00"), Some((0, true)));
        assert_eq!(parse_timestamp("2026-11-28T03:00:00Z"), Some((1_795_834_800, true)));
        assert_eq!(parse_timestamp("2026-11-28T04:00:00.123+01:00"), Some((1_795_834_800, true)));
        assert_eq!(parse_timestamp("2026-11-28T03:00:00"), Some((1_795_834_800, false)));
        assert_eq!(parse_timestamp("soon"), None);
    }
}
