//! `--redact strict`: on top of the secrets that never appear anyway, hide who and where:
//! Kaggle usernames, the local account name, the home directory and the host name. It
//! works on the rendered text of any format, so nothing a renderer prints can escape it.

use super::Report;

/// The words `--redact strict` hides in `report`, with their replacements.
pub fn strict_words(report: &Report, local_user: Option<&str>, home: Option<&str>) -> Vec<(String, String)> {
    let mut words: Vec<(String, String)> = Vec::new();
    let mut users: Vec<&str> = report.sources.iter().filter_map(|s| s.username.as_deref()).collect();
    users.extend(local_user);
    users.sort_unstable();
    users.dedup();
    if let Some(home) = home.filter(|h| h.len() > 1) {
        words.push((home.to_string(), "~".into()));
    }
    if !report.host.is_empty() {
        words.push((report.host.clone(), "[host]".into()));
    }
    for (i, user) in users.iter().enumerate().filter(|(_, u)| !u.is_empty()) {
        words.push((user.to_string(), format!("user{}", i + 1)));
    }
    words
}

/// Replaces each word where it stands alone (not inside a longer name).
pub fn apply(text: &str, words: &[(String, String)]) -> String {
    let mut out = text.to_string();
    // Longest first, so the home path goes before the user name inside it.
    let mut words: Vec<&(String, String)> = words.iter().collect();
    words.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    for (word, with) in words {
        out = replace_word(&out, word, with);
    }
    out
}

fn replace_word(text: &str, word: &str, with: &str) -> String {
    let is_name = |c: char| c.is_alphanumeric() || c == '_' || c == '-' || c == '.';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(word) {
        let before = rest[..i].chars().next_back();
        let mut tail = rest[i + word.len()..].chars();
        // A full stop ends a sentence unless a name goes on after it (alice.smith).
        let after = match tail.next() {
            Some('.') if !tail.next().is_some_and(char::is_alphanumeric) => None,
            other => other,
        };
        // A path (the home dir) may be followed by '/': that is still a whole word.
        let whole = !before.is_some_and(is_name) && !after.is_some_and(|c| is_name(c) && !word.contains('/'));
        out.push_str(&rest[..i]);
        out.push_str(if whole { with } else { word });
        rest = &rest[i + word.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_words_only() {
        let words = vec![("alice".to_string(), "user1".to_string()), ("/home/alice".to_string(), "~".to_string())];
        assert_eq!(apply("/home/alice/.kaggle as alice; malice", &words), "~/.kaggle as user1; malice");
        assert_eq!(apply("as alice. alice.smith", &words), "as user1. alice.smith");
    }
}
