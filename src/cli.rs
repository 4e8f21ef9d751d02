//! Command-line definitions (clap derive). No logic: `config` turns these into a
//! [`Config`](crate::config::Config). Flag names are a public contract.

use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::clients::ClientChoice;
use crate::diagnose::fix::Shell;
use crate::report::Format;

/// Why does the Kaggle API say 401? Tries every credential source on this machine in
/// isolation against read-only Kaggle endpoints, shows which one the official client
/// really sends, and prints the exact fix.
#[derive(Debug, Parser)]
#[command(name = "kaggle-auth-doctor", version, about, max_term_width = 100)]
#[command(
    after_help = "Exit codes: 0 the credential the client sends works · 1 it does not (or none) · 2 usage error · 3 inconclusive (Kaggle unreachable) · 4 runtime failure (output not written…)"
)]
pub struct Cli {
    /// What to do (default: check).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options shared by every command.
    #[command(flatten)]
    pub options: Options,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Diagnose this machine's Kaggle credentials (the default).
    Check,
    /// Run the full diagnosis on a built-in scenario, against the built-in fake Kaggle API,
    /// in a throw-away sandbox HOME. Never reads your real credentials.
    #[cfg(feature = "demo")]
    Demo {
        /// A built-in scenario name, or a path to a scenario .json file.
        #[arg(value_parser = Suggest(scenario_names), hide_possible_values = true)]
        scenario: Option<String>,
        /// List the built-in scenarios and exit.
        #[arg(long)]
        list: bool,
    },
    /// Explain a finding code at length (like `rustc --explain`); without a code, list them.
    Explain {
        /// A finding code, e.g. token-shadows-working-key.
        #[arg(value_parser = Suggest(finding_codes), hide_possible_values = true)]
        code: Option<String>,
    },
    /// Print the JSON Schema of the `--format json` report.
    Schema,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        #[arg(id = "completion_shell", value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
}

/// Options for `check` and `demo`.
#[derive(Debug, Args)]
pub struct Options {
    /// Competition slug (or its kaggle.com URL) for the competition endpoints [default:
    /// KAGGLE_COMPETITION, else kaggle.json `competition`, else titanic].
    #[arg(long, short = 'c', value_name = "SLUG", global = true, help_heading = "Probing")]
    pub competition: Option<String>,

    /// Also probe this dataset (get and download), for every source. Takes the page URL too.
    #[arg(long, value_name = "OWNER/SLUG[/VERSION]", global = true, help_heading = "Probing")]
    pub dataset: Option<String>,

    /// Also probe this model instance (get and download: gated models refuse on download).
    /// Takes the page URL too.
    #[arg(long, value_name = "OWNER/MODEL/FRAMEWORK/VARIATION[/VERSION]", global = true, help_heading = "Probing")]
    pub model: Option<String>,

    /// Also probe this kernel (notebook), for every source. Takes the page URL too.
    #[arg(long, value_name = "OWNER/SLUG", global = true, help_heading = "Probing")]
    pub kernel: Option<String>,

    /// A Kaggle error text you got (`-` reads it from stdin): the doctor says what it
    /// understands from it and probes the resource it names.
    #[arg(long, value_name = "TEXT", global = true, allow_hyphen_values = true, help_heading = "Probing")]
    pub from_error: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text, global = true, help_heading = "Output")]
    pub format: Format,

    /// When to colour the terminal output (NO_COLOR, CLICOLOR_FORCE and TERM=dumb are
    /// honoured with `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true, help_heading = "Output")]
    pub color: ColorChoice,

    /// API root [default: what the official client uses: http://localhost/api/v1 with
    /// KAGGLE_API_ENVIRONMENT=LOCALHOST, else https://api.kaggle.com/v1].
    #[arg(long, value_name = "ROOT", global = true, help_heading = "Probing")]
    pub endpoint: Option<String>,

    /// Which official clients to predict [default: every client found installed; the
    /// kaggle CLI when none is].
    #[arg(long, value_enum, default_value_t = ClientChoice::Auto, global = true, help_heading = "Probing")]
    pub client: ClientChoice,

    /// Predict the behaviour of this kaggle client version [default: the newest modelled].
    #[arg(long, value_name = "X.Y.Z", global = true, help_heading = "Probing")]
    pub client_version: Option<String>,

    /// Concurrent requests [default: the whole matrix at once, at most 128].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256), global = true, help_heading = "Probing")]
    pub jobs: Option<u16>,

    /// Overall deadline in seconds: every probe ends by then, and the report is printed.
    #[arg(long, value_name = "SECS", default_value = "15", global = true, help_heading = "Probing")]
    pub timeout: f64,

    /// Timeout of one probe in seconds (never past the overall deadline).
    #[arg(long, value_name = "SECS", default_value = "10", global = true, help_heading = "Probing")]
    pub probe_timeout: f64,

    /// Make no network request: list sources and what the client would send.
    #[arg(long, global = true, help_heading = "Probing")]
    pub offline: bool,

    /// Write fixes for this shell [default: powershell on Windows, sh elsewhere].
    #[arg(long, value_enum, global = true, help_heading = "Output")]
    pub shell: Option<Shell>,

    /// Show every probed cell: status, time, server message and request id.
    #[arg(long, short = 'v', global = true, conflicts_with = "quiet", help_heading = "Output")]
    pub verbose: bool,

    /// Print nothing but errors (the exit code says the rest).
    #[arg(long, short = 'q', global = true, help_heading = "Output")]
    pub quiet: bool,

    /// `strict` also hides usernames, the home directory and the host name (secrets are
    /// always hidden).
    #[arg(long, value_enum, default_value_t = Redact::Normal, global = true, help_heading = "Output")]
    pub redact: Redact,

    /// The endpoints the effective credential must pass [default: every probed endpoint;
    /// competition ones only when a competition is named].
    #[arg(long, value_name = "ENDPOINT[,ENDPOINT…]", value_delimiter = ',', global = true, help_heading = "CI")]
    #[arg(value_parser = Suggest(endpoint_ids), hide_possible_values = true)]
    pub require: Vec<String>,

    /// Probe only the credential the client will send (the fast CI preflight).
    #[arg(long, global = true, help_heading = "CI")]
    pub effective_only: bool,

    /// When ~/.kaggle/credentials.json holds a stale OAuth access token, ask Kaggle for a
    /// fresh one with its refresh token (as the client would before any call) and probe
    /// that. Mints a token on Kaggle's side; never writes any file.
    #[arg(long, global = true, conflicts_with = "offline")]
    pub oauth_refresh: bool,

    /// Which findings make the exit code non-zero.
    #[arg(long, value_enum, default_value_t = FailOn::Error, global = true, help_heading = "CI")]
    pub fail_on: FailOn,

    /// Write the report (in --format) to FILE; the terminal still gets the summary.
    #[arg(long, short = 'o', value_name = "FILE", global = true, help_heading = "Output")]
    pub output: Option<std::path::PathBuf>,

    /// In GitHub Actions, append the Markdown report to $GITHUB_STEP_SUMMARY.
    #[arg(long, global = true, help_heading = "CI")]
    pub step_summary: bool,
}

/// `--redact`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Redact {
    /// Secrets are shown as fingerprints only.
    Normal,
    /// Also hide usernames, home paths and the host name.
    Strict,
}

/// `--fail-on`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// Exit non-zero when the effective credential fails (the default).
    Error,
    /// Also exit 1 when any warning is reported.
    Warning,
    /// Always exit 0 unless the arguments are wrong (2) or the doctor cannot run (4).
    Never,
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal (and NO_COLOR / TERM=dumb do not say otherwise).
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Accepts any string, but offers `names()` to shell completion (and to clap's own
/// suggestions): used where a value may also be a path (`demo FILE`) or is checked
/// later with a better message (`explain CODE`, `--require`).
#[derive(Clone, Copy)]
struct Suggest(fn() -> Vec<&'static str>);

impl TypedValueParser for Suggest {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new((self.0)().into_iter().map(PossibleValue::new)))
    }
}

fn finding_codes() -> Vec<&'static str> {
    crate::diagnose::Code::ALL.iter().map(|c| c.as_str()).collect()
}

#[cfg(feature = "demo")]
fn scenario_names() -> Vec<&'static str> {
    crate::fake_kaggle::scenario::BUILTIN.iter().map(|(name, _)| *name).collect()
}

fn endpoint_ids() -> Vec<&'static str> {
    crate::endpoints::CATALOG.iter().map(|e| e.id.as_str()).collect()
}

/// Subcommands that take none of the check options: their help does not list them.
const PLAIN_COMMANDS: [&str; 4] = ["explain", "schema", "completions", "man"];

/// The command line with its help polished: the check options are not repeated under
/// `explain`, `schema`, `completions` and `man` (clap propagates a global option only to
/// subcommands that have no option of that id, so each gets a hidden stand-in).
pub fn command() -> clap::Command {
    let mut cmd = Cli::command();
    let globals: Vec<clap::Arg> =
        cmd.get_arguments().filter(|a| a.is_global_set()).map(|a| a.clone().global(false).hide(true)).collect();
    for name in PLAIN_COMMANDS {
        cmd = cmd.mut_subcommand(name, |sc| globals.iter().fold(sc, |sc, a| sc.arg(a.clone())));
    }
    cmd
}

/// Parses the process's arguments with [`command`].
pub fn parse() -> Result<Cli, clap::Error> {
    let matches = command().try_get_matches()?;
    Cli::from_arg_matches(&matches)
}
