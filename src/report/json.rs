//! `--format json`: the report as is.

use super::Report;

/// Pretty JSON with a trailing newline. Bidi controls (which serde_json leaves raw) are
/// written as `\uXXXX` escapes: the same JSON value, but one that cannot reorder what a
/// terminal or a web page shows.
pub fn render(report: &Report) -> String {
    let json = serde_json::to_string_pretty(report).expect("the report always serialises");
    let mut out = String::with_capacity(json.len() + 1);
    for c in json.chars() {
        if super::sanitize::is_bidi(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.push('\n');
    out
}
