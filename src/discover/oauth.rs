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
    let Some(access) = text("access_token") else {
        let why = "credentials.json holds no access token; the client would mint one with the refresh token, which the doctor never does";
        return d.sources.push(unusable(why.into()));
    };
    let mut source = header_safe_token(id, origin.clone(), Secret::new(access), "credentials.json access_token");
    source.kind = Kind::Oauth;
    source.username = text("username").map(str::to_string);
    d.sources.push(source);
}
