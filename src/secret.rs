//! Secrets: tokens, keys and refresh tokens.
//!
//! A [`Secret`] can be fingerprinted, measured and inspected for shape problems
//! (whitespace, newlines, a `KGAT_` prefix), but its characters leave it in exactly one
//! place: [`Secret::expose`], which only `probe` calls to build the request. `Debug`,
//! `Display` and `Serialize` all print the fingerprint, so no formatting path — an error
//! message, a panic, a log line — can print the secret by accident.

use base64::Engine as _;
use serde::{Serialize, Serializer};
use sha2::{Digest, Sha256};
use std::fmt;

/// A credential string whose value never reaches output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

/// `sha256:` plus the first 12 hex digits of SHA-256 over the exact bytes sent on the wire.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Fingerprint(String);

impl Fingerprint {
    fn of(bytes: &[u8]) -> Self {
        let digest = Sha256::digest(bytes);
        let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
        Fingerprint(format!("sha256:{hex}"))
    }

    /// The fingerprint as text (`sha256:3f9a0c1d2e4b`).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl schemars::JsonSchema for Fingerprint {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Fingerprint".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "`sha256:` and the first 12 hex digits of SHA-256 over the bytes sent on the wire.",
            "type": "string",
            "pattern": "^sha256:[0-9a-f]{12}$"
        })
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Secret {
    /// Wraps a credential value exactly as the client would send it (no trimming).
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// Fingerprint of the value as sent in a Bearer header.
    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint::of(self.0.as_bytes())
    }

    /// Fingerprint of `username:key` as sent (base64-encoded) in a Basic header.
    pub fn fingerprint_as_key_of(&self, username: &str) -> Fingerprint {
        Fingerprint::of(format!("{username}:{}", self.0).as_bytes())
    }

    /// Length in characters.
    pub fn len(&self) -> usize {
        self.0.chars().count()
    }

    /// True when the value is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when the value has leading or trailing whitespace (including newlines).
    pub fn has_surrounding_whitespace(&self) -> bool {
        self.0.trim() != self.0
    }

    /// True when the value holds a control character (a newline, a tab…).
    pub fn has_control_chars(&self) -> bool {
        self.0.chars().any(char::is_control)
    }

    /// True when the value holds a character outside printable ASCII (a BOM, say).
    pub fn has_non_ascii(&self) -> bool {
        !self.0.is_ascii()
    }

    /// True when the value starts with a UTF-8 byte order mark.
    pub fn starts_with_bom(&self) -> bool {
        self.0.starts_with('\u{feff}')
    }

    /// True when the value starts with the given public marker (e.g. `KGAT_`).
    pub fn starts_with(&self, marker: &str) -> bool {
        self.0.starts_with(marker)
    }

    /// A human hint that reveals no character of the secret beyond a public `KGAT_` marker.
    pub fn hint(&self) -> String {
        let marker = if self.starts_with("KGAT_") { "KGAT_…, " } else { "" };
        format!("{marker}{} chars", self.len())
    }

    /// The raw value. The single exit point of a secret: only `probe` calls it, to build
    /// the `Authorization` header and the IntrospectToken body.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.fingerprint())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.fingerprint())
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.fingerprint().serialize(serializer)
    }
}

/// What a source puts in the `Authorization` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credential {
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// `Authorization: Basic base64(username:key)`.
    Basic {
        /// The Kaggle username, sent as is.
        username: String,
        /// The legacy API key.
        key: Secret,
    },
}

impl Credential {
    /// Fingerprint of exactly what goes on the wire.
    pub fn fingerprint(&self) -> Fingerprint {
        match self {
            Credential::Bearer(token) => token.fingerprint(),
            Credential::Basic { username, key } => key.fingerprint_as_key_of(username),
        }
    }
}

/// Every form in which a server (or a proxy) could echo a secret it was sent, for every
/// secret the doctor knows: all sources' tokens and keys, `user:key` pairs, refresh
/// tokens, proxy passwords. Built once per run from discovery; everything a server says
/// passes through [`Scrubber::scrub`] before it is stored, and every rendered document
/// passes through it again before it is written, so no renderer can forget.
#[derive(Clone, Default)]
pub struct Scrubber {
    /// Needles, longest first, so a padded base64 form goes before its unpadded prefix.
    needles: Vec<String>,
}

impl fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Scrubber({} needles)", self.needles.len())
    }
}

/// What an echoed secret is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Shorter needles would scrub ordinary words; real tokens and keys are far longer.
const MIN_NEEDLE_CHARS: usize = 6;

impl Scrubber {
    /// Adds a secret sent as is (a Bearer token, a key, a password).
    pub fn add(&mut self, secret: &Secret) {
        self.add_text(secret.expose());
    }

    /// Adds what a credential puts on the wire: the token, or the key and `user:key`.
    pub fn add_credential(&mut self, credential: &Credential) {
        match credential {
            Credential::Bearer(token) => self.add(token),
            Credential::Basic { username, key } => {
                self.add(key);
                self.add_pair(username, key.expose());
            }
        }
    }

    /// Adds a proxy URL's password (userinfo ends at the *last* `@`, as Python's urllib
    /// splits it), in the URL's percent-encoded form and decoded, and the decoded
    /// `user:password` a Proxy-Authorization header carries.
    pub fn add_proxy_url(&mut self, url: &str) {
        let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
        let Some((userinfo, _)) = rest.rsplit_once('@') else { return };
        self.add_text(userinfo);
        let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
        self.add_text(password);
        let (user, password) = (percent_decode(user), percent_decode(password));
        self.add_text(&password);
        self.add_text(&percent_decode(userinfo));
        self.add_pair(&user, &password);
    }

    /// `user:secret` as a Basic header carries it (only its encodings: the raw pair
    /// holds the secret itself, added on its own).
    fn add_pair(&mut self, user: &str, secret: &str) {
        let pair = format!("{user}:{secret}");
        for form in base64_forms(pair.as_bytes()) {
            self.push(form.clone());
            self.push(percent_encode(&form, false));
            self.push(percent_encode(&form, true));
        }
    }

    fn add_text(&mut self, value: &str) {
        if value.chars().count() < MIN_NEEDLE_CHARS {
            return;
        }
        self.push(value.to_string());
        self.push(percent_encode(value, false));
        self.push(percent_encode(value, true));
        for form in base64_forms(value.as_bytes()) {
            self.push(percent_encode(&form, false));
            self.push(form);
        }
    }

    fn push(&mut self, needle: String) {
        if needle.chars().count() >= MIN_NEEDLE_CHARS && !self.needles.contains(&needle) {
            let at = self.needles.partition_point(|n| n.len() >= needle.len());
            self.needles.insert(at, needle);
        }
    }

    /// `text` with every echo of a known secret replaced by `[redacted]`. Matching
    /// ignores ASCII case: a server that upper- or lower-cases what it echoes (a header
    /// value, percent escapes) must not reveal the secret either.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        // ASCII lower-casing keeps every byte offset, so matches map back exactly.
        let mut lower = out.to_ascii_lowercase();
        for needle in &self.needles {
            let needle = needle.to_ascii_lowercase();
            if !lower.contains(&needle) {
                continue;
            }
            let mut scrubbed = String::with_capacity(out.len());
            let mut last = 0;
            for (at, _) in lower.match_indices(&needle) {
                scrubbed.push_str(&out[last..at]);
                scrubbed.push_str(REDACTED);
                last = at + needle.len();
            }
            scrubbed.push_str(&out[last..]);
            out = scrubbed;
            lower = out.to_ascii_lowercase();
        }
        out
    }

    /// Scrubs every string (keys included) inside a JSON value.
    pub fn scrub_json(&self, value: &mut serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::String(s) => *s = self.scrub(s),
            Value::Array(items) => items.iter_mut().for_each(|v| self.scrub_json(v)),
            Value::Object(map) => {
                let old = std::mem::take(map);
                for (k, mut v) in old {
                    self.scrub_json(&mut v);
                    map.insert(self.scrub(&k), v);
                }
            }
            _ => {}
        }
    }

    /// True when nothing is known (no credential at all).
    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }
}

/// Standard and URL-safe base64, each with and without padding.
fn base64_forms(bytes: &[u8]) -> Vec<String> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD].iter().map(|engine| engine.encode(bytes)).collect()
}

/// Percent-encodes every byte outside RFC 3986's unreserved set, in upper or lower hex.
fn percent_encode(text: &str, lower: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else if lower {
            out.push_str(&format!("%{b:02x}"));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes (invalid ones stay as they are).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_formatting_path_shows_the_value() {
        let s = Secret::new("KGAT_supersecretvalue");
        for shown in [format!("{s}"), format!("{s:?}"), format!("{s:#?}"), serde_json::to_string(&s).unwrap(), s.hint()]
        {
            assert!(!shown.contains("supersecret"), "{shown}");
        }
    }

    #[test]
    fn fingerprint_is_sha256_prefix_of_wire_bytes() {
        // sha256("abc") = ba7816bf8f01cfea...
        assert_eq!(Secret::new("abc").fingerprint().as_str(), "sha256:ba7816bf8f01");
        let basic = Credential::Basic { username: "a".into(), key: Secret::new("bc") };
        // sha256("a:bc") differs from sha256("abc"): the colon is part of the wire bytes.
        assert_ne!(basic.fingerprint(), Secret::new("abc").fingerprint());
        assert_eq!(basic.fingerprint(), Secret::new("a:bc").fingerprint());
    }

    #[test]
    fn every_encoding_of_every_known_secret_is_scrubbed() {
        let mut scrubber = Scrubber::default();
        scrubber.add_credential(&Credential::Bearer(Secret::new("KGAT_tok0123/+x")));
        scrubber.add_credential(&Credential::Basic { username: "alice".into(), key: Secret::new("k3y0123456") });
        scrubber.add_proxy_url("http://pu:p%40ss@w0rd@proxy:3128");
        let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
        let echoes = [
            "KGAT_tok0123/+x".to_string(),
            "Bearer KGAT_tok0123/+x".to_string(),
            "KGAT_tok0123%2F%2Bx".to_string(),
            "KGAT_tok0123%2f%2bx".to_string(),
            "kgat_tok0123/+X".to_string(),
            format!("Basic {}", b64(b"alice:k3y0123456")),
            b64(b"alice:k3y0123456").trim_end_matches('=').to_string(),
            b64(b"alice:k3y0123456").replace('=', "%3D"),
            b64(b"KGAT_tok0123/+x"),
            b64(b"KGAT_tok0123/+x").replace('+', "-").replace('/', "_"),
            "k3y0123456".to_string(),
            "p@ss@w0rd".to_string(),
            "p%40ss@w0rd".to_string(),
            format!("Proxy-Authorization: Basic {}", b64(b"pu:p@ss@w0rd")),
        ];
        for echo in echoes {
            let scrubbed = scrubber.scrub(&format!("you sent <{echo}>"));
            assert!(scrubbed.contains(REDACTED) && !scrubbed.contains(&echo), "{echo} → {scrubbed}");
            for part in ["KGAT_tok", "k3y0", "w0rd", "YWxpY2U6"] {
                assert!(!scrubbed.contains(part), "{echo} → {scrubbed}");
            }
        }
        assert_eq!(scrubber.scrub("an ordinary message"), "an ordinary message");
    }

    #[test]
    fn json_answers_are_scrubbed_keys_and_values() {
        let mut scrubber = Scrubber::default();
        scrubber.add(&Secret::new("KGAT_in_json_01"));
        let mut v = serde_json::json!({"userName": "KGAT_in_json_01", "KGAT_in_json_01": ["Bearer KGAT_in_json_01"]});
        scrubber.scrub_json(&mut v);
        assert!(!v.to_string().contains("KGAT_in_json"), "{v}");
    }

    #[test]
    fn hint_names_the_public_marker_and_length_only() {
        assert_eq!(Secret::new("KGAT_0123").hint(), "KGAT_…, 9 chars");
        assert_eq!(Secret::new("abcd").hint(), "4 chars");
    }
}
