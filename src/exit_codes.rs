//! Exit codes: a public contract (DESIGN.md), in one place.

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
}

impl From<ExitCode> for i32 {
    fn from(code: ExitCode) -> i32 {
        match code {
            ExitCode::Ok => 0,
            ExitCode::Fail => 1,
            ExitCode::Usage => 2,
            ExitCode::Inconclusive => 3,
        }
    }
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(i32::from(code) as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_design() {
        let all = [ExitCode::Ok, ExitCode::Fail, ExitCode::Usage, ExitCode::Inconclusive];
        assert_eq!(all.map(i32::from), [0, 1, 2, 3]);
    }
}
