//! Reading credential files the way the client does, but safely: only regular files,
//! at most [`MAX_FILE_BYTES`], never blocking on a FIFO or device, and every problem
//! turned into a sentence a person understands.

use serde_json::Value;
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::fs;
use std::io::{ErrorKind, Read};
use std::path::Path;
use std::time::Duration;

use super::python_value::{self, PyValue};
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
    /// The file, or a directory on the way to it, refuses this user (`EACCES`).
    Denied(Refusal),
}

/// Where access was refused; Python's answers differ (src/discover/dirs.rs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The file itself: `os.path.exists` is true, then `open` raises `PermissionError`.
    File,
    /// A directory on the way: `os.path.exists` is false, `pathlib.Path.exists` raises.
    OnTheWay,
}

impl Refusal {
    /// For sentences: "the file {cannot be read: permission denied}".
    pub fn words(self) -> &'static str {
        match self {
            Refusal::File => "cannot be read: permission denied",
            Refusal::OnTheWay => "cannot be reached: a directory on the way refuses access (permission denied)",
        }
    }
}

/// How long reading one local file may take. Regular files answer in microseconds; a
/// `/proc` file or a network mount that blocks must not hang the run.
pub const READ_TIMEOUT: Duration = Duration::from_secs(2);

/// Reads a regular file of at most [`MAX_FILE_BYTES`], within [`READ_TIMEOUT`]. The
/// path's type is looked at first (a device is never opened), then the file is opened
/// without blocking and the *opened* file's type checked again, so a FIFO swapped in
/// between the two is refused instead of blocking; the read itself is bounded in size
/// and in time.
pub fn read_bounded(path: &Path) -> FileRead {
    read_bounded_within(path, MAX_FILE_BYTES, READ_TIMEOUT)
}

/// [`read_bounded`] with explicit bounds (a demo scenario file may be larger).
pub fn read_bounded_within(path: &Path, max_bytes: u64, timeout: Duration) -> FileRead {
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) => return unreachable_leaf(path, &e),
    };
    if let Some(problem) = type_problem(&meta, max_bytes) {
        return problem;
    }
    let file = match open_nonblocking(path) {
        Ok(file) => file,
        Err(e) if e.kind() == ErrorKind::NotFound => return FileRead::Missing,
        Err(e) if is_enxio(&e) => return not_regular(),
        Err(e) => return cannot_read(&e),
    };
    // The type of what was opened, not of what the path named a moment ago.
    match file.metadata() {
        Ok(meta) => {
            if let Some(problem) = type_problem(&meta, max_bytes) {
                return problem;
            }
        }
        Err(e) => return FileRead::Problem(format!("cannot be read: {}", io_reason(&e))),
    }
    match read_within(file, max_bytes, timeout) {
        Ok(bytes) if bytes.len() as u64 > max_bytes => {
            FileRead::Problem("grew past the size limit while being read".into())
        }
        Ok(bytes) => FileRead::Bytes(bytes),
        Err(e) if e.kind() == ErrorKind::TimedOut => {
            FileRead::Problem(format!("did not finish reading within {} s (not an ordinary file)", timeout.as_secs()))
        }
        Err(e) => cannot_read(&e),
    }
}

/// `stat` failed. When the entry itself is there (`lstat` sees it: a dangling symlink, a
/// loop), a person sees a file, so it is a problem to name. When not even the entry can
/// be seen, a directory on the way is missing, is a file, loops or refuses access: the
/// client finds nothing there (Python's `os.path.exists` is false), so neither does this,
/// except that a refusal is kept apart (`pathlib` raises on it; the client crashes).
fn unreachable_leaf(path: &Path, e: &std::io::Error) -> FileRead {
    match fs::symlink_metadata(path) {
        Ok(_) if e.kind() == ErrorKind::NotFound => FileRead::Problem("is a symlink to a missing file".into()),
        Ok(_) => cannot_read(e),
        Err(lstat) if is_denied(&lstat) => FileRead::Denied(Refusal::OnTheWay),
        Err(_) => FileRead::Missing,
    }
}

/// An open or read error as a [`FileRead`]: a refusal apart, anything else a problem.
fn cannot_read(e: &std::io::Error) -> FileRead {
    if is_denied(e) {
        return FileRead::Denied(Refusal::File);
    }
    FileRead::Problem(format!("cannot be read: {}", io_reason(e)))
}

/// `EACCES` or `EPERM`.
pub fn is_denied(e: &std::io::Error) -> bool {
    e.kind() == ErrorKind::PermissionDenied
}

fn not_regular() -> FileRead {
    FileRead::Problem("is not a regular file (a FIFO, socket or device)".into())
}

/// Why `meta` is not something to read, if it is not.
fn type_problem(meta: &fs::Metadata, max_bytes: u64) -> Option<FileRead> {
    if meta.is_dir() {
        return Some(FileRead::Problem("is a directory, not a file".into()));
    }
    if !meta.is_file() {
        return Some(not_regular());
    }
    if meta.len() > max_bytes {
        return Some(FileRead::Problem(format!("is {} bytes, over the {max_bytes}-byte limit", meta.len())));
    }
    None
}

/// Opens for reading without ever blocking in `open` (a FIFO without a writer).
fn open_nonblocking(path: &Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    options.open(path)
}

/// `ENXIO`: opening a socket, or a FIFO for writing with no reader.
pub fn is_enxio(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(libc::ENXIO)
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// Reads at most `max_bytes + 1` bytes of `reader` on a helper thread and gives up after
/// `timeout` (the thread is abandoned; it ends with the process). A read that never
/// returns cannot be interrupted portably, only left behind.
pub fn read_within<R: Read + Send + 'static>(reader: R, max_bytes: u64, timeout: Duration) -> std::io::Result<Vec<u8>> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new().name("bounded-read".into()).spawn(move || {
        let mut bytes = Vec::new();
        let result = reader.take(max_bytes + 1).read_to_end(&mut bytes).map(|_| bytes);
        let _ = tx.send(result);
    })?;
    match rx.recv_timeout(timeout) {
        Ok(result) => result,
        Err(_) => Err(std::io::Error::new(ErrorKind::TimedOut, "read timed out")),
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
    /// A JSON string.
    Present(T),
    /// Another JSON type, which the clients do not refuse (docs/client-behaviour.md,
    /// "kaggle.json values that are not strings").
    NotText(NotText<T>),
}

/// A kaggle.json value that is not a string, as the Python clients see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotText<T> {
    /// Its JSON type, named ("a number", "a boolean", "null", "an array", "an object").
    pub kind: &'static str,
    /// Python's `str()` of it: what requests sends in its place.
    pub text: T,
    /// Python's truthiness: `0`, `0.0`, `false`, `null`, `[]`, `{}` are false.
    pub truthy: bool,
    /// `null` (Python's `None`).
    pub null: bool,
}

impl<T> Field<T> {
    /// The value when it is a JSON string.
    pub fn value(&self) -> Option<&T> {
        match self {
            Field::Present(v) => Some(v),
            _ => None,
        }
    }

    /// The text the clients' HTTP layer sends for this field: the string, or Python's
    /// `str()` of another type.
    pub fn sent(&self) -> Option<&T> {
        match self {
            Field::Present(v) => Some(v),
            Field::NotText(other) => Some(&other.text),
            Field::Absent => None,
        }
    }

    /// The value when it is not a JSON string.
    pub fn not_text(&self) -> Option<&NotText<T>> {
        match self {
            Field::NotText(other) => Some(other),
            _ => None,
        }
    }

    /// In the file, whatever its type (Python's `name in dict`).
    pub fn is_present(&self) -> bool {
        !matches!(self, Field::Absent)
    }

    /// The field with its text converted (a key's text into a [`Secret`]).
    fn map<U>(self, f: impl Fn(T) -> U) -> Field<U> {
        match self {
            Field::Absent => Field::Absent,
            Field::Present(v) => Field::Present(f(v)),
            Field::NotText(o) => {
                Field::NotText(NotText { kind: o.kind, text: f(o.text), truthy: o.truthy, null: o.null })
            }
        }
    }
}

impl Field<String> {
    /// Python's truthiness of the value (`""` is false too); false when absent.
    pub fn truthy(&self) -> bool {
        match self {
            Field::Present(v) => !v.is_empty(),
            Field::NotText(o) => o.truthy,
            Field::Absent => false,
        }
    }
}

impl Field<Secret> {
    /// Python's truthiness of the value (`""` is false too); false when absent.
    pub fn truthy(&self) -> bool {
        match self {
            Field::Present(v) => !v.is_empty(),
            Field::NotText(o) => o.truthy,
            Field::Absent => false,
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
    /// `token` (1.8+ send it as a Bearer token; docs/findings.md `config-token-overrides-key`).
    pub token: Field<Secret>,
    /// `competition`: the client's default for `-c`.
    pub competition: Option<String>,
    /// `proxy`: used by kaggle 1.5/1.6 only.
    pub proxy: Option<String>,
    /// `ssl_ca_cert`: the CA file kaggle 1.5/1.6 verify TLS with instead of certifi's.
    pub ssl_ca_cert: Field<String>,
    /// Every top-level key, for "holds only settings" messages.
    pub keys: Vec<String>,
}

impl KaggleJson {
    /// The pair's fields that are not JSON strings, with their type: kaggle 1.5/1.6 crash
    /// joining them as text.
    pub fn pair_not_text(&self) -> Vec<(&'static str, &'static str)> {
        let username = self.username.not_text().map(|o| ("username", o.kind));
        let key = self.key.not_text().map(|o| ("key", o.kind));
        [username, key].into_iter().flatten().collect()
    }
}

/// Parses kaggle.json as Python's `json.load` does; the error is a reason such as
/// "invalid JSON at line 3 column 1".
///
/// Values are read from their raw text (src/discover/python_value.rs): a number Python
/// reads (an integer of any size, `1e400`) is never refused, and a value that is not a
/// string keeps the text the clients send for it.
pub fn parse_kaggle_json(bytes: &[u8]) -> Result<KaggleJson, String> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Err("starts with a byte order mark (BOM): the client cannot parse it".into());
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("is empty".into());
    }
    let invalid = |e: serde_json::Error| format!("invalid JSON at line {} column {}", e.line(), e.column());
    // serde_json's own parse is the judge of syntax and nesting depth, except for a number
    // beyond f64, which Python reads (as inf, or an integer of any size).
    if let Err(e) = serde_json::from_slice::<Value>(bytes) {
        if !e.to_string().starts_with("number out of range") {
            return Err(invalid(e));
        }
    }
    let raw: &RawValue = serde_json::from_slice(bytes).map_err(invalid)?;
    if !raw.get().starts_with('{') {
        let kind = PyValue::parse(raw.get()).map_or("a number", |v| v.type_name());
        return Err(format!("is JSON but not an object (it is {kind})"));
    }
    // Python's dict: a repeated key keeps its last value.
    let map: BTreeMap<String, &RawValue> = python_value::pairs(raw.get()).map_err(invalid)?.into_iter().collect();
    let field = |name: &str| -> Result<Field<String>, String> {
        let Some(raw) = map.get(name) else { return Ok(Field::Absent) };
        Ok(match PyValue::parse(raw.get()).map_err(invalid)? {
            PyValue::Str(s) => Field::Present(s),
            other => Field::NotText(NotText {
                kind: other.type_name(),
                text: other.str(),
                truthy: other.truthy(),
                null: other == PyValue::None,
            }),
        })
    };
    let text = |name: &str| map.get(name).and_then(|raw| serde_json::from_str::<String>(raw.get()).ok());
    Ok(KaggleJson {
        username: field("username")?,
        key: field("key")?.map(Secret::new),
        token: field("token")?.map(Secret::new),
        competition: text("competition"),
        proxy: text("proxy"),
        ssl_ca_cert: field("ssl_ca_cert")?,
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
    fn other_types_keep_pythons_text_and_truthiness() {
        let parsed = parse_kaggle_json(br#"{"username": "a", "key": 1.50, "token": 7}"#).unwrap();
        assert_eq!(parsed.username, Field::Present("a".into()));
        let key = parsed.key.not_text().unwrap();
        assert_eq!((key.kind, key.text.expose(), key.truthy, key.null), ("a number", "1.5", true, false));
        assert_eq!(parsed.token.sent().map(Secret::expose), Some("7"));
        assert_eq!(parsed.pair_not_text(), [("key", "a number")]);
        let parsed = parse_kaggle_json(br#"{"username": "a"}"#).unwrap();
        assert_eq!(parsed.token, Field::Absent);
        assert!(parsed.pair_not_text().is_empty());
        for (json, text, truthy, null) in [
            ("false", "False", false, false),
            ("true", "True", true, false),
            ("null", "None", false, true),
            ("0", "0", false, false),
            ("-0.0", "-0.0", false, false),
            ("1E16", "1e+16", true, false),
            ("[]", "[]", false, false),
            ("{}", "{}", false, false),
            (r#"[1, "x"]"#, "[1, 'x']", true, false),
            ("123456789012345678901234567890", "123456789012345678901234567890", true, false),
            ("1e400", "inf", true, false),
        ] {
            let file = format!(r#"{{"username": {json}, "key": "k"}}"#);
            let parsed = parse_kaggle_json(file.as_bytes()).unwrap_or_else(|e| panic!("{json}: {e}"));
            let user = parsed.username.not_text().unwrap_or_else(|| panic!("{json}"));
            assert_eq!((user.text.as_str(), user.truthy, user.null), (text, truthy, null), "{json}");
            assert_eq!(parsed.username.truthy(), truthy, "{json}");
        }
    }

    #[test]
    fn integer_pair_fields_are_read_as_their_text() {
        let parsed = parse_kaggle_json(br#"{"username": 42, "key": 12345}"#).unwrap();
        assert_eq!(parsed.username.sent().map(String::as_str), Some("42"));
        assert_eq!(parsed.key.sent().map(|k| k.expose().to_string()), Some("12345".into()));
        assert_eq!(parsed.pair_not_text(), [("username", "a number"), ("key", "a number")]);
        let parsed = parse_kaggle_json(br#"{"username": "a", "key": -7}"#).unwrap();
        assert_eq!(parsed.key.sent().map(|k| k.expose().to_string()), Some("-7".into()));
    }

    #[test]
    fn repeated_keys_keep_the_last_value_and_keys_are_sorted() {
        let parsed = parse_kaggle_json(br#"{"key": 1, "username": "u", "key": "k2"}"#).unwrap();
        assert_eq!(parsed.key.value().map(Secret::expose), Some("k2"));
        assert_eq!(parsed.keys, ["key", "username"]);
        assert_eq!(parse_kaggle_json(b"1e400").unwrap_err(), "is JSON but not an object (it is a number)");
        assert_eq!(parse_kaggle_json(b"null").unwrap_err(), "is JSON but not an object (it is null)");
        let parsed = parse_kaggle_json(br#"{"username": "u", "key": -1e999, "other": [1e400]}"#).unwrap();
        assert_eq!(parsed.key.sent().map(Secret::expose), Some("-inf"));
        let deep = format!(r#"{{"username": "u", "key": {}{}}}"#, "[".repeat(200), "]".repeat(200));
        assert!(parse_kaggle_json(deep.as_bytes()).unwrap_err().starts_with("invalid JSON"));
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

    /// A reader whose `read` never returns (a blocking `/proc` file, a stuck mount).
    struct Stuck(std::sync::mpsc::Receiver<()>);
    impl Read for Stuck {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            let _ = self.0.recv();
            Ok(0)
        }
    }

    #[test]
    fn a_read_that_never_returns_is_abandoned() {
        let (keep, rx) = std::sync::mpsc::channel::<()>();
        let err = read_within(Stuck(rx), 10, Duration::from_millis(50)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TimedOut);
        drop(keep);
    }

    #[cfg(unix)]
    #[test]
    fn fifos_are_refused_without_blocking_with_or_without_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        assert!(matches!(read_bounded(&fifo), FileRead::Problem(p) if p.contains("FIFO")));
        // A writer holds it open (a FIFO with a live peer): still refused, never read.
        let _writer = fs::OpenOptions::new().read(true).write(true).open(&fifo).unwrap();
        assert!(matches!(read_bounded(&fifo), FileRead::Problem(p) if p.contains("FIFO")));
    }

    /// H2: a FIFO swapped in between the type check and the open, again and again, is
    /// refused or read as the file it was, never waited on. Each read has a hang guard
    /// (a channel wait far longer than any read), not a timing threshold.
    #[cfg(unix)]
    #[test]
    fn a_fifo_swapped_in_under_the_reader_never_blocks_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token");
        let (fifo, regular) = (dir.path().join("fifo"), dir.path().join("regular"));
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let swapper = {
            let (path, fifo, regular, stop) = (path.clone(), fifo.clone(), regular.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    fs::write(&regular, "KGAT_x").unwrap();
                    let _ = fs::rename(&regular, &path);
                    let c_fifo = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
                    // SAFETY: a valid NUL-terminated path.
                    unsafe { libc::mkfifo(c_fifo.as_ptr(), 0o600) };
                    let _ = fs::rename(&fifo, &path);
                }
            })
        };
        for _ in 0..200 {
            let (tx, rx) = std::sync::mpsc::channel();
            let p = path.clone();
            std::thread::spawn(move || {
                let _ = tx.send(matches!(read_bounded(&p), FileRead::Bytes(b) if b != b"KGAT_x"));
            });
            let odd = rx.recv_timeout(Duration::from_secs(60)).expect("a read hung");
            assert!(!odd, "read something that was never written");
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        swapper.join().unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn proc_files_are_read_or_refused_never_hang() {
        for p in ["/proc/self/status", "/proc/self/stat", "/dev/null", "/dev/tty"] {
            let _ = read_bounded(Path::new(p));
        }
    }
}
