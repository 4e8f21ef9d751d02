//! Secrets: tokens, keys and refresh tokens.
//!
//! A [`Secret`] can be fingerprinted, measured and inspected for shape problems
//! (whitespace, newlines, a `KGAT_` prefix), but its characters leave it in exactly one
//! place: [`Secret::expose`], which only `probe` calls to build the request. `Debug`,
//! `Display` and `Serialize` all print the fingerprint, so no formatting path — an error
//! message, a panic, a log line — can print the secret by accident.

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
    fn hint_names_the_public_marker_and_length_only() {
        assert_eq!(Secret::new("KGAT_0123").hint(), "KGAT_…, 9 chars");
        assert_eq!(Secret::new("abcd").hint(), "4 chars");
    }
}
