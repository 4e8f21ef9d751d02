//! The terminal report: header, sources, the source × endpoint matrix with a legend, the
//! effective credential and why, findings with fixes, and the verdict. It fits the
//! terminal's width (docs/output: 80 columns is the common case): prose is wrapped with a
//! hanging indent, the matrix uses short column labels and splits into blocks when it
//! does not fit, and commands and URLs are never broken (a long command may overflow; it
//! has to stay copyable). Cells are padded first and coloured after, so colour never
//! breaks alignment; without colour, the row that is sent is still marked with `>`.

use std::fmt::Write;

use owo_colors::{OwoColorize, Style};

use super::Report;
use super::label::{self, Label};
use super::layout::{self, wrap, wrapped};
use super::sanitize::for_terminal as clean;
use crate::clients::Client;
use crate::diagnose::fix::Shell;
use crate::diagnose::{Finding, Severity, Status};
use crate::discover::{Kind, State};
use crate::endpoints::EndpointId;
use crate::matrix::{Cell, Outcome};
use crate::report::Judged;

/// How the text is laid out.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// ANSI colour.
    pub color: bool,
    /// Every cell's details, folded findings in full, the places looked at.
    pub verbose: bool,
    /// Columns to fit in.
    pub width: usize,
}

/// Renders the report.
pub fn render(report: &Report, o: Options) -> String {
    let mut out = String::new();
    let p = Painter { color: o.color, width: o.width };
    header(&mut out, report, &p);
    sources(&mut out, report, &p, o.verbose);
    matrix(&mut out, report, &p);
    if o.verbose {
        cells(&mut out, report, &p);
    }
    effective(&mut out, report, &p);
    kagglehub(&mut out, report, &p);
    findings(&mut out, report, &p, o.verbose);
    verdict(&mut out, report, &p);
    super::sanitize::text_document(&out, o.color)
}

struct Painter {
    color: bool,
    width: usize,
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
    /// Prose wrapped to the width with a hanging indent.
    fn prose(&self, out: &mut String, text: &str, first: &str, rest: &str) {
        out.push_str(&wrapped(text, self.width, first, rest));
    }
}

fn header(out: &mut String, r: &Report, p: &Painter) {
    let _ = writeln!(out, "{} {}", p.bold(r.tool.name), r.tool.version);
    if let Some(demo) = &r.demo {
        p.prose(out, &format!("demo scenario: {} — {}", clean(&demo.scenario), clean(&demo.description)), "", "  ");
        p.prose(
            out,
            "(a throw-away sandbox HOME and the built-in fake Kaggle API; your real credentials are not read)",
            "  ",
            "  ",
        );
    }
    let pad = "             ";
    p.prose(out, &format!("{} ({})", clean(&r.api_root), r.api_root_from), "API root:    ", pad);
    let c = &r.competition;
    let judged = if r.endpoints.iter().any(|e| e.judged == Judged::UnauthorizedOnly) {
        format!("{}; only a 401 is judged there, not rules or slug — pass -c SLUG", c.from)
    } else {
        c.from.clone()
    };
    p.prose(out, &format!("{} ({judged})", clean(&c.slug)), "competition: ", pad);
    if r.endpoints.iter().any(|e| e.judged == Judged::Nothing) {
        let judged: Vec<&str> =
            r.endpoints.iter().filter(|e| e.judged == Judged::EveryFailure).map(|e| e.id.as_str()).collect();
        p.prose(out, &format!("{} (--require)", judged.join(", ")), "judged:      ", pad);
    }
    for n in &r.resources {
        let label = format!("{:13}", format!("{}:", n.kind.as_str()));
        p.prose(out, &format!("{} ({}) {}", clean(&n.id), n.from, n.page), &label, pad);
    }
    if let Some(f) = &r.from_error {
        from_error(out, f, p);
    }
    p.prose(out, &format!("kaggle {} ({})", r.client.version, r.client.from), "client:      ", pad);
    if let Some(note) = &r.client.note {
        for line in wrap(note, p.width, pad, pad) {
            let _ = writeln!(out, "{}", p.dim(&line));
        }
    }
    if r.offline {
        let _ = writeln!(out, "offline:     no network request was made");
    }
}

/// What the pasted error said, field by field, or that nothing was recognised.
fn from_error(out: &mut String, f: &super::FromError, p: &Painter) {
    let u = &f.understood;
    let pad = "             ";
    if !f.recognised {
        p.prose(out, "nothing recognised in the pasted text; the normal check ran", "from error:  ", pad);
        return;
    }
    let mut parts = Vec::new();
    if let Some(c) = u.client {
        parts.push(format!("client {}", c.describe()));
    }
    if let Some(op) = &u.operation {
        parts.push(format!("operation {}", clean(op)));
    }
    match (&u.resource, u.resource_kind) {
        (Some(r), Some(k)) => parts.push(format!("{} {}", k.as_str(), clean(r))),
        (None, Some(k)) => parts.push(format!("a {} (not named in the text)", k.as_str())),
        _ => {}
    }
    if let Some(s) = u.status {
        parts.push(format!("status {s}"));
    }
    p.prose(out, &parts.join(", "), "from error:  ", pad);
    if let Some(m) = &u.message {
        p.prose(out, &format!("server said: {}", clean(m)), pad, pad);
    }
    if u.parsed.is_none() && (u.resource_kind.is_some() || u.operation.is_some()) {
        let hint = "the text does not name the resource: add --competition/--dataset/--model/--kernel to probe it";
        p.prose(out, hint, pad, pad);
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

fn sources(out: &mut String, r: &Report, p: &Painter, verbose: bool) {
    let _ = writeln!(out, "\n{}", p.bold("Sources"));
    let width = r.sources.iter().map(|s| s.id.as_str().len()).max().unwrap_or(0);
    for s in &r.sources {
        let mark = if Some(s.id) == r.effective.source { ">" } else { " " };
        let head = format!("{mark} {:width$}  {:8}  {}", s.id.as_str(), kind_label(s.kind), clean(&s.origin));
        let mut facts = Vec::new();
        if let Some(fp) = &s.fingerprint {
            facts.push(fp.to_string());
        }
        if let Some(user) = &s.username {
            facts.push(format!("user {}", clean(user)));
        }
        if let Some(t) = &s.token {
            facts.push(format!("token {}", t.state.as_str()));
            if verbose || t.state != crate::discover::TokenState::Active {
                facts.push(format!("scope {}", t.scope.as_deref().map_or("(all)".to_string(), clean)));
                facts.push(format!("expires {}", t.expires_at.as_deref().unwrap_or("never")));
            }
        }
        let one_line = format!("{head}  {}", facts.join("  "));
        if facts.is_empty() && layout::width(&head) <= p.width || layout::width(&one_line) <= p.width {
            let _ = writeln!(out, "{}", one_line.trim_end());
        } else if layout::width(&head) <= p.width {
            let _ = writeln!(out, "{}", head.trim_end());
            p.prose(out, &facts.join(" · "), "      ", "      ");
        } else {
            // The origin is long (a path, an explanation): on lines of its own.
            let _ = writeln!(out, "{mark} {:width$}  {}", s.id.as_str(), kind_label(s.kind));
            p.prose(out, &clean(&s.origin), "      ", "      ");
            if !facts.is_empty() {
                p.prose(out, &facts.join(" · "), "      ", "      ");
            }
        }
        if s.state == State::Unusable {
            let reason = s.reason.as_ref().map_or("unusable".to_string(), ToString::to_string);
            let reason = format!("unusable: {}", clean(&reason));
            for line in wrap(&reason, p.width, "      ", "        ") {
                let _ = writeln!(out, "{}", p.paint(&line, Style::new().yellow()));
            }
        }
        if let Some(note) = &s.client_note {
            for line in wrap(&format!("note: {}", clean(note)), p.width, "      ", "        ") {
                let _ = writeln!(out, "{}", p.dim(&line));
            }
        }
    }
    if verbose && !r.looked_in.is_empty() {
        p.prose(
            out,
            &format!("looked in: {}", r.looked_in.iter().map(|l| clean(l)).collect::<Vec<_>>().join(", ")),
            "  ",
            "    ",
        );
    }
}

/// Short column headers, so ten columns fit in 80; the legend maps them to ids.
pub fn column_label(id: EndpointId) -> &'static str {
    match id {
        EndpointId::Whoami => "who",
        EndpointId::Introspect => "tok",
        EndpointId::CompetitionsGet => "get",
        EndpointId::CompetitionsList => "list",
        EndpointId::CompetitionsSubmissions => "subs",
        EndpointId::CompetitionsLeaderboard => "lb",
        EndpointId::CompetitionsFiles => "files",
        EndpointId::CompetitionsDownload => "dl",
        EndpointId::DatasetsList => "data",
        EndpointId::DatasetsGet => "d.get",
        EndpointId::DatasetsDownload => "d.dl",
        EndpointId::KernelsList => "kern",
        EndpointId::KernelsGet => "k.get",
        EndpointId::ModelsList => "model",
        EndpointId::ModelsGet => "m.get",
        EndpointId::ModelsDownload => "m.dl",
    }
}

fn judged_mark(judged: Judged) -> &'static str {
    match judged {
        Judged::EveryFailure => "",
        Judged::UnauthorizedOnly => "°",
        Judged::Nothing => "~",
    }
}

fn cell_style(cell: &Cell, label: Label) -> Style {
    if label.token_not_active() {
        return Style::new().red().bold();
    }
    match cell.outcome {
        Outcome::Ok => Style::new().green(),
        Outcome::Unauthorized => Style::new().red().bold(),
        Outcome::Forbidden => Style::new().red(),
        Outcome::NotFound | Outcome::HttpError => Style::new().yellow(),
        Outcome::RateLimited | Outcome::ServerError | Outcome::Network | Outcome::Timeout => Style::new().magenta(),
        Outcome::Skipped | Outcome::NotProbed => Style::new().dimmed(),
    }
}

fn matrix(out: &mut String, r: &Report, p: &Painter) {
    let _ = writeln!(out, "\n{}", p.bold("Matrix"));
    let row_width = 2 + r.sources.iter().map(|s| s.id.as_str().len()).max().unwrap_or(0);
    let heads: Vec<String> =
        r.endpoints.iter().map(|e| format!("{}{}", column_label(e.id), judged_mark(e.judged))).collect();
    let labels: Vec<Vec<Option<Label>>> = r
        .sources
        .iter()
        .map(|s| r.endpoints.iter().map(|e| r.cell(s.id, e.id).map(|c| Label::of(r, c))).collect())
        .collect();
    let shown = |label: &Option<Label>| label.map_or(String::new(), |l| l.to_string());
    let widths: Vec<usize> = (0..heads.len())
        .map(|i| {
            labels.iter().map(|row| layout::width(&shown(&row[i]))).chain([layout::width(&heads[i])]).max().unwrap_or(1)
        })
        .collect();
    let room = p.width.saturating_sub(row_width + 1).max(1);
    for block in layout::column_blocks(&widths, room) {
        let mut head = format!("{:row_width$}", "");
        for i in block.clone() {
            let _ = write!(head, " {:>w$}", heads[i], w = widths[i]);
        }
        let _ = writeln!(out, "{}", p.bold(head.trim_end()));
        for (s, row) in r.sources.iter().zip(&labels) {
            let mark = if Some(s.id) == r.effective.source { ">" } else { " " };
            let mut line = format!("{mark} {:w$}", s.id.as_str(), w = row_width - 2);
            if mark == ">" {
                line = p.bold(&line);
            }
            for i in block.clone() {
                let padded = format!("{:>w$}", shown(&row[i]), w = widths[i]);
                let style = match (r.cell(s.id, r.endpoints[i].id), row[i]) {
                    (Some(c), Some(label)) => cell_style(c, label),
                    _ => Style::new(),
                };
                let _ = write!(line, " {}", p.paint(&padded, style));
            }
            let _ = writeln!(out, "{line}");
        }
    }
    legend(out, r, p, &labels);
}

fn legend(out: &mut String, r: &Report, p: &Painter, labels: &[Vec<Option<Label>>]) {
    let used = labels.iter().flatten().flatten().copied();
    let mut entries: Vec<String> = Vec::new();
    if r.effective.source.is_some() {
        entries.push("> = sent by the client".into());
    }
    entries.extend(label::legend(used).into_iter().map(str::to_string));
    if r.endpoints.iter().any(|e| e.judged == Judged::UnauthorizedOnly) {
        entries.push("° = only a 401 counts (competition not named)".into());
    }
    if r.endpoints.iter().any(|e| e.judged == Judged::Nothing) {
        entries.push("~ = not judged (--require)".into());
    }
    for line in wrap(&entries.join(" · "), p.width, "  ", "  ") {
        let _ = writeln!(out, "{}", p.dim(&line));
    }
    let columns: Vec<String> = r
        .endpoints
        .iter()
        .filter(|e| column_label(e.id) != e.id.as_str())
        .map(|e| format!("{}={}", column_label(e.id), e.id.as_str()))
        .collect();
    if !columns.is_empty() {
        for line in wrap(&format!("columns: {}", columns.join(" ")), p.width, "  ", "    ") {
            let _ = writeln!(out, "{}", p.dim(&line));
        }
    }
}

fn cells(out: &mut String, r: &Report, p: &Painter) {
    let _ = writeln!(out, "\n{}", p.bold("Cells"));
    for c in r.matrix.iter().filter(|c| c.elapsed_ms.is_some()) {
        let status = c.status.map_or_else(|| "-".to_string(), |s| s.to_string());
        let mut line = format!(
            "{} × {}: {} {status} in {} ms",
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
        p.prose(out, &line, "  ", "      ");
    }
}

fn effective(out: &mut String, r: &Report, p: &Painter) {
    let e = &r.effective;
    let _ = writeln!(out, "\n{}", p.bold("What the official client sends"));
    let what = super::label::sent_headline(e, str::to_string);
    for line in wrap(&what, p.width, "  ", "    ") {
        let _ = writeln!(out, "{}", p.bold(&line));
    }
    for reason in &e.reasons {
        p.prose(out, &clean(reason), "  - ", "    ");
    }
    if !r.shadowed.is_empty() {
        let names: Vec<&str> = r.shadowed.iter().map(|s| s.as_str()).collect();
        p.prose(out, &format!("shadowed (would work, never sent): {}", names.join(", ")), "  ", "    ");
    }
}

fn kagglehub(out: &mut String, r: &Report, p: &Painter) {
    let Some(hub) = r.clients.iter().find(|c| c.client == Client::Kagglehub) else { return };
    let _ = writeln!(out);
    for line in wrap(&format!("What kagglehub sends (kagglehub {}, {})", hub.version, hub.from), p.width, "", "  ") {
        let _ = writeln!(out, "{}", p.bold(&line));
    }
    if let Some(note) = &hub.note {
        p.prose(out, &clean(note), "  ", "    ");
    }
    let chosen = hub.chosen.map_or("nothing (it believes it is anonymous)", |s| s.as_str());
    p.prose(out, &format!("its own lookup returns: {chosen}"), "  ", "    ");
    for op in &hub.operations {
        let what = match (op.sends, op.source) {
            ("bearer" | "basic", Some(s)) => format!("{} <{}>", op.sends, s.as_str()),
            (sends, _) => sends.to_string(),
        };
        let note = op.note.as_deref().map_or(String::new(), |n| format!(" — {}", clean(n)));
        p.prose(out, &format!("{:22} {what}{note}", op.operation), "  ", "    ");
    }
    for reason in &hub.effective.reasons {
        p.prose(out, &clean(reason), "  - ", "    ");
    }
}

fn severity_style(severity: Severity) -> (&'static str, Style) {
    match severity {
        Severity::Error => ("error", Style::new().red().bold()),
        Severity::Warning => ("warning", Style::new().yellow().bold()),
        Severity::Info => ("info", Style::new().blue()),
    }
}

fn findings(out: &mut String, r: &Report, p: &Painter, verbose: bool) {
    let shown: Vec<&Finding> = r.findings.iter().filter(|f| verbose || f.folded_into.is_none()).collect();
    if shown.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}", p.bold("Findings"));
    for f in shown {
        finding(out, r, p, f);
    }
}

fn finding(out: &mut String, r: &Report, p: &Painter, f: &Finding) {
    let (label, style) = severity_style(f.severity);
    let tag = format!("{label}[{}]:", f.code.as_str());
    let lines = wrap(&format!("{tag} {}", clean(&f.title)), p.width, "  ", "    ");
    for (i, line) in lines.iter().enumerate() {
        match (i, line.strip_prefix(&format!("  {tag}"))) {
            (0, Some(rest)) => {
                let _ = writeln!(out, "  {}{rest}", p.paint(&tag, style));
            }
            _ => {
                let _ = writeln!(out, "{line}");
            }
        }
    }
    if let Some(primary) = f.folded_into {
        p.prose(out, &format!("(explains the same failure as {})", primary.as_str()), "    ", "    ");
    }
    p.prose(out, &clean(&f.detail), "    ", "    ");
    for code in &f.related {
        let title = r.findings.iter().find(|g| g.code == *code).map_or(String::new(), |g| clean(&g.title));
        p.prose(out, &format!("also: {} — {title}", code.as_str()), "    ", "      ");
    }
    if !f.fix.is_empty() {
        let _ = writeln!(out, "    fix:");
        for line in &f.fix {
            let line = clean(line);
            if line.starts_with('#') {
                for l in wrap(&line, p.width, "      ", "      # ") {
                    let _ = writeln!(out, "{}", p.dim(&l));
                }
                continue;
            }
            let prompt = match (r.shell, line.starts_with('!') || line.starts_with("import ")) {
                (_, true) => "",
                (Shell::Sh, false) => "$ ",
                (Shell::Powershell, false) => "PS> ",
            };
            // A command is never wrapped: it must stay copyable.
            let _ = writeln!(out, "      {prompt}{line}");
        }
    }
    if !f.related.is_empty() {
        p.prose(out, "(the others in full: -v; the long story: kaggle-auth-doctor explain CODE)", "    ", "    ");
    }
}

fn verdict(out: &mut String, r: &Report, p: &Painter) {
    let (label, style) = match r.verdict.status {
        Status::Pass => ("PASS", Style::new().green().bold()),
        Status::Fail => ("FAIL", Style::new().red().bold()),
        Status::Inconclusive => ("INCONCLUSIVE", Style::new().magenta().bold()),
    };
    let code = i32::from(r.exit_code);
    let mut text = format!("{label} {} (exit {code})", clean(&r.verdict.summary));
    if let Some(fix) = &r.verdict.fix {
        let _ = write!(text, " — first: {}", clean(fix));
    }
    let _ = writeln!(out);
    let lines = wrap(&text, p.width, "", "  ");
    for (i, line) in lines.iter().enumerate() {
        match (i, line.strip_prefix(label)) {
            (0, Some(rest)) => {
                let _ = writeln!(out, "{}{rest}", p.paint(label, style));
            }
            _ => {
                let _ = writeln!(out, "{line}");
            }
        }
    }
}

/// `-q`: what made the run fail — the findings at the `--fail-on` level (the primary
/// cause, folded findings left out) with their fixes, and the verdict line; nothing when
/// the run passes.
pub fn render_quiet(report: &Report, o: Options) -> String {
    if report.exit_code == crate::exit_codes::ExitCode::Ok {
        return String::new();
    }
    let p = Painter { color: o.color, width: o.width };
    let mut out = String::new();
    for f in report.findings.iter().filter(|f| f.folded_into.is_none() && report.fail_on.fails_on(f.severity)) {
        finding(&mut out, report, &p, f);
    }
    verdict(&mut out, report, &p);
    super::sanitize::text_document(out.trim_start_matches('\n'), o.color)
}
