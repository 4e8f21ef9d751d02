//! The terminal report: header, sources, the source × endpoint matrix with a legend, the
//! effective credential and why, findings with fixes, and the verdict. Cells are padded
//! first and coloured after, so colour never breaks alignment.

use std::fmt::Write;

use owo_colors::{OwoColorize, Style};

use super::Report;
use super::sanitize::for_terminal as clean;
use crate::client_model::Auth;
use crate::diagnose::fix::Shell;
use crate::diagnose::{Severity, Status};
use crate::discover::{Kind, State};
use crate::endpoints::EndpointId;
use crate::matrix::{Cell, Outcome};

/// Renders the report; `color` decides ANSI styling, `verbose` adds every cell's details.
pub fn render(report: &Report, color: bool, verbose: bool) -> String {
    let mut out = String::new();
    let p = Painter { color };
    header(&mut out, report, &p);
    sources(&mut out, report, &p);
    matrix(&mut out, report, &p);
    if verbose {
        cells(&mut out, report, &p);
    }
    effective(&mut out, report, &p);
    kagglehub(&mut out, report, &p);
    findings(&mut out, report, &p);
    verdict(&mut out, report, &p);
    out
}

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, text: &str, style: Style) -> String {
        if self.color { text.style(style).to_string() } else { text.to_string() }
    }
    fn bold(&self, text: &str) -> String {
        self.paint(text, Style::new().bold())
    }
    fn dim(&self, text: &str) -> String {
        self.paint(text, Style::new().dimmed())
    }
}

fn header(out: &mut String, r: &Report, p: &Painter) {
    let _ = writeln!(out, "{} {}", p.bold(r.tool.name), r.tool.version);
    if let Some(demo) = &r.demo {
        let _ = writeln!(out, "demo scenario: {} — {}", demo.scenario, clean(&demo.description));
        let _ = writeln!(
            out,
            "  (a throw-away sandbox HOME and the built-in fake Kaggle API; your real credentials are not read)"
        );
    }
    let _ = writeln!(out, "API root:    {} ({})", clean(&r.api_root), r.api_root_from);
    let c = &r.competition;
    let _ = writeln!(out, "competition: {} ({})", clean(&c.slug), c.from);
    let _ = writeln!(out, "client:      kaggle {} ({})", r.client.version, r.client.from);
    if let Some(note) = &r.client.note {
        let _ = writeln!(out, "             {}", p.dim(note));
    }
    if r.offline {
        let _ = writeln!(out, "offline:     no network request was made");
    }
}

fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Token => "token",
        Kind::KeyPair => "key pair",
        Kind::Oauth => "oauth",
        Kind::None => "-",
    }
}

fn sources(out: &mut String, r: &Report, p: &Painter) {
    let _ = writeln!(out, "\n{}", p.bold("Sources"));
    let width = r.sources.iter().map(|s| s.id.as_str().len()).max().unwrap_or(0);
    let origins: Vec<String> = r.sources.iter().map(|s| clean(&s.origin)).collect();
    let origin_width = origins.iter().map(|o| o.chars().count()).max().unwrap_or(0);
    for (s, origin) in r.sources.iter().zip(&origins) {
        let id = format!("{:width$}", s.id.as_str());
        let mut line = format!("  {id}  {:8}  {origin:origin_width$}", kind_label(s.kind));
        if let Some(fp) = &s.fingerprint {
            let _ = write!(line, "  {fp}");
        }
        if let Some(user) = &s.username {
            let _ = write!(line, "  user {}", clean(user));
        }
        if s.state == State::Unusable {
            let reason = s.reason.as_deref().unwrap_or("unusable");
            let _ = write!(
                line,
                "\n  {:width$}  {}",
                "",
                p.paint(&format!("unusable: {}", clean(reason)), Style::new().yellow())
            );
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// Short column headers; the legend maps them to endpoint ids.
fn column_label(id: EndpointId) -> &'static str {
    match id {
        EndpointId::Whoami => "whoami",
        EndpointId::Introspect => "intro",
        EndpointId::CompetitionsGet => "c.get",
        EndpointId::CompetitionsList => "c.list",
        EndpointId::CompetitionsSubmissions => "c.subs",
        EndpointId::CompetitionsLeaderboard => "c.lb",
        EndpointId::CompetitionsFiles => "c.files",
        EndpointId::DatasetsList => "datasets",
        EndpointId::KernelsList => "kernels",
        EndpointId::ModelsList => "models",
    }
}

fn cell_text(cell: &Cell) -> (String, Style) {
    let style = match cell.outcome {
        Outcome::Ok => Style::new().green(),
        Outcome::Unauthorized => Style::new().red().bold(),
        Outcome::Forbidden => Style::new().red(),
        Outcome::NotFound | Outcome::HttpError => Style::new().yellow(),
        Outcome::RateLimited | Outcome::ServerError | Outcome::Network | Outcome::Timeout => Style::new().magenta(),
        Outcome::Skipped | Outcome::NotProbed => Style::new().dimmed(),
    };
    (super::cell_label(cell), style)
}

fn matrix(out: &mut String, r: &Report, p: &Painter) {
    let _ = writeln!(out, "\n{}", p.bold("Matrix"));
    let width = r.sources.iter().map(|s| s.id.as_str().len()).max().unwrap_or(0);
    let mut head = format!("  {:width$}", "");
    for e in &r.endpoints {
        let label = column_label(e.id);
        let label = if e.required { label.to_string() } else { format!("{label}°") };
        let _ = write!(head, " {label:>8}");
    }
    let _ = writeln!(out, "{}", p.bold(&head));
    for s in &r.sources {
        let mut line = format!("  {:width$}", s.id.as_str());
        if Some(s.id) == r.effective.source {
            line = p.bold(&line);
        }
        for e in &r.endpoints {
            let Some(cell) = r.cell(s.id, e.id) else { continue };
            let (text, style) = cell_text(cell);
            let padded = format!("{text:>8}");
            let _ = write!(line, " {}", p.paint(&padded, style));
        }
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "  {}", p.dim(super::LEGEND));
    let _ = writeln!(
        out,
        "  {}",
        p.dim("columns: intro=introspect, c.*=competitions.get/list/submissions/leaderboard/files, others *.list; ° = not required for the verdict")
    );
}

fn cells(out: &mut String, r: &Report, p: &Painter) {
    let _ = writeln!(out, "\n{}", p.bold("Cells"));
    for c in r.matrix.iter().filter(|c| c.elapsed_ms.is_some()) {
        let status = c.status.map_or_else(|| "-".to_string(), |s| s.to_string());
        let mut line = format!(
            "  {} × {}: {} {status} in {} ms",
            c.source.as_str(),
            c.endpoint.as_str(),
            c.outcome,
            c.elapsed_ms.unwrap_or(0)
        );
        if let Some(id) = &c.request_id {
            let _ = write!(line, ", request id {}", clean(id));
        }
        if let Some(m) = &c.message {
            let _ = write!(line, ": {}", clean(m));
        }
        let _ = writeln!(out, "{line}");
    }
}

fn effective(out: &mut String, r: &Report, p: &Painter) {
    let e = &r.effective;
    let _ = writeln!(out, "\n{}", p.bold("What the official client sends"));
    let what = match (e.auth, e.source) {
        (Auth::None, _) => "nothing (no Authorization header)".to_string(),
        (auth, Some(id)) => {
            let how = if auth == Auth::Bearer { "Bearer" } else { "Basic" };
            let fp = e.fingerprint.as_ref().map_or(String::new(), |f| format!(", {f}"));
            format!("{} ({how}{fp})", id.as_str())
        }
        (_, None) => "an unidentified credential".to_string(),
    };
    let _ = writeln!(out, "  {}", p.bold(&what));
    for reason in &e.reasons {
        let _ = writeln!(out, "  - {}", clean(reason));
    }
    if !r.shadowed.is_empty() {
        let names: Vec<&str> = r.shadowed.iter().map(|s| s.as_str()).collect();
        let _ = writeln!(out, "  shadowed (would work, never sent): {}", names.join(", "));
    }
}

fn kagglehub(out: &mut String, r: &Report, p: &Painter) {
    let Some(hub) = r.clients.iter().find(|c| c.client == "kagglehub") else { return };
    let _ = writeln!(out, "\n{}", p.bold(&format!("What kagglehub sends (kagglehub {}, {})", hub.version, hub.from)));
    let chosen = hub.chosen.map_or("nothing (it believes it is anonymous)", |s| s.as_str());
    let _ = writeln!(out, "  its own lookup returns: {chosen}");
    for op in &hub.operations {
        let what = match (op.sends, op.source) {
            ("bearer" | "basic", Some(s)) => format!("{} <{}>", op.sends, s.as_str()),
            (sends, _) => sends.to_string(),
        };
        let note = op.note.as_deref().map_or(String::new(), |n| format!(" — {}", clean(n)));
        let _ = writeln!(out, "  {:22} {what}{note}", op.operation);
    }
    for reason in &hub.effective.reasons {
        let _ = writeln!(out, "  - {}", clean(reason));
    }
}

fn findings(out: &mut String, r: &Report, p: &Painter) {
    if r.findings.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}", p.bold("Findings"));
    for f in &r.findings {
        let style = match f.severity {
            Severity::Error => Style::new().red().bold(),
            Severity::Warning => Style::new().yellow().bold(),
            Severity::Info => Style::new().blue(),
        };
        let tag = format!("{}[{}]", f.severity, f.code.as_str());
        let _ = writeln!(out, "  {}: {}", p.paint(&tag, style), clean(&f.title));
        let _ = writeln!(out, "    {}", clean(&f.detail));
        if !f.fix.is_empty() {
            let _ = writeln!(out, "    fix:");
            for line in &f.fix {
                let shown = match (line.starts_with('#'), r.shell) {
                    (true, _) => p.dim(&clean(line)),
                    (false, Shell::Sh) => format!("$ {}", clean(line)),
                    (false, Shell::Powershell) => format!("PS> {}", clean(line)),
                };
                let _ = writeln!(out, "      {shown}");
            }
        }
    }
}

fn verdict(out: &mut String, r: &Report, p: &Painter) {
    let (label, style) = match r.verdict.status {
        Status::Pass => ("PASS", Style::new().green().bold()),
        Status::Fail => ("FAIL", Style::new().red().bold()),
        Status::Inconclusive => ("INCONCLUSIVE", Style::new().magenta().bold()),
    };
    let code = i32::from(r.exit_code);
    let _ = writeln!(out, "\n{} {} (exit {code})", p.paint(label, style), clean(&r.verdict.summary));
}

/// `-q`: only the error findings and their fixes; nothing when there are none.
pub fn render_quiet(report: &Report, color: bool) -> String {
    let mut r = report.clone();
    r.findings.retain(|f| f.severity == Severity::Error);
    let mut out = String::new();
    findings(&mut out, &r, &Painter { color });
    // No section heading: the errors are all there is.
    out.trim_start_matches('\n').trim_start_matches("Findings\n").to_string()
}
