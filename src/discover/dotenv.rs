//! `./.env`: the client never reads it, but python-dotenv users expect it to work
//! (docs/findings.md `dotenv-not-loaded`). Its `KAGGLE_*` values are probed as one more
//! source, so the report shows whether they would work if they reached the environment.

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
        FileRead::Denied(r) => {
            return d.sources.push(Source::unusable(id, Kind::Token, origin, format!(".env {}", r.words())));
        }
        FileRead::Bytes(b) => b,
    };
    let text = String::from_utf8_lossy(&bytes);
    let vars = parse(&text);
    let get = |name: &str| vars.iter().rfind(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty());
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

/// `KEY=VALUE` bindings as python-dotenv (1.x, `dotenv/parser.py`) reads them: an
/// optional `export `, quoted or unquoted keys, single- or double-quoted values (with
/// their escapes, spanning lines), unquoted values cut at ` #`, a comment after a quoted
/// value (`KEY="v" # note` is `v`), and a line with anything else after its value
/// dropped as an error. A later binding wins. (`${VAR}` interpolation is not done.)
fn parse(text: &str) -> Vec<(String, String)> {
    let mut r = Reader { rest: text.strip_prefix('\u{feff}').unwrap_or(text) };
    let mut out: Vec<(String, String)> = Vec::new();
    loop {
        r.rest = r.rest.trim_start();
        if r.rest.is_empty() {
            break;
        }
        let line_start = r.rest;
        match binding(&mut r) {
            Some((key, Some(value))) => {
                out.retain(|(k, _)| *k != key);
                out.push((key, value));
            }
            Some((_, None)) => {}
            None => {
                // An error: python-dotenv skips the rest of the line.
                r.rest = line_start;
                r.rest_of_line();
            }
        }
    }
    out
}

struct Reader<'a> {
    rest: &'a str,
}

impl Reader<'_> {
    fn peek(&self) -> Option<char> {
        self.rest.chars().next()
    }
    /// Horizontal whitespace (not line breaks); returns how many bytes.
    fn spaces(&mut self) -> usize {
        let n =
            self.rest.len() - self.rest.trim_start_matches(|c: char| c.is_whitespace() && c != '\n' && c != '\r').len();
        self.rest = &self.rest[n..];
        n
    }
    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &str {
        let n = self.rest.find(|c: char| !keep(c)).unwrap_or(self.rest.len());
        let (taken, rest) = self.rest.split_at(n);
        self.rest = rest;
        taken
    }
    fn rest_of_line(&mut self) {
        self.take_while(|c| c != '\n' && c != '\r');
        self.rest =
            self.rest.strip_prefix("\r\n").or_else(|| self.rest.strip_prefix(['\n', '\r'])).unwrap_or(self.rest);
    }
    /// A quoted string after its opening quote, up to the closing one; backslash escapes
    /// are kept raw here.
    fn quoted(&mut self, quote: char) -> Option<String> {
        let mut chars = self.rest.char_indices();
        while let Some((i, c)) = chars.next() {
            if c == '\\' {
                chars.next()?;
            } else if c == quote {
                let inner = self.rest[..i].to_string();
                self.rest = &self.rest[i + 1..];
                return Some(inner);
            }
        }
        None
    }
}

/// One binding: `Some((key, value))` (value `None` when there is no `=`), `None` on a
/// syntax error, or `Some` with an empty key for a comment line.
fn binding(r: &mut Reader) -> Option<(String, Option<String>)> {
    if let Some(after) = r.rest.strip_prefix("export") {
        if after.starts_with([' ', '\t']) {
            r.rest = after;
            r.spaces();
        }
    }
    let key = match r.peek() {
        Some('#') => {
            r.rest_of_line();
            return Some((String::new(), None));
        }
        Some('\'') => {
            r.rest = &r.rest[1..];
            let key = r.take_while(|c| c != '\'').to_string();
            r.rest = r.rest.strip_prefix('\'')?;
            key
        }
        _ => r.take_while(|c| c != '=' && c != '#' && !c.is_whitespace()).to_string(),
    };
    if key.is_empty() {
        return None;
    }
    r.spaces();
    let value = match r.rest.strip_prefix('=') {
        None => None,
        Some(after) => {
            r.rest = after;
            let spaced = r.spaces() > 0;
            Some(if spaced && r.peek() == Some('#') { String::new() } else { value(r)? })
        }
    };
    // An optional comment, then the end of the line; anything else is an error.
    r.spaces();
    if r.peek() == Some('#') {
        r.take_while(|c| c != '\n' && c != '\r');
    }
    match r.peek() {
        None | Some('\n' | '\r') => {
            r.rest_of_line();
            Some((key, value))
        }
        _ => None,
    }
}

fn value(r: &mut Reader) -> Option<String> {
    match r.peek() {
        Some(q @ ('\'' | '"')) => {
            r.rest = &r.rest[1..];
            let raw = r.quoted(q)?;
            Some(unescape(&raw, q == '"'))
        }
        None | Some('\n' | '\r') => Some(String::new()),
        Some(_) => {
            let line = r.take_while(|c| c != '\n' && c != '\r');
            // `re.sub(r"\s+#.*", "", part).rstrip()`
            let cut = line.char_indices().find(|&(i, c)| c == '#' && line[..i].ends_with(char::is_whitespace));
            let value = cut.map_or(line, |(i, _)| &line[..i]);
            Some(value.trim_end().to_string())
        }
    }
}

/// The escapes python-dotenv decodes: `\\` `\'` in single quotes; those and `\"` `\a`
/// `\b` `\f` `\n` `\r` `\t` `\v` in double quotes. Others stay as written.
fn unescape(raw: &str, double: bool) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(next) = chars.next() else {
            out.push(c);
            break;
        };
        let decoded = match (next, double) {
            ('\\', _) => Some('\\'),
            ('\'', _) => Some('\''),
            ('"', true) => Some('"'),
            ('a', true) => Some('\u{7}'),
            ('b', true) => Some('\u{8}'),
            ('f', true) => Some('\u{c}'),
            ('n', true) => Some('\n'),
            ('r', true) => Some('\r'),
            ('t', true) => Some('\t'),
            ('v', true) => Some('\u{b}'),
            _ => None,
        };
        match decoded {
            Some(d) => out.push(d),
            None => {
                out.push('\\');
                out.push(next);
            }
        }
    }
    out
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

    /// Each line and the value python-dotenv 1.2 gives it (`dotenv_values`), checked
    /// against the released parser.
    #[test]
    fn values_are_read_like_python_dotenv() {
        let get = |text: &str| parse(text).into_iter().find(|(k, _)| k == "K").map(|(_, v)| v);
        for (line, value) in [
            ("K=\"v\" # comment", Some("v")),
            ("K='v' # comment", Some("v")),
            ("K=\"v\"# comment", Some("v")),
            ("K=v # comment", Some("v")),
            ("K=v#not-a-comment", Some("v#not-a-comment")),
            ("K= # only a comment", Some("")),
            ("K=#value", Some("#value")),
            ("K=\"v\" junk", None),
            ("K=\"a\\\"b\"", Some("a\"b")),
            ("K=\"a\\nb\"", Some("a\nb")),
            ("K='a\\nb'", Some("a\\nb")),
            ("K=\"multi\nline\"", Some("multi\nline")),
            ("export K=v", Some("v")),
            ("  K  =  v  ", Some("v")),
            ("'K'=v", Some("v")),
            ("K=\"unterminated", None),
            ("K=first\nK=second", Some("second")),
            ("\u{feff}K=v", Some("v")),
            ("K", None),
        ] {
            assert_eq!(get(line).as_deref(), value, "{line:?}");
        }
        // A broken line does not take the next one with it.
        assert_eq!(parse("A=\"x\" junk\nK=ok\n"), vec![("K".to_string(), "ok".to_string())]);
    }
}
