//! Fixes as exact POSIX sh commands. Printed for the user, never run. Lines starting
//! with `#` are explanations that the user can paste along harmlessly.

use crate::discover::{Source, SourceId};

/// Commands that take `source` out of the client's way.
pub fn remove_source(source: &Source) -> Vec<String> {
    let path = source.origin.split(" → ").nth(1).unwrap_or(&source.origin);
    match source.id {
        SourceId::EnvApiToken => vec![
            "unset KAGGLE_API_TOKEN".into(),
            "# and delete the line that sets it from your shell profile (~/.bashrc, ~/.zshrc, ~/.profile) or CI secrets".into(),
        ],
        SourceId::NotebookToken => vec!["unset KAGGLE_API_V1_TOKEN".into()],
        SourceId::EnvToken => vec!["unset KAGGLE_TOKEN".into()],
        SourceId::EnvKeyPair | SourceId::MergedPair => vec!["unset KAGGLE_USERNAME KAGGLE_KEY".into()],
        SourceId::FileAccessToken | SourceId::FileAccessTokenTxt | SourceId::FileCredentialsJson
        | SourceId::FileKaggleJson => {
            let p = sh_path(path);
            vec![format!("mv {p} {}", sh_path(&format!("{path}.disabled")))]
        }
        SourceId::FileKaggleJsonToken => {
            let file = path.trim_end_matches("#token");
            vec![format!(
                "python3 -c 'import json,os,sys; p=os.path.expanduser(sys.argv[1]); d=json.load(open(p)); d.pop(\"token\",None); json.dump(d,open(p,\"w\"))' {}",
                sh_path(file)
            )]
        }
        SourceId::DotEnv | SourceId::Anonymous => Vec::new(),
    }
}

/// A path as a shell word: `~/…` stays expandable when it needs no quoting.
pub fn sh_path(path: &str) -> String {
    let safe = |s: &str| s.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+@:,".contains(c));
    if let Some(rest) = path.strip_prefix("~/") {
        if safe(rest) {
            return path.to_string();
        }
        return format!("~/{}", quote(rest));
    }
    if safe(path) { path.to_string() } else { quote(path) }
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// How to get a fresh credential.
pub fn new_credential() -> Vec<String> {
    vec![
        "# create a new API token at https://www.kaggle.com/settings (API section), then:".into(),
        "export KAGGLE_API_TOKEN='<paste the new token>'".into(),
    ]
}

/// The last line of every fix: check again.
pub const RECHECK: &str = "kaggle-auth-doctor";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_quoted_only_when_needed() {
        assert_eq!(sh_path("~/.kaggle/access_token"), "~/.kaggle/access_token");
        assert_eq!(sh_path("~/my dir/kaggle.json"), "~/'my dir/kaggle.json'");
        assert_eq!(sh_path("/tmp/it's"), r"'/tmp/it'\''s'");
    }
}
