//! Reading an installed distribution's version from its metadata file, the way
//! `importlib.metadata.version()` does, without starting Python.
//!
//! A site-packages directory holds one `NAME-VERSION.dist-info/METADATA` per installed
//! distribution (or, for old setuptools installs, `NAME-VERSION-pyX.Y.egg-info`, a directory
//! with `PKG-INFO` or a file of the same format). The `Version:` header is the answer.
//! Everything here is untrusted text on disk: reads are bounded in size, never block (a FIFO
//! or device is refused after a non-blocking open), and a version that is not a plain
//! PEP 440 string is escaped before anything prints it.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Metadata headers come first and are short; the `Version:` header is the second or third
/// line. Nothing past this many bytes is read.
const MAX_METADATA_BYTES: u64 = 64 * 1024;

/// The longest version string accepted as a version (real ones are under 30 characters).
const MAX_VERSION_CHARS: usize = 64;

/// One installed distribution found in a site directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dist {
    /// The `.dist-info` / `.egg-info` entry's name, e.g. `kaggle-1.7.4.5.dist-info`.
    pub entry: String,
    /// The file holding the headers (`METADATA`, `PKG-INFO`, or the egg-info file itself).
    pub metadata: PathBuf,
}

/// What the metadata file says the version is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Version {
    /// A PEP 440-shaped version.
    Valid(String),
    /// Something else, escaped for display (control and bidi characters made visible).
    Invalid(String),
    /// No readable `Version:` header; the text says why.
    Unreadable(&'static str),
}

/// The distribution `name` (`kaggle`, `kagglehub`) installed in `site`, if any. Names are
/// compared the way packaging normalises them (case, `-`, `_`, `.` alike); `kagglehub-…`
/// never matches `kaggle`. With several entries (a botched upgrade) the first by name wins
/// and `.dist-info` is preferred over `.egg-info`, as pip itself would.
pub fn find(site: &Path, name: &str) -> Option<Dist> {
    let mut hits: Vec<(bool, String)> = std::fs::read_dir(site)
        .ok()?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|entry| matches(&entry, name).map(|dist_info| (!dist_info, entry)))
        .collect();
    hits.sort();
    let (egg, entry) = hits.into_iter().next()?;
    let path = site.join(&entry);
    let metadata = match (egg, path.is_dir()) {
        (false, _) => path.join("METADATA"),
        (true, true) => path.join("PKG-INFO"),
        (true, false) => path,
    };
    Some(Dist { entry, metadata })
}

/// `Some(true)` for a `.dist-info` of `name`, `Some(false)` for an `.egg-info`.
fn matches(entry: &str, name: &str) -> Option<bool> {
    let lower = entry.to_ascii_lowercase();
    let (stem, dist_info) = match lower.strip_suffix(".dist-info") {
        Some(stem) => (stem, true),
        None => (lower.strip_suffix(".egg-info")?, false),
    };
    let project = stem.split('-').next()?;
    (normalise(project) == normalise(name)).then_some(dist_info)
}

fn normalise(name: &str) -> String {
    name.chars().map(|c| if matches!(c, '-' | '.') { '_' } else { c.to_ascii_lowercase() }).collect()
}

/// The `Version:` header of `dist`'s metadata file.
pub fn version(dist: &Dist) -> Version {
    let text = match read_head(&dist.metadata) {
        Ok(text) => text,
        Err(why) => return Version::Unreadable(why),
    };
    let header = text
        .lines()
        .take_while(|line| !line.trim().is_empty())
        .find_map(|line| line.split_once(':').filter(|(key, _)| key.trim().eq_ignore_ascii_case("version")));
    match header {
        Some((_, value)) => classify(value.trim()),
        None => Version::Unreadable("has no Version header"),
    }
}

/// `raw` as a version if it looks like one (PEP 440: digits, letters, `.`, `!`, `+`, `-`,
/// `_`), else escaped and shortened so that it can be shown safely.
pub fn classify(raw: &str) -> Version {
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '!' | '+' | '-' | '_');
    if !raw.is_empty()
        && raw.len() <= MAX_VERSION_CHARS
        && raw.chars().all(plain)
        && raw.contains(|c: char| c.is_ascii_digit())
    {
        return Version::Valid(raw.to_string());
    }
    let short: String = raw.chars().take(MAX_VERSION_CHARS).collect();
    let ellipsis = if short.len() < raw.len() { "…" } else { "" };
    Version::Invalid(format!("{}{ellipsis}", ascii_escaped(&short)))
}

/// Anything but printable ASCII as a visible `\u{…}` escape: stricter than the terminal
/// sanitiser, because a version has no business holding anything else.
pub fn ascii_escaped(text: &str) -> String {
    text.chars()
        .map(|c| if c == ' ' || c.is_ascii_graphic() { c.to_string() } else { c.escape_unicode().to_string() })
        .collect()
}

/// The first [`MAX_METADATA_BYTES`] of a regular file, as (lossy) text.
fn read_head(path: &Path) -> Result<String, &'static str> {
    let mut file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.by_ref().take(MAX_METADATA_BYTES).read_to_end(&mut bytes).map_err(|_| "cannot be read")?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Opens `path` for reading without ever blocking: non-blocking open (a FIFO with no
/// writer would block a plain open), then the opened file's own type is checked, so a
/// FIFO or device swapped in after a check is still refused.
pub fn open_regular(path: &Path) -> Result<File, &'static str> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|_| "cannot be opened")?;
    match file.metadata() {
        Ok(meta) if meta.is_file() => Ok(file),
        Ok(_) => Err("is not a regular file"),
        Err(_) => Err("cannot be read"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_as_packaging_normalises_them() {
        assert_eq!(matches("kaggle-1.7.4.5.dist-info", "kaggle"), Some(true));
        assert_eq!(matches("Kaggle-1.5.16-py3.11.egg-info", "kaggle"), Some(false));
        assert_eq!(matches("kagglehub-1.0.3.dist-info", "kaggle"), None);
        assert_eq!(matches("kagglehub-1.0.3.dist-info", "kagglehub"), Some(true));
        assert_eq!(matches("kaggle", "kaggle"), None);
        assert_eq!(matches("kaggle_hub-0.1.dist-info", "kagglehub"), None);
    }

    #[test]
    fn versions_are_plain_or_escaped() {
        assert_eq!(classify("1.7.4.5"), Version::Valid("1.7.4.5".into()));
        assert_eq!(classify("1!2.0rc1.post3+local_x"), Version::Valid("1!2.0rc1.post3+local_x".into()));
        for hostile in ["1.0\u{1b}[2J", "1.0\u{7}", "\u{202e}5.1.1", "1.0 ", "", "abc", "1.0\u{61c}"] {
            let Version::Invalid(shown) = classify(hostile) else { panic!("{hostile:?} accepted") };
            assert!(shown.chars().all(|c| c == ' ' || c.is_ascii_graphic()), "{shown:?}");
        }
        let Version::Invalid(long) = classify(&"9".repeat(10_000)) else { panic!("too long accepted") };
        assert!(long.chars().count() <= MAX_VERSION_CHARS + 1);
    }
}
