//! What the text report is printed on: how wide it is, whether it understands escape
//! sequences, and whether it is a notebook cell. Decided once from the environment (and
//! the tty), so renderers stay pure functions of a width and a colour flag.
//!
//! Why this matters (docs/ci.md, README "Reading the report"): a first-time user runs the
//! doctor in an 80-column terminal, in a Jupyter/Kaggle/Colab cell (`!kaggle-auth-doctor`,
//! which IPython runs on a pseudo-terminal, so "is a tty" alone would start a spinner that
//! the cell prints as garbage), or under `TERM=dumb` (Emacs shells, some CI logs), where no
//! escape sequence at all may be written.

use std::io::IsTerminal;

use crate::discover::Env;

/// The width used when nothing says otherwise (pipes, files, notebook cells).
pub const DEFAULT_WIDTH: usize = 80;
/// Narrower than this is not honoured: the matrix needs a source id and a few cells.
pub const MIN_WIDTH: usize = 40;
/// Wider than this is not used: long lines are hard to read even on a wide screen.
pub const MAX_WIDTH: usize = 120;

/// The output device, as far as the report cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Terminal {
    /// Columns the text report must fit in.
    pub width: usize,
    /// `TERM=dumb`: no escape sequences (no colour, no cursor movement, no spinner).
    pub dumb: bool,
    /// Running inside a Jupyter, Kaggle or Colab notebook.
    pub notebook: bool,
}

impl Terminal {
    /// From the environment and the real stdout.
    pub fn detect(env: &Env) -> Terminal {
        let tty_width = if std::io::stdout().is_terminal() {
            terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| usize::from(w.0))
        } else {
            None
        };
        Terminal::from_parts(env, tty_width)
    }

    /// `COLUMNS` wins (when it is a sane number), then the tty's width; a notebook cell or
    /// a pipe gets [`DEFAULT_WIDTH`].
    pub fn from_parts(env: &Env, tty_width: Option<usize>) -> Terminal {
        let notebook = in_notebook(env);
        let columns = env.non_empty("COLUMNS").and_then(|c| c.trim().parse::<usize>().ok()).filter(|c| *c > 0);
        let width = columns.or(if notebook { None } else { tty_width }).unwrap_or(DEFAULT_WIDTH);
        Terminal { width: width.clamp(MIN_WIDTH, MAX_WIDTH), dumb: env.non_empty("TERM") == Some("dumb"), notebook }
    }

    /// True when a progress spinner may be drawn on a stderr that is a terminal.
    pub fn spinner_allowed(&self) -> bool {
        !self.dumb && !self.notebook
    }
}

impl Default for Terminal {
    fn default() -> Self {
        Terminal { width: DEFAULT_WIDTH, dumb: false, notebook: false }
    }
}

/// True inside a notebook kernel: Jupyter (`JPY_PARENT_PID`, `JPY_SESSION_NAME`), a Kaggle
/// notebook (`KAGGLE_KERNEL_RUN_TYPE`) or Google Colab (`COLAB_RELEASE_TAG`,
/// `COLAB_BACKEND_VERSION`).
pub fn in_notebook(env: &Env) -> bool {
    ["JPY_PARENT_PID", "JPY_SESSION_NAME", "KAGGLE_KERNEL_RUN_TYPE", "COLAB_RELEASE_TAG", "COLAB_BACKEND_VERSION"]
        .iter()
        .any(|v| env.is_set(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> Env {
        let mut env = Env::sandbox(std::path::Path::new("/nonexistent"), std::path::Path::new("/"));
        for (k, v) in vars {
            env.set(*k, *v);
        }
        env
    }

    #[test]
    fn columns_wins_then_tty_then_default() {
        assert_eq!(Terminal::from_parts(&env(&[("COLUMNS", "80")]), Some(200)).width, 80);
        assert_eq!(Terminal::from_parts(&env(&[]), Some(100)).width, 100);
        assert_eq!(Terminal::from_parts(&env(&[]), None).width, DEFAULT_WIDTH);
        assert_eq!(Terminal::from_parts(&env(&[("COLUMNS", "nonsense")]), None).width, DEFAULT_WIDTH);
        assert_eq!(Terminal::from_parts(&env(&[("COLUMNS", "10")]), None).width, MIN_WIDTH);
        assert_eq!(Terminal::from_parts(&env(&[("COLUMNS", "500")]), None).width, MAX_WIDTH);
    }

    #[test]
    fn a_notebook_gets_a_cell_width_and_no_spinner() {
        let t = Terminal::from_parts(&env(&[("KAGGLE_KERNEL_RUN_TYPE", "Interactive")]), Some(200));
        assert_eq!(t.width, DEFAULT_WIDTH);
        assert!(t.notebook && !t.spinner_allowed());
        assert!(Terminal::from_parts(&env(&[("COLAB_RELEASE_TAG", "x")]), None).notebook);
        assert!(Terminal::from_parts(&env(&[("JPY_PARENT_PID", "1")]), None).notebook);
    }

    #[test]
    fn term_dumb_means_no_spinner() {
        let t = Terminal::from_parts(&env(&[("TERM", "dumb")]), Some(100));
        assert!(t.dumb && !t.spinner_allowed());
        assert!(Terminal::from_parts(&env(&[("TERM", "xterm")]), None).spinner_allowed());
    }
}
