//! Turns parsed arguments and the environment into a plain [`Config`], once. Nothing
//! downstream sees clap. Every error here is a usage error (exit 2).

use std::io::IsTerminal;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use std::path::PathBuf;

pub use crate::cli::FailOn;
use crate::cli::{ColorChoice, Options, Redact};
use crate::client_model::ClientVersion;
use crate::clients::ClientChoice;
use crate::diagnose::fix::Shell;
use crate::diagnose::{Diagnosis, Severity, Status};
use crate::discover::Env;
use crate::endpoints::EndpointId;
use crate::exit_codes::ExitCode;
use crate::report::Format;
use crate::resource;
use clap::ValueEnum;

/// The production API root.
pub const DEFAULT_ROOT: &str = "https://api.kaggle.com/v1";
/// The root with `KAGGLE_API_ENVIRONMENT=LOCALHOST` (docs/client-behaviour.md "The API
/// root, proxies and CA bundles").
pub const LOCALHOST_ROOT: &str = "http://localhost/api/v1";
/// Requests in flight at most, when `--jobs` is not given: the whole matrix of every
/// source at once, unless many resources are named too (docs/performance.md, "Scaling");
/// it bounds the connections opened to Kaggle at the same time.
pub const MAX_DEFAULT_JOBS: usize = 128;

/// Everything a run needs to know, resolved.
#[derive(Clone, Debug)]
pub struct Config {
    /// API root without a trailing slash.
    pub api_root: String,
    /// Why that root.
    pub api_root_from: String,
    /// `--competition`, if given.
    pub competition: Option<String>,
    /// Output format.
    pub format: Format,
    /// Colour the terminal output.
    pub color: bool,
    /// Show every cell's details.
    pub verbose: bool,
    /// Concurrent requests; `None`: the whole matrix at once (capped).
    pub jobs: Option<usize>,
    /// Overall deadline.
    pub timeout: Duration,
    /// Per-probe timeout.
    pub probe_timeout: Duration,
    /// The client version to model instead of detecting one, and who chose it.
    pub client_version: Option<(ClientVersion, String)>,
    /// Make no request.
    pub offline: bool,
    /// The shell fixes are written for.
    pub shell: Shell,
    /// Print nothing but errors.
    pub quiet: bool,
    /// Hide usernames, home paths and the host name too.
    pub strict_redaction: bool,
    /// `--require`: the endpoints the effective credential must pass.
    pub require: Option<Vec<EndpointId>>,
    /// Probe only the effective credential.
    pub effective_only: bool,
    /// `--oauth-refresh`: mint a token from credentials.json's refresh token and probe it.
    pub oauth_refresh: bool,
    /// Which findings make the exit code non-zero.
    pub fail_on: FailOn,
    /// Where to write the report instead of stdout.
    pub output: Option<PathBuf>,
    /// Append the Markdown report to `$GITHUB_STEP_SUMMARY`.
    pub step_summary: bool,
    /// Which clients to predict.
    pub client: ClientChoice,
    /// What the report is printed on (width, `TERM=dumb`, notebook).
    pub terminal: crate::terminal::Terminal,
    /// The flags that choose what is checked, as the user gave them, for re-checks.
    pub recheck_flags: Vec<String>,
    /// The dataset, model and kernel to probe (flags, else the pasted error).
    pub named: crate::resource::Named,
    /// The kinds whose flag (`--competition`, `--dataset`, `--model`, `--kernel`) was given
    /// as a page URL, to say so.
    pub from_url: Vec<resource::Kind>,
    /// What was understood from `--from-error`.
    pub understood: Option<crate::from_error::Understood>,
}

impl Config {
    /// Resolves options against the environment (only `KAGGLE_API_ENVIRONMENT`,
    /// `NO_COLOR`, `CLICOLOR_FORCE` and `TERM` are read here).
    pub fn new(options: &Options, env: &Env) -> Result<Config> {
        let (api_root, api_root_from) = match &options.endpoint {
            Some(root) => (check_root(root)?, "--endpoint".to_string()),
            None if env.non_empty("KAGGLE_API_ENVIRONMENT") == Some("LOCALHOST") => {
                (LOCALHOST_ROOT.to_string(), "KAGGLE_API_ENVIRONMENT=LOCALHOST, as the client".to_string())
            }
            None => (DEFAULT_ROOT.to_string(), "default, as the client".to_string()),
        };
        let client_version = match &options.client_version {
            Some(v) => Some((
                ClientVersion::parse(v)
                    .with_context(|| format!("--client-version '{v}' is not a version like 2.2.5"))?,
                "--client-version".to_string(),
            )),
            None => None,
        };
        if options.competition.as_deref().is_some_and(|c| c.trim().is_empty()) {
            bail!("--competition needs a slug, e.g. -c titanic (leave the flag out for the default)");
        }
        let mut from_url = Vec::new();
        let mut named = crate::resource::Named::default();
        let mut competition = None;
        if let Some(value) = &options.competition {
            let parsed = resource::competition(value)?;
            competition = Some(parsed.resource.to_string());
            if parsed.from_url {
                from_url.push(resource::Kind::Competition);
            }
        }
        let understood = match &options.from_error {
            Some(text) => Some(crate::from_error::parse(&read_error_text(text)?)),
            None => None,
        };
        if let Some(u) = understood.as_ref().and_then(|u| u.parsed.clone()) {
            match u {
                crate::resource::Resource::Competition(c) if competition.is_none() => competition = Some(c),
                other => named.set(other),
            }
        }
        type Parse = fn(&str) -> Result<resource::Parsed>;
        let flags: [(&Option<String>, Parse); 3] = [
            (&options.dataset, resource::dataset),
            (&options.model, resource::model),
            (&options.kernel, resource::kernel),
        ];
        for (value, parse) in flags {
            if let Some(value) = value {
                let parsed = parse(value)?;
                if parsed.from_url {
                    from_url.push(parsed.resource.kind());
                }
                named.set(parsed.resource);
            }
        }
        Ok(Config {
            recheck_flags: recheck_flags(options),
            terminal: crate::terminal::Terminal::detect(env),
            api_root,
            api_root_from,
            competition,
            format: options.format,
            color: use_color(options.color, env),
            verbose: options.verbose,
            jobs: options.jobs.map(usize::from),
            timeout: seconds(options.timeout, "--timeout")?,
            probe_timeout: seconds(options.probe_timeout, "--probe-timeout")?,
            client_version,
            offline: options.offline,
            shell: options.shell.unwrap_or_else(Shell::native),
            quiet: options.quiet,
            strict_redaction: options.redact == Redact::Strict,
            require: require(&options.require)?,
            effective_only: options.effective_only,
            oauth_refresh: options.oauth_refresh,
            fail_on: options.fail_on,
            output: options.output.clone(),
            step_summary: options.step_summary,
            client: options.client,
            named,
            from_url,
            understood,
        })
    }

    /// The command that checks again what this run checked: the user's own `-c`,
    /// `--endpoint`, `--client-version`, `--client` and `--require`.
    pub fn recheck_command(&self) -> String {
        let mut words = vec!["kaggle-auth-doctor".to_string()];
        words.extend(self.recheck_flags.iter().map(|w| crate::diagnose::fix::sh_path(w)));
        words.join(" ")
    }

    /// Requests in flight at most: `--jobs`, else [`MAX_DEFAULT_JOBS`]. A round never
    /// runs more workers than it has requests.
    pub fn jobs(&self) -> usize {
        self.jobs.unwrap_or(MAX_DEFAULT_JOBS).max(1)
    }
}

/// The options that decide what is checked, in their long form.
fn recheck_flags(options: &Options) -> Vec<String> {
    let mut flags = Vec::new();
    if let Some(c) = &options.competition {
        flags.extend(["-c".to_string(), c.clone()]);
    }
    for (flag, value) in [("--dataset", &options.dataset), ("--model", &options.model), ("--kernel", &options.kernel)] {
        if let Some(v) = value {
            flags.extend([flag.to_string(), v.clone()]);
        }
    }
    if let Some(root) = &options.endpoint {
        flags.extend(["--endpoint".to_string(), root.clone()]);
    }
    if let Some(v) = &options.client_version {
        flags.extend(["--client-version".to_string(), v.clone()]);
    }
    if options.client != ClientChoice::Auto {
        if let Some(value) = options.client.to_possible_value() {
            flags.extend(["--client".to_string(), value.get_name().to_string()]);
        }
    }
    if !options.require.is_empty() {
        flags.extend(["--require".to_string(), options.require.join(",")]);
    }
    flags
}

impl Config {
    /// A demo scenario's dataset, model, kernel and pasted error, where the command line
    /// named none.
    #[cfg(feature = "demo")]
    pub fn apply_scenario(&mut self, scenario: &crate::fake_kaggle::Scenario) -> Result<()> {
        if self.understood.is_none() {
            if let Some(text) = &scenario.from_error {
                let understood = crate::from_error::parse(text);
                if let Some(r) = understood.parsed.clone() {
                    match r {
                        resource::Resource::Competition(c) if self.competition.is_none() => self.competition = Some(c),
                        other => self.named.set(other),
                    }
                }
                self.understood = Some(understood);
            }
        }
        if let (None, Some(v)) = (&self.named.dataset, &scenario.dataset) {
            self.named.set(resource::dataset(v)?.resource);
        }
        if let (None, Some(v)) = (&self.named.model, &scenario.model) {
            self.named.set(resource::model(v)?.resource);
        }
        if let (None, Some(v)) = (&self.named.kernel, &scenario.kernel) {
            self.named.set(resource::kernel(v)?.resource);
        }
        Ok(())
    }
}

/// The `--from-error` text: the value, or stdin for `-` (bounded, read lossily: a
/// pasted traceback may hold anything).
fn read_error_text(value: &str) -> Result<String> {
    use std::io::Read;
    if value != "-" {
        return Ok(value.to_string());
    }
    let mut bytes = Vec::new();
    let limit = crate::from_error::MAX_TEXT_BYTES as u64;
    std::io::stdin().take(limit).read_to_end(&mut bytes).context("--from-error -: cannot read stdin")?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// `--require a,b`: known endpoint ids only.
fn require(list: &[String]) -> Result<Option<Vec<EndpointId>>> {
    if list.is_empty() {
        return Ok(None);
    }
    let ids = list.iter().map(|id| {
        EndpointId::parse(id.trim()).with_context(|| {
            let known: Vec<&str> = crate::endpoints::CATALOG.iter().map(|e| e.id.as_str()).collect();
            format!("--require: unknown endpoint '{id}' (known: {})", known.join(", "))
        })
    });
    Ok(Some(ids.collect::<Result<_>>()?))
}

impl FailOn {
    /// Applies `--fail-on` to the verdict and the exit code together, so every format
    /// says the same thing: with `warning`, warnings fail the run (and the verdict names
    /// them); with `never`, the exit code is 0 whatever the verdict.
    pub fn apply(self, d: &mut Diagnosis, recheck: &str) {
        match self {
            FailOn::Error => {}
            FailOn::Never => d.exit_code = ExitCode::Ok,
            FailOn::Warning if d.exit_code == ExitCode::Ok => {
                let warnings: Vec<&str> =
                    d.findings.iter().filter(|f| f.severity == Severity::Warning).map(|f| f.code.as_str()).collect();
                if let Some(first) = d.findings.iter().find(|f| f.severity == Severity::Warning) {
                    d.verdict.status = Status::Fail;
                    d.verdict.summary = format!("--fail-on warning: {} ({})", first.title, warnings.join(", "));
                    d.verdict.fix = crate::diagnose::rank::first_command(&first.fix, recheck);
                    d.exit_code = ExitCode::Fail;
                }
            }
            FailOn::Warning => {}
        }
    }

    /// True when findings of `severity` make the run fail.
    pub fn fails_on(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity == Severity::Error,
            FailOn::Warning => severity <= Severity::Warning,
            FailOn::Never => false,
        }
    }
}

fn seconds(value: f64, flag: &str) -> Result<Duration> {
    if !(value.is_finite() && value > 0.0 && value <= 3600.0) {
        bail!("{flag} must be a number of seconds between 0 and 3600");
    }
    Ok(Duration::from_secs_f64(value))
}

/// Validates an API root: http(s) only, no userinfo, plain http only to loopback
/// (credentials are never sent in clear over a network).
pub fn check_root(root: &str) -> Result<String> {
    let url = reqwest::Url::parse(root).with_context(|| format!("--endpoint '{root}' is not a URL"))?;
    if !url.username().is_empty() || url.password().is_some() {
        bail!("--endpoint must not contain a username or password");
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => bail!(
            "refusing to send credentials over plain http to '{}': use https, or a loopback address",
            url.host_str().unwrap_or("")
        ),
        other => bail!("--endpoint must be http(s), not '{other}'"),
    }
    Ok(root.trim_end_matches('/').to_string())
}

fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else { return false };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `--color` wins; with `auto`: NO_COLOR (non-empty) or TERM=dumb off, CLICOLOR_FORCE
/// (non-zero) on, else colour when stdout is a terminal.
fn use_color(choice: ColorChoice, env: &Env) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            // A dumb terminal cannot show escape sequences, even when colour is forced.
            if env.non_empty("NO_COLOR").is_some() || env.non_empty("TERM") == Some("dumb") {
                false
            } else if env.non_empty("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
                true
            } else {
                std::io::stdout().is_terminal()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_are_checked() {
        assert_eq!(check_root("https://api.kaggle.com/v1/").unwrap(), "https://api.kaggle.com/v1");
        assert!(check_root("http://127.0.0.1:8080/v1").is_ok());
        assert!(check_root("http://localhost/api/v1").is_ok());
        assert!(check_root("http://[::1]:9/v1").is_ok());
        assert!(check_root("http://api.kaggle.com/v1").is_err());
        assert!(check_root("https://u:p@api.kaggle.com/v1").is_err());
        assert!(check_root("ftp://x/v1").is_err());
        assert!(check_root("not a url").is_err());
    }
}
