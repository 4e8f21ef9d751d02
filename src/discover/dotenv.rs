//! `./.env`: the client never reads it, but python-dotenv users expect it to work
//! (failure mode FM-11). Its `KAGGLE_*` values are probed as one more source, so the
//! report shows whether they would work if they reached the environment.

use super::files::{FileRead, read_bounded};
use super::tokens::header_safe_token;
use super::{Discovery, Env, Kind, Source, SourceId};
use crate::secret::{Credential, Secret};

pub(super) fn dotenv(env: &Env, d: &mut Discovery) {
    let id = SourceId::DotEnv;
    let path = env.cwd.join(".env");
    let origin = "./.env (not read by the kaggle client)".to_string();
    let bytes = match read_bounded(&path) {
        FileRead::Missing => return,
        FileRead::Problem(p) => return d.sources.push(Source::unusable(id, Kind::Token, origin, format!(".env {p}"))),
        FileRead::Bytes(b) => b,
    };
    let text = String::from_utf8_lossy(&bytes);
    let vars = parse(&text);
    let get = |name: &str| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty());
    if let Some(token) = get("KAGGLE_API_TOKEN") {
        return d.sources.push(header_safe_token(id, origin, Secret::new(token), ".env KAGGLE_API_TOKEN"));
    }
    if let (Some(u), Some(k)) = (get("KAGGLE_USERNAME"), get("KAGGLE_KEY")) {
        let credential = Credential::Basic { username: u.to_string(), key: Secret::new(k) };
        return d.sources.push(Source::usable(id, Kind::KeyPair, origin, credential));
    }
    if vars.iter().any(|(k, _)| k.starts_with("KAGGLE_")) {
        let why = ".env sets KAGGLE_* variables but no complete credential (KAGGLE_API_TOKEN, or KAGGLE_USERNAME and KAGGLE_KEY)";
        d.sources.push(Source::unusable(id, Kind::KeyPair, origin, why));
    }
}

/// `KEY=VALUE` lines as python-dotenv reads them: `export ` prefix, `#` comments,
/// single or double quotes around the value.
fn parse(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            let line = line.strip_prefix("export ").unwrap_or(line);
            if line.starts_with('#') {
                return None;
            }
            let (key, value) = line.split_once('=')?;
            Some((key.trim().to_string(), unquote(value.trim())))
        })
        .collect()
}

fn unquote(value: &str) -> String {
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner.to_string();
        }
    }
    // An unquoted value ends at an inline comment.
    value.split(" #").next().unwrap_or(value).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exports_quotes_and_comments() {
        let vars = parse("# c\nexport KAGGLE_USERNAME=\"alice\"\nKAGGLE_KEY='k1' \nX=y # note\n");
        assert_eq!(
            vars,
            vec![
                ("KAGGLE_USERNAME".into(), "alice".into()),
                ("KAGGLE_KEY".into(), "k1".into()),
                ("X".into(), "y".into())
            ]
        );
    }
}
