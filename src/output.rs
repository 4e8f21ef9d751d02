//! Where a report goes: stdout in the chosen format (or a file with `--output`, the
//! terminal then getting the summary), `--redact strict`, GitHub Actions annotations and
//! step summary, and the commands that print something other than a report.

use std::io::Write;

use anyhow::{Context, Result};

use crate::cli::{Cli, Command};
use crate::config::Config;
use crate::diagnose::Severity;
use crate::discover::Env;
use crate::exit_codes::{ExitCode, usage};
use crate::report::{self, Format, Report};

/// Runs the parsed command line; returns the exit code.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let env = Env::from_process();
    let config = Config::new(&cli.options, &env).map_err(usage)?;
    crate::timings::enable(env.non_empty("KAD_TIMINGS").is_some_and(|v| v != "0"));
    let report = match cli.command {
        None | Some(Command::Check) => crate::check(&config, &env)?,
        #[cfg(feature = "demo")]
        Some(Command::Demo { list: true, .. }) => return done(&crate::demo::list()),
        #[cfg(feature = "demo")]
        Some(Command::Demo { scenario, .. }) => crate::demo::run(&config, scenario.as_deref())?,
        Some(Command::Explain { code }) => {
            return done(&crate::diagnose::explain::explain(code.as_deref()).map_err(usage)?);
        }
        Some(Command::Schema) => return done(&crate::report::schema()),
        Some(Command::Completions { shell }) => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut crate::cli::command(), "kaggle-auth-doctor", &mut out);
            return done(&String::from_utf8_lossy(&out));
        }
        Some(Command::Man) => return done(&crate::manpage::render()?),
    };
    crate::timings::stage("rendering", || deliver(&config, &env, &report))?;
    crate::timings::finish();
    Ok(report.exit_code)
}

fn done(text: &str) -> Result<ExitCode> {
    emit(text)?;
    Ok(ExitCode::Ok)
}

/// Renders `report` in `format`, scrubbed of every secret of the run: the probe layer
/// scrubs what servers say, and this second pass over the finished document means no
/// renderer can print a secret by forgetting to.
pub fn render(config: &Config, report: &Report, format: Format) -> String {
    report.scrubber.scrub(&render_unscrubbed(config, report, format))
}

fn render_unscrubbed(config: &Config, report: &Report, format: Format) -> String {
    match format {
        Format::Text if config.quiet => report::text::render_quiet(report, text_options(config)),
        Format::Text => report::text::render(report, text_options(config)),
        Format::Json => report::json::render(report),
        Format::Markdown => report::markdown::render(report, config.verbose),
        Format::Junit => report::junit::render(report),
    }
}

fn text_options(config: &Config) -> report::text::Options {
    report::text::Options { color: config.color, verbose: config.verbose, width: config.terminal.width }
}

/// Prints, writes and annotates the report as the options ask.
pub fn deliver(config: &Config, env: &Env, report: &Report) -> Result<()> {
    let strict = || {
        let user = env.non_empty("USER").or_else(|| env.non_empty("LOGNAME")).or_else(|| env.non_empty("USERNAME"));
        let home = env.home.as_ref().map(|h| h.display().to_string());
        report::redact::strict_words(report, user, home.as_deref())
    };
    let words = if config.strict_redaction { strict() } else { Vec::new() };
    let redacted = |text: String| report::redact::apply(&text, &words);
    match &config.output {
        Some(path) => {
            std::fs::write(path, redacted(render(config, report, config.format)))
                .with_context(|| format!("cannot write the report to {}", path.display()))?;
            emit(&redacted(render(config, report, Format::Text)))?;
        }
        None => emit(&redacted(render(config, report, config.format)))?,
    }
    if env.non_empty("GITHUB_ACTIONS") == Some("true") {
        let annotations =
            report::sanitize::text_document(&redacted(report.scrubber.scrub(&annotations(report))), false);
        let _ = std::io::stderr().write_all(annotations.as_bytes());
    }
    if config.step_summary {
        // A step summary is visible to everyone who can see the run: strictly redacted
        // whatever --redact says.
        let markdown = report.scrubber.scrub(&report::markdown::render(report, false));
        let summary = report::redact::apply(&markdown, &strict());
        step_summary(env, &summary)?;
    }
    Ok(())
}

/// `::error title=…::message` per finding (workflow commands; GitHub reads them from
/// stderr as from stdout, so stdout stays a clean report).
pub fn annotations(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let fix = f.fix.iter().filter(|l| !l.starts_with('#')).cloned().collect::<Vec<_>>().join("; ");
        let message = if fix.is_empty() { f.title.clone() } else { format!("{} — fix: {fix}", f.title) };
        out.push_str(&format!(
            "::{level} title={}::{}\n",
            escape_property(&format!("kaggle-auth-doctor {}", f.code.as_str())),
            escape_data(&message)
        ));
    }
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Appends the Markdown report to `GITHUB_STEP_SUMMARY`. The file is opened without
/// blocking: a FIFO nobody reads (or that stops reading) is skipped with a note on
/// stderr instead of hanging the run.
fn step_summary(env: &Env, markdown: &str) -> Result<()> {
    let Some(path) = env.non_empty("GITHUB_STEP_SUMMARY") else {
        let note = "note: --step-summary does nothing outside GitHub Actions (GITHUB_STEP_SUMMARY is not set)\n";
        let _ = std::io::stderr().write_all(note.as_bytes());
        return Ok(());
    };
    let shown = report::sanitize::untrusted(path);
    let mut options = std::fs::OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let mut file = match options.open(path) {
        Ok(file) => file,
        Err(e) if crate::discover::files::is_enxio(&e) => {
            return note(&format!("step summary skipped: nothing reads GITHUB_STEP_SUMMARY ({shown})"));
        }
        Err(e) => return Err(e).with_context(|| format!("cannot open GITHUB_STEP_SUMMARY ({shown})")),
    };
    match file.write_all(markdown.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
            note(&format!("step summary cut short: GITHUB_STEP_SUMMARY ({shown}) stopped accepting data"))
        }
        other => other.context("cannot append to GITHUB_STEP_SUMMARY"),
    }
}

/// A one-line note on stderr (a closed stderr is not an error).
fn note(text: &str) -> Result<()> {
    let _ = writeln!(std::io::stderr(), "note: {text}");
    Ok(())
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
pub fn emit(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to stdout"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotation_text_is_escaped() {
        assert_eq!(escape_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(escape_property("x: y, z"), "x%3A y%2C z");
    }
}
