//! Reading credential files the way the client does, but safely: only regular files,
//! at most [`MAX_FILE_BYTES`], never blocking on a FIFO or device, and every problem
//! turned into a sentence a person understands.

use serde_json::Value;
use std::fs;
use std::io::{ErrorKind, Read};
use std::path::Path;

use crate::secret::Secret;

/// Credential files are tiny; anything larger is not one (and must not exhaust memory).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The outcome of looking at a path where the client expects a file.
#[derive(Debug)]
pub enum FileRead {
    /// Nothing there.
    Missing,
    /// Something there that the client cannot use; the text says why.
    Problem(String),
    /// The file's bytes.
    Bytes(Vec<u8>),
}

/// Reads a regular file of at most [`MAX_FILE_BYTES`]. Checks the type first, so a FIFO,
/// socket or `/dev/zero` is reported instead of blocking or filling memory.
pub fn read_bounded(path: &Path) -> FileRead {
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            // A dangling symlink is "there" for a person even if not for the client.
            return match fs::symlink_metadata(path) {
                Ok(_) => FileRead::Problem("is a symlink to a missing file".into()),
                Err(_) => FileRead::Missing,
            };
        }
        Err(e) => return FileRead::Problem(format!("cannot be read: {}", io_reason(&e))),
    };
    if meta.is_dir() {
        return FileRead::Problem("is a directory, not a file".into());
    }
    if !meta.is_file() {
        return FileRead::Problem("is not a regular file (a FIFO, socket or device)".into());
    }
    if meta.len() > MAX_FILE_BYTES {
        return FileRead::Problem(format!("is {} bytes, too large for a credential file", meta.len()));
    }
    let mut bytes = Vec::new();
    let read = fs::File::open(path).and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes));
    match read {
        Ok(_) if bytes.len() as u64 > MAX_FILE_BYTES => {
            FileRead::Problem("grew past the size limit while being read".into())
        }
        Ok(_) => FileRead::Bytes(bytes),
        Err(e) => FileRead::Problem(format!("cannot be read: {}", io_reason(&e))),
    }
}

/// An I/O error as a short reason without the `(os error N)` noise.
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let text = e.to_string();
            text.split(" (os error").next().unwrap_or(&text).to_lowercase()
        }
    }
}

/// A token file's content as the client reads it: UTF-8 text, whitespace stripped
/// (a BOM is not whitespace and stays).
pub fn token_text(bytes: &[u8]) -> Result<Option<Secret>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "is not valid UTF-8 text".to_string())?;
    let token = text.trim();
    Ok((!token.is_empty()).then(|| Secret::new(token)))
}

/// A field of kaggle.json.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Field<T> {
    /// Not in the file.
    #[default]
    Absent,
    /// Present with the right type.
    Present(T),
    /// Present with another JSON type (named).
    WrongType(&'static str),
}

impl<T> Field<T> {
    /// The value when present with the right type.
    pub fn value(&self) -> Option<&T> {
        match self {
            Field::Present(v) => Some(v),
            _ => None,
        }
    }
}

/// The parts of kaggle.json that matter for authentication.
#[derive(Clone, Debug, Default)]
pub struct KaggleJson {
    /// `username`.
    pub username: Field<String>,
    /// `key`.
    pub key: Field<Secret>,
    /// `token` (1.8+ send it as a Bearer token; spec B11).
    pub token: Field<Secret>,
    /// `competition`: the client's default for `-c`.
    pub competition: Option<String>,
    /// `proxy`: used by kaggle 1.6 only.
    pub proxy: Option<String>,
    /// Every top-level key, for "holds only settings" messages.
    pub keys: Vec<String>,
}

/// Parses kaggle.json; the error is a reason such as "invalid JSON at line 3 column 1".
pub fn parse_kaggle_json(bytes: &[u8]) -> Result<KaggleJson, String> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Err("starts with a byte order mark (BOM): the client cannot parse it".into());
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("is empty".into());
    }
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| format!("invalid JSON at line {} column {}", e.line(), e.column()))?;
    let Value::Object(map) = value else {
        return Err(format!("is JSON but not an object (it is {})", type_name(&value)));
    };
    let text = |name: &str| match map.get(name) {
        None => Field::Absent,
        Some(Value::String(s)) => Field::Present(s.clone()),
        Some(other) => Field::WrongType(type_name(other)),
    };
    let secret = |name: &str| match text(name) {
        Field::Present(s) => Field::Present(Secret::new(s)),
        Field::WrongType(t) => Field::WrongType(t),
        Field::Absent => Field::Absent,
    };
    Ok(KaggleJson {
        username: text("username"),
        key: secret("key"),
        token: secret("token"),
        competition: text("competition").value().cloned(),
        proxy: text("proxy").value().cloned(),
        keys: map.keys().cloned().collect(),
    })
}

/// A JSON type as a person would name it.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_json_reports_line_and_column() {
        let err = parse_kaggle_json(b"{\n  \"username\": \"a\",\n}\n").unwrap_err();
        assert_eq!(err, "invalid JSON at line 3 column 1");
    }

    #[test]
    fn bom_and_empty_are_named() {
        assert!(parse_kaggle_json(b"\xEF\xBB\xBF{}").unwrap_err().contains("BOM"));
        assert_eq!(parse_kaggle_json(b"  \n").unwrap_err(), "is empty");
        assert!(parse_kaggle_json(b"[1]").unwrap_err().contains("an array"));
    }

    #[test]
    fn wrong_types_are_kept_apart_from_absent_fields() {
        let parsed = parse_kaggle_json(br#"{"username": "a", "key": 123}"#).unwrap();
        assert_eq!(parsed.username, Field::Present("a".into()));
        assert_eq!(parsed.key, Field::WrongType("a number"));
        assert_eq!(parsed.token, Field::Absent);
    }

    #[test]
    fn token_text_strips_whitespace_but_not_bom() {
        assert_eq!(token_text(b"  \n").unwrap(), None);
        let t = token_text(b"abc\n").unwrap().unwrap();
        assert_eq!(t.len(), 3);
        let bom = token_text(b"\xEF\xBB\xBFabc").unwrap().unwrap();
        assert_eq!(bom.len(), 4);
    }

    #[test]
    fn non_regular_files_are_problems_not_reads() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(read_bounded(dir.path()), FileRead::Problem(p) if p.contains("directory")));
        assert!(matches!(read_bounded(&dir.path().join("nope")), FileRead::Missing));
        #[cfg(unix)]
        assert!(matches!(read_bounded(Path::new("/dev/zero")), FileRead::Problem(_)));
    }
}
