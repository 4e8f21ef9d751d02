//! Exit codes: a public contract (docs/ci.md has the table), in one place.
//!
//! 0, 1 and 3 judge the credential; 2 and 4 say the doctor could not judge it. They are
//! told apart because a CI job reacts differently: 2 means "fix the workflow" (a flag,
//! an argument, a variable a flag needs), 4 means the doctor itself failed while running
//! (stdout or `--output` could not be written, the HTTP client could not be built, the
//! demo sandbox could not be created). Neither is "inconclusive" (3): that one promises
//! Kaggle was unreachable and a retry may help. A closed stdout pipe (`| head`) is not a
//! failure at all.

use std::fmt;

use serde::Serialize;

/// The process exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(into = "i32")]
pub enum ExitCode {
    /// The credential the client will send works for every required endpoint.
    Ok,
    /// It does not, or there is none.
    Fail,
    /// Usage error: bad flag or unreadable argument.
    Usage,
    /// Inconclusive: Kaggle could not be reached.
    Inconclusive,
    /// Runtime failure: the doctor could not do its own work (write its output, build
    /// its HTTP client, create a temporary directory).
    Runtime,
}

impl ExitCode {
    /// The code for a run that ended with `error`: 2 when the error is in what was
    /// asked (marked with [`usage`]), 4 for anything else.
    pub fn of_error(error: &anyhow::Error) -> ExitCode {
        if error.chain().any(|cause| cause.is::<UsageError>()) { ExitCode::Usage } else { ExitCode::Runtime }
    }
}

impl From<ExitCode> for i32 {
    fn from(code: ExitCode) -> i32 {
        match code {
            ExitCode::Ok => 0,
            ExitCode::Fail => 1,
            ExitCode::Usage => 2,
            ExitCode::Inconclusive => 3,
            ExitCode::Runtime => 4,
        }
    }
}

/// In JSON: the number.
impl schemars::JsonSchema for ExitCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ExitCode".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "The exit code of this run (README \"Exit codes\").",
            "type": "integer",
            "enum": [0, 1, 2, 3, 4]
        })
    }
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(i32::from(code) as u8)
    }
}

/// An error in what the user asked for: a flag value, an argument, a variable a flag
/// needs. Its message is the wrapped error's, cause chain included.
#[derive(Debug)]
pub struct UsageError(anyhow::Error);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#}", self.0)
    }
}

impl std::error::Error for UsageError {}

/// Marks `error` as a usage error (exit 2).
pub fn usage(error: anyhow::Error) -> anyhow::Error {
    anyhow::Error::new(UsageError(error))
}

#[cfg(test)]
mod tests {
    use anyhow::{Context, anyhow};

    use super::*;

    #[test]
    fn codes_match_the_documented_table() {
        let all = [ExitCode::Ok, ExitCode::Fail, ExitCode::Usage, ExitCode::Inconclusive, ExitCode::Runtime];
        assert_eq!(all.map(i32::from), [0, 1, 2, 3, 4]);
    }

    #[test]
    fn errors_are_runtime_failures_unless_marked_as_usage() {
        let io = anyhow!(std::io::Error::other("disk full")).context("cannot write to stdout");
        assert_eq!(ExitCode::of_error(&io), ExitCode::Runtime);
        assert_eq!(ExitCode::of_error(&anyhow!("cannot build the HTTP client")), ExitCode::Runtime);
        let bad_flag = usage(anyhow!("not a number").context("--timeout must be a number"));
        assert_eq!(ExitCode::of_error(&bad_flag), ExitCode::Usage);
        // Context added later keeps the mark.
        let wrapped = Err::<(), _>(bad_flag).context("while reading the options").unwrap_err();
        assert_eq!(ExitCode::of_error(&wrapped), ExitCode::Usage);
    }

    #[test]
    fn a_usage_error_keeps_its_whole_message() {
        let e = usage(anyhow!("not a number").context("--timeout must be a number"));
        assert_eq!(format!("{e:#}"), "--timeout must be a number: not a number");
    }
}
