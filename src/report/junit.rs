//! `--format junit`: JUnit XML for CI systems that read it. One test case per required
//! endpoint of the effective credential, one per finding (what `--fail-on` fails on
//! fails here too, the rest pass with their text as output). A token that introspection
//! calls inactive or expired fails its `introspect` case although the call answered 200.

use std::fmt::Write;

use super::label::Label;
use super::{Judged, Report};
use crate::matrix::Outcome;

/// Renders the report as a JUnit XML document.
pub fn render(r: &Report) -> String {
    let mut cases = Vec::new();
    let source = r.effective.source.map_or("none", |s| s.as_str());
    for e in r.endpoints.iter().filter(|e| e.judged != Judged::Nothing) {
        let cell = r.effective.source.and_then(|s| r.cell(s, e.id));
        let name = format!("{source} × {}", e.id.as_str());
        let failure = match cell {
            Some(c) if Label::of(r, c).token_not_active() => {
                let state = r.token_state(c.source).map_or("not active", |s| s.as_str());
                Some(format!("the token is {state} (introspection)"))
            }
            Some(c) if e.judged == Judged::UnauthorizedOnly && c.outcome != Outcome::Unauthorized => None,
            Some(c) if matches!(c.outcome, Outcome::Ok | Outcome::Skipped) => None,
            Some(c) => {
                Some(format!("{}{}", c.outcome, c.message.as_deref().map_or(String::new(), |m| format!(": {m}"))))
            }
            None => Some("no credential is sent".to_string()),
        };
        cases.push(("effective credential".to_string(), name, failure, None));
    }
    for f in &r.findings {
        let text = format!("{}\n{}\nfix:\n{}", f.title, f.detail, f.fix.join("\n"));
        let fails = r.fail_on.fails_on(f.severity) && f.folded_into.is_none();
        let failure = fails.then(|| f.title.clone());
        let output = (!fails).then_some(text.clone());
        let detail = if failure.is_some() { Some(text) } else { output };
        cases.push(("findings".to_string(), f.code.as_str().to_string(), failure, detail));
    }
    let failures = cases.iter().filter(|c| c.2.is_some()).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<testsuites name=\"kaggle-auth-doctor\" tests=\"{}\" failures=\"{failures}\">", cases.len());
    let _ = writeln!(
        out,
        "  <testsuite name=\"kaggle-auth-doctor\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" timestamp=\"{}\">",
        cases.len(),
        xml(r.generated_at.trim_end_matches('Z'))
    );
    for (class, name, failure, detail) in &cases {
        let _ = write!(out, "    <testcase classname=\"{}\" name=\"{}\"", xml(class), xml(name));
        match (failure, detail) {
            (Some(message), body) => {
                let _ = writeln!(out, ">");
                let _ = writeln!(
                    out,
                    "      <failure message=\"{}\">{}</failure>",
                    xml(message),
                    xml(body.as_deref().unwrap_or(""))
                );
                let _ = writeln!(out, "    </testcase>");
            }
            (None, Some(text)) => {
                let _ = writeln!(out, ">\n      <system-out>{}</system-out>\n    </testcase>", xml(text));
            }
            (None, None) => {
                let _ = writeln!(out, "/>");
            }
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// Escapes text for XML content and attributes; characters XML 1.0 cannot hold (and
/// every other unsafe one) become visible `\u{…}` escapes.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' | '\t' => out.push(c),
            c if super::sanitize::is_unsafe(c) || !super::sanitize::xml_char_ok(c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}
