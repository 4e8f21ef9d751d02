//! Why a source cannot be used, and what the client crashes with: as types, because later
//! stages decide on them (severity, whether OAuth applies, which finding explains a
//! crash). The words a user reads come from `Display`; rewording them changes no
//! diagnosis.

use std::fmt;

use serde::Serialize;

/// Why a source is present but unusable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// The notebook token outside a Kaggle notebook: the client skips it without a word.
    NotInNotebook,
    /// `KAGGLE_KERNEL_RUN_TYPE` without `KAGGLE_DATA_PROXY_URL`: the client skips the token.
    NotebookWithoutProxy,
    /// credentials.json without a `refresh_token`: the client ignores the file.
    OauthWithoutRefreshToken,
    /// credentials.json is not JSON: the client ignores the file.
    OauthInvalidJson {
        /// Where the parser stopped.
        line: usize,
        /// Where the parser stopped.
        column: usize,
    },
    /// The file refuses this user (mode 000, owned by root after `sudo`), in words.
    Denied(String),
    /// A directory sits where the file belongs, in words.
    Directory(String),
    /// The directory that holds the file is unusable (`~/.kaggle` refuses access): the
    /// file cannot even be looked for. The directory's own finding gives the fix.
    InUnusableDir(String),
    /// Any other problem (malformed, empty, half a pair…), in plain words. No decision
    /// depends on these words.
    Other(String),
}

impl Reason {
    /// True when the client skips the source on purpose, so it is only worth a note.
    pub fn is_skipped_by_design(&self) -> bool {
        matches!(self, Reason::NotInNotebook | Reason::NotebookWithoutProxy)
    }

    /// True when the client ignores credentials.json altogether (OAuth does not apply).
    pub fn ignores_oauth_file(&self) -> bool {
        matches!(self, Reason::OauthWithoutRefreshToken | Reason::OauthInvalidJson { .. })
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::NotInNotebook => f.write_str(
                "ignored: KAGGLE_KERNEL_RUN_TYPE is not set, so the client does not treat this as a Kaggle notebook",
            ),
            Reason::NotebookWithoutProxy => f.write_str(
                "ignored: KAGGLE_KERNEL_RUN_TYPE is set but KAGGLE_DATA_PROXY_URL is not, so the client skips the notebook token",
            ),
            Reason::OauthWithoutRefreshToken => {
                f.write_str("credentials.json has no refresh_token: the client ignores it")
            }
            Reason::OauthInvalidJson { line, column } => {
                write!(f, "credentials.json: invalid JSON at line {line} column {column} (the client ignores it)")
            }
            Reason::Denied(words) | Reason::Directory(words) | Reason::InUnusableDir(words) | Reason::Other(words) => {
                f.write_str(words)
            }
        }
    }
}

impl From<String> for Reason {
    fn from(words: String) -> Reason {
        Reason::Other(words)
    }
}

impl From<&str> for Reason {
    fn from(words: &str) -> Reason {
        Reason::Other(words.to_string())
    }
}

impl Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// In JSON: its words (docs/json.md `reason`).
impl schemars::JsonSchema for Reason {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Reason".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "description": "Why the source cannot be used, in plain words.", "type": "string" })
    }
}

/// What a kagglesdk-based client crashes with when its token search reaches a source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientCrash {
    /// `KAGGLE_API_TOKEN` names a directory.
    TokenPathIsDirectory,
    /// `KAGGLE_API_TOKEN` is longer than a file name may be.
    TokenPathTooLong,
    /// A newline or control character in the token.
    ControlCharInHeader,
    /// A byte order mark at the start of the token.
    BomInHeader,
    /// A non-ASCII character in the token.
    NonAsciiInHeader,
    /// credentials.json's expiry has no UTC offset.
    NaiveExpiry,
    /// credentials.json's expiry is not a timestamp `datetime.fromisoformat` reads.
    InvalidExpiry,
    /// credentials.json's expiry is a number, a boolean, a list or an object.
    ExpiryNotText,
    /// A file the client opens is a directory.
    FileIsDirectory,
    /// A file the client opens, or the directory holding it, refuses this user.
    PermissionDenied,
}

impl ClientCrash {
    /// True for the crashes of reading credentials.json's `access_token_expiration`.
    pub fn is_expiry(self) -> bool {
        matches!(self, ClientCrash::NaiveExpiry | ClientCrash::InvalidExpiry | ClientCrash::ExpiryNotText)
    }

    /// True for the crashes of reading `KAGGLE_API_TOKEN` as a path.
    pub fn is_token_path_trap(self) -> bool {
        matches!(self, ClientCrash::TokenPathIsDirectory | ClientCrash::TokenPathTooLong)
    }
}

impl fmt::Display for ClientCrash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ClientCrash::TokenPathIsDirectory => "IsADirectoryError: KAGGLE_API_TOKEN names a directory",
            ClientCrash::TokenPathTooLong => {
                "OSError: [Errno 36] File name too long (KAGGLE_API_TOKEN is over 255 characters)"
            }
            ClientCrash::ControlCharInHeader => {
                "ValueError: Invalid header value (a newline or control character in the token)"
            }
            ClientCrash::BomInHeader => {
                "UnicodeEncodeError: 'latin-1' codec can't encode '\\ufeff' (a BOM in the token)"
            }
            ClientCrash::NonAsciiInHeader => "UnicodeEncodeError (a non-ASCII character in the token)",
            ClientCrash::NaiveExpiry => {
                "TypeError: can't compare offset-naive and offset-aware datetimes (access_token_expiration has no UTC offset)"
            }
            ClientCrash::InvalidExpiry => "ValueError: Invalid isoformat string (access_token_expiration)",
            ClientCrash::FileIsDirectory => "IsADirectoryError: [Errno 21] Is a directory",
            ClientCrash::PermissionDenied => "PermissionError: [Errno 13] Permission denied",
            ClientCrash::ExpiryNotText => {
                "TypeError: fromisoformat: argument must be str (access_token_expiration is not text)"
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_follow_the_variant_not_the_words() {
        assert!(Reason::NotInNotebook.is_skipped_by_design());
        assert!(!Reason::from("ignored by accident").is_skipped_by_design());
        assert!(Reason::OauthInvalidJson { line: 1, column: 2 }.ignores_oauth_file());
        assert!(!Reason::from("credentials.json has no refresh_token").ignores_oauth_file());
        assert!(ClientCrash::TokenPathTooLong.is_token_path_trap());
        assert!(!ClientCrash::BomInHeader.is_token_path_trap());
    }

    #[test]
    fn reasons_serialise_as_their_words() {
        let json = serde_json::to_value(Reason::OauthInvalidJson { line: 3, column: 1 }).unwrap();
        assert_eq!(json, "credentials.json: invalid JSON at line 3 column 1 (the client ignores it)");
    }
}
