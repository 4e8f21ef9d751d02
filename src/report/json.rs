//! `--format json`: the report as is.

use super::Report;

/// Pretty JSON with a trailing newline. Characters serde_json leaves raw but a terminal
/// or web page could misshow (DEL, C1 controls, bidi and other format characters) are
/// written as `\uXXXX` escapes: the same JSON value.
pub fn render(report: &Report) -> String {
    let json = serde_json::to_string_pretty(report).expect("the report always serialises");
    let mut out = super::sanitize::json_document(&json);
    out.push('\n');
    out
}
