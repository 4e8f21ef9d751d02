//! `kaggle-auth-doctor man`: the man page. clap_mangen renders the name, synopsis and
//! options from the CLI definitions; the sections a man page reader looks for — EXIT
//! STATUS, ENVIRONMENT, FILES, EXAMPLES — are written here, and the subcommands are listed
//! in place (clap_mangen would point at per-subcommand pages that are not installed).

use std::io::Write;

use anyhow::Result;

/// The subcommands with one line each.
const COMMANDS: &[(&str, &str)] = &[
    ("check", "Diagnose this machine's Kaggle credentials (the default)."),
    (
        "demo [SCENARIO|FILE]",
        "Run the diagnosis on a built-in scenario in a sandbox, against a built-in fake Kaggle API.",
    ),
    ("explain [CODE]", "Explain a finding code at length; without a code, list them."),
    ("schema", "Print the JSON Schema of the --format json report."),
    ("completions SHELL", "Print a completion script for bash, zsh, fish, elvish or powershell."),
    ("man", "Print this page."),
];

const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "The credential the official client sends works for every judged endpoint."),
    ("1", "It does not, or there is none: the report names the cause and the fix."),
    ("2", "Usage error: a bad flag or argument."),
    ("3", "Inconclusive: Kaggle could not be reached (network, timeouts, server errors)."),
    ("4", "Runtime failure: the doctor could not do its own work (e.g. write --output)."),
];

const ENVIRONMENT: &[(&str, &str)] = &[
    ("KAGGLE_API_TOKEN", "An access token, or the path of a file holding one."),
    ("KAGGLE_USERNAME, KAGGLE_KEY", "A legacy username and key."),
    ("KAGGLE_CONFIG_DIR", "Where the client looks for kaggle.json."),
    ("KAGGLE_COMPETITION", "The client's default competition."),
    ("KAGGLE_API_ENVIRONMENT", "LOCALHOST points the client (and the doctor) at http://localhost/api/v1."),
    ("HTTPS_PROXY, HTTP_PROXY, NO_PROXY", "Proxies, honoured as the client does."),
    ("REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE", "The CA bundle kaggle 1.7+ and kagglehub trust instead of certifi's roots."),
    ("KAGGLE_SSL_CA_CERT, KAGGLE_PROXY", "kaggle 1.5/1.6's own CA file and proxy (they ignore the variables above)."),
    ("COLUMNS", "The width the text report fits in (else the terminal's, else 80)."),
    ("NO_COLOR, CLICOLOR_FORCE, TERM", "Colour with --color auto; TERM=dumb means no escape sequences."),
    ("GITHUB_ACTIONS, GITHUB_STEP_SUMMARY", "Annotations and --step-summary in GitHub Actions."),
];

const FILES: &[(&str, &str)] = &[
    (
        "~/.kaggle/kaggle.json",
        "Legacy username and key (or $KAGGLE_CONFIG_DIR/kaggle.json; ~/.config/kaggle on Linux).",
    ),
    ("~/.kaggle/access_token, ~/.kaggle/access_token.txt", "An access token."),
    ("~/.kaggle/credentials.json", "OAuth credentials from kaggle auth login."),
    ("./.env", "Read to tell you that the client does not read it."),
];

const EXAMPLES: &[(&str, &str)] = &[
    ("kaggle-auth-doctor", "Why does the Kaggle API say 401 here?"),
    ("kaggle-auth-doctor -c titanic", "Also judge the competition endpoints of titanic (rules, membership)."),
    ("kaggle-auth-doctor --format markdown > report.md", "A report to attach to a ticket; secrets are never included."),
    (
        "kaggle-auth-doctor --effective-only --require whoami,competitions.list --format junit -o doctor.xml",
        "A CI preflight.",
    ),
    ("kaggle-auth-doctor explain token-shadows-working-key", "The long story of one finding."),
    ("kaggle-auth-doctor demo", "See a diagnosis without touching your credentials."),
];

/// The man page as roff.
pub fn render() -> Result<String> {
    let man = clap_mangen::Man::new(crate::cli::command());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    section(&mut out, "COMMANDS", COMMANDS)?;
    section(&mut out, "EXIT STATUS", EXIT_STATUS)?;
    section(&mut out, "ENVIRONMENT", ENVIRONMENT)?;
    section(&mut out, "FILES", FILES)?;
    section(&mut out, "EXAMPLES", EXAMPLES)?;
    man.render_version_section(&mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// A section of tagged paragraphs: the term in bold, its text indented under it.
fn section(out: &mut Vec<u8>, title: &str, items: &[(&str, &str)]) -> std::io::Result<()> {
    writeln!(out, ".SH \"{title}\"")?;
    for (term, text) in items {
        writeln!(out, ".TP\n\\fB{}\\fR\n{}", roff(term), roff(text))?;
    }
    Ok(())
}

/// Escapes text for roff: backslashes, and a leading dot or quote.
fn roff(text: &str) -> String {
    let text = text.replace('\\', "\\e").replace('-', "\\-");
    if text.starts_with('.') || text.starts_with('\'') { format!("\\&{text}") } else { text }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_page_has_the_sections_a_reader_looks_for_and_no_missing_sub_pages() {
        let page = super::render().unwrap();
        for heading in ["EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES", "COMMANDS", "OPTIONS"] {
            assert!(
                page.contains(&format!(".SH \"{heading}\"")) || page.contains(&format!(".SH {heading}")),
                "{heading}"
            );
        }
        assert!(!page.contains("kaggle\\-auth\\-doctor\\-demo(1)") && !page.contains("doctor-demo(1)"), "{page}");
    }
}
