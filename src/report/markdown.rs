//! `--format markdown`: a report to paste into a GitHub issue or a Kaggle forum post.
//! Secrets are fingerprints already; untrusted text is escaped so it cannot inject HTML
//! or break the tables. The whole JSON report sits in a collapsed `<details>` block.

use std::fmt::Write;

use super::{Report, cell_label};
use crate::client_model::Auth;
use crate::diagnose::Status;
use crate::diagnose::fix::Shell;
use crate::matrix::Outcome;

/// Renders the report as GitHub-flavoured Markdown.
pub fn render(r: &Report) -> String {
    let mut out = String::new();
    let (icon, verdict) = match r.verdict.status {
        Status::Pass => ("✅", "PASS"),
        Status::Fail => ("❌", "FAIL"),
        Status::Inconclusive => ("⚠️", "INCONCLUSIVE"),
    };
    let _ = writeln!(out, "## {icon} kaggle-auth-doctor: {verdict} — {}\n", inline(&r.verdict.summary));
    let _ = writeln!(out, "| | |\n|---|---|");
    let rows = [
        ("tool", format!("{} {}", r.tool.name, r.tool.version)),
        ("OS", r.os.clone()),
        ("host", r.host.clone()),
        ("client", format!("kaggle {} ({})", r.client.version, r.client.from)),
        ("API root", r.api_root.clone()),
        ("competition", format!("{} ({})", r.competition.slug, r.competition.from)),
        ("time (UTC)", r.generated_at.clone()),
        ("exit code", i32::from(r.exit_code).to_string()),
    ];
    for (k, v) in rows {
        let _ = writeln!(out, "| {k} | {} |", cell(&v));
    }
    effective(&mut out, r);
    matrix(&mut out, r);
    findings(&mut out, r);
    let json = super::json::render(r);
    let fence = fence_for(&json);
    let _ = writeln!(out, "\n<details><summary>JSON report</summary>\n\n{fence}json\n{}{fence}\n\n</details>", json);
    out
}

fn effective(out: &mut String, r: &Report) {
    let e = &r.effective;
    let _ = writeln!(out, "\n### What the official client sends\n");
    let what = match (e.auth, e.source) {
        (Auth::None, _) => "nothing (no Authorization header)".to_string(),
        (auth, Some(id)) => {
            let fp = e.fingerprint.as_ref().map_or(String::new(), |f| format!(", `{f}`"));
            format!("`{}` ({}{fp})", id.as_str(), if auth == Auth::Bearer { "Bearer" } else { "Basic" })
        }
        (_, None) => "an unidentified credential".to_string(),
    };
    let _ = writeln!(out, "**{what}**\n");
    for reason in &e.reasons {
        let _ = writeln!(out, "- {}", inline(reason));
    }
    if !r.shadowed.is_empty() {
        let names: Vec<String> = r.shadowed.iter().map(|s| format!("`{}`", s.as_str())).collect();
        let _ = writeln!(out, "\nShadowed (would work, never sent): {}", names.join(", "));
    }
}

fn matrix(out: &mut String, r: &Report) {
    let _ = writeln!(out, "\n### Matrix\n");
    let mut head = "| source |".to_string();
    let mut rule = "|---|".to_string();
    for e in &r.endpoints {
        let mark = if e.required { "" } else { " °" };
        let _ = write!(head, " `{}`{mark} |", e.id.as_str());
        rule.push_str(":---:|");
    }
    let _ = writeln!(out, "{head}\n{rule}");
    for s in &r.sources {
        let mut line = format!("| `{}` |", s.id.as_str());
        for e in &r.endpoints {
            let Some(c) = r.cell(s.id, e.id) else { continue };
            let icon = match c.outcome {
                Outcome::Ok => "✅ ",
                Outcome::Unauthorized | Outcome::Forbidden => "❌ ",
                Outcome::Skipped | Outcome::NotProbed => "",
                _ => "⚠️ ",
            };
            let _ = write!(line, " {icon}{} |", cell_label(c));
        }
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "\n{} · ° not required for the verdict", super::LEGEND);
}

fn findings(out: &mut String, r: &Report) {
    if r.findings.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n### Findings\n");
    let lang = if r.shell == Shell::Powershell { "powershell" } else { "sh" };
    for f in &r.findings {
        let _ = writeln!(out, "#### {} `{}`: {}\n", f.severity, f.code.as_str(), inline(&f.title));
        let _ = writeln!(out, "{}\n", inline(&f.detail));
        if !f.fix.is_empty() {
            let body = f.fix.join("\n");
            let fence = fence_for(&body);
            let _ = writeln!(out, "{fence}{lang}\n{body}\n{fence}\n");
        }
    }
}

/// Text for a paragraph: no raw HTML, no stray control characters.
fn inline(text: &str) -> String {
    super::sanitize::for_terminal(text).replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Text for a table cell: also no pipes or line breaks.
fn cell(text: &str) -> String {
    inline(text).replace('|', "\\|")
}

/// A backtick fence longer than any run inside `body`.
fn fence_for(body: &str) -> String {
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}
