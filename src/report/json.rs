//! `--format json`: the report as is.

use super::Report;

/// Pretty JSON with a trailing newline.
pub fn render(report: &Report) -> String {
    let mut out = serde_json::to_string_pretty(report).expect("the report always serialises");
    out.push('\n');
    out
}
