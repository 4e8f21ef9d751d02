//! `--format markdown`: a report to paste into a GitHub issue or a Kaggle forum post.
//! Secrets are fingerprints already; untrusted text is escaped so it cannot inject HTML
//! or break the tables. A ticket should be short and readable without sideways
//! scrolling: short column labels with a legend, one Sources table, folded findings as
//! one line each; the whole JSON report only on request (`-v`), in a collapsed block.

use std::fmt::Write;

use super::label::{self, Label};
use super::{Judged, Report};
use crate::diagnose::Status;
use crate::diagnose::fix::Shell;
use crate::matrix::Outcome;

/// Renders the report as GitHub-flavoured Markdown; `with_json` appends the JSON report.
pub fn render(r: &Report, with_json: bool) -> String {
    let mut out = String::new();
    let (icon, verdict) = match r.verdict.status {
        Status::Pass => ("✅", "PASS"),
        Status::Fail => ("❌", "FAIL"),
        Status::Inconclusive => ("⚠️", "INCONCLUSIVE"),
    };
    let _ = writeln!(out, "## {icon} kaggle-auth-doctor: {verdict} — {}\n", inline(&r.verdict.summary));
    let _ = writeln!(out, "| | |\n|---|---|");
    let mut rows = vec![
        ("tool", format!("{} {}", r.tool.name, r.tool.version)),
        ("OS", r.os.clone()),
        ("host", r.host.clone()),
        ("client", format!("kaggle {} ({})", r.client.version, r.client.from)),
        ("API root", r.api_root.clone()),
        ("competition", format!("{} ({})", r.competition.slug, r.competition.from)),
        ("time (UTC)", r.generated_at.clone()),
        ("exit code", i32::from(r.exit_code).to_string()),
    ];
    for n in &r.resources {
        rows.push((n.kind.as_str(), format!("{} ({})", n.id, n.from)));
    }
    if let Some(f) = &r.from_error {
        let u = &f.understood;
        let said = [u.operation.clone(), u.resource.clone(), u.status.map(|s| s.to_string()), u.message.clone()];
        let said: Vec<String> = said.into_iter().flatten().collect();
        rows.push(("from error", if f.recognised { said.join(" · ") } else { "nothing recognised".into() }));
    }
    for (k, v) in rows {
        let _ = writeln!(out, "| {k} | {} |", cell(&v));
    }
    sources(&mut out, r);
    effective(&mut out, r);
    matrix(&mut out, r);
    findings(&mut out, r);
    if with_json {
        let json = super::json::render(r);
        let fence = fence_for(&json);
        let _ =
            writeln!(out, "\n<details><summary>JSON report</summary>\n\n{fence}json\n{}{fence}\n\n</details>", json);
    } else {
        let _ = writeln!(
            out,
            "\n<sub>The full JSON report: `kaggle-auth-doctor --format json` (secrets are never included).</sub>"
        );
    }
    super::sanitize::markdown_document(&out)
}

fn sources(out: &mut String, r: &Report) {
    let _ = writeln!(out, "\n### Sources\n");
    let _ = writeln!(out, "| | source | kind | where | fingerprint | user | state |\n|---|---|---|---|---|---|---|");
    for s in &r.sources {
        let sent = if Some(s.id) == r.effective.source { "➡️" } else { "" };
        let state = match (&s.reason, &s.token) {
            (Some(reason), _) => format!("unusable: {reason}"),
            (None, Some(t)) => {
                let scope = t.scope.as_deref().map_or(String::new(), |sc| format!(", scope {sc}"));
                let exp = t.expires_at.as_deref().map_or(String::new(), |e| format!(", expires {e}"));
                format!("token {}{scope}{exp}", t.state.as_str())
            }
            (None, None) => "usable".into(),
        };
        let _ = writeln!(
            out,
            "| {sent} | `{}` | {} | {} | {} | {} | {} |",
            s.id.as_str(),
            s.kind.as_str(),
            cell(&s.origin),
            s.fingerprint.as_ref().map_or(String::new(), |f| format!("`{f}`")),
            cell(s.username.as_deref().unwrap_or("")),
            cell(&state)
        );
    }
}

fn effective(out: &mut String, r: &Report) {
    let e = &r.effective;
    let _ = writeln!(out, "\n### What the official client sends\n");
    let what = super::label::sent_headline(e, |s| format!("`{s}`"));
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
        let mark = match e.judged {
            Judged::EveryFailure => "",
            Judged::UnauthorizedOnly => "°",
            Judged::Nothing => "~",
        };
        let _ = write!(head, " {}{mark} |", super::text::column_label(e.id));
        rule.push_str(":---:|");
    }
    let _ = writeln!(out, "{head}\n{rule}");
    let mut used = Vec::new();
    for s in &r.sources {
        let sent = if Some(s.id) == r.effective.source { "➡️ " } else { "" };
        let mut line = format!("| {sent}`{}` |", s.id.as_str());
        for e in &r.endpoints {
            let Some(c) = r.cell(s.id, e.id) else { continue };
            let label = Label::of(r, c);
            let icon = match c.outcome {
                _ if label.is_refusal() => "❌ ",
                Outcome::Ok => "✅ ",
                Outcome::Skipped | Outcome::NotProbed => "",
                _ => "⚠️ ",
            };
            let _ = write!(line, " {icon}{label} |");
            used.push(label);
        }
        let _ = writeln!(out, "{line}");
    }
    let mut legend: Vec<String> = label::legend(used).into_iter().map(str::to_string).collect();
    legend.insert(0, "➡️ sent by the client".into());
    if r.endpoints.iter().any(|e| e.judged == Judged::UnauthorizedOnly) {
        legend.push("° only a 401 counts (competition not named)".into());
    }
    if r.endpoints.iter().any(|e| e.judged == Judged::Nothing) {
        legend.push("~ not judged (--require)".into());
    }
    let columns: Vec<String> =
        r.endpoints.iter().map(|e| format!("{} `{}`", super::text::column_label(e.id), e.id.as_str())).collect();
    let _ = writeln!(out, "\n{}\n\nColumns: {}", legend.join(" · "), columns.join(" · "));
}

fn findings(out: &mut String, r: &Report) {
    if r.findings.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n### Findings\n");
    let lang = if r.shell == Shell::Powershell { "powershell" } else { "sh" };
    for f in r.findings.iter().filter(|f| f.folded_into.is_none()) {
        let severity = f.severity.as_str();
        let _ = writeln!(out, "#### {severity} `{}`: {}\n", f.code.as_str(), inline(&f.title));
        let _ = writeln!(out, "{}\n", inline(&f.detail));
        for code in &f.related {
            let title = r.findings.iter().find(|g| g.code == *code).map_or(String::new(), |g| inline(&g.title));
            let _ = writeln!(out, "- also: `{}` — {title}", code.as_str());
        }
        if !f.related.is_empty() {
            let _ = writeln!(out);
        }
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
