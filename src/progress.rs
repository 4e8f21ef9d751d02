//! A progress line on stderr while probes are in flight — only when stderr is a terminal
//! that can show it (not `TERM=dumb`, not a notebook cell: see `terminal.rs`) and the run
//! is not quiet; nothing otherwise, so pipes, CI logs and notebooks stay clean.

use std::io::{IsTerminal, Write};
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::Result;

use crate::config::Config;
use crate::matrix::Cell;
use crate::plan::probe_count;
use crate::probe::{self, Group};

/// Runs the probes of every group in one round ([`probe::run_groups`]), showing
/// `probing k/N` on a terminal.
pub(crate) fn run(config: &Config, groups: Vec<Group<'_>>) -> Result<Vec<Vec<Cell>>> {
    let total: usize = groups.iter().map(|g| probe_count(&g.plan)).sum();
    if config.quiet || total == 0 || !config.terminal.spinner_allowed() || !std::io::stderr().is_terminal() {
        return probe::run_groups(groups);
    }
    // The first group's counter counts every probe of the round.
    let completed = groups[0].settings.completed.clone();
    let (done_tx, done_rx) = mpsc::channel::<()>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
            let mut stderr = std::io::stderr();
            for frame in frames.iter().cycle() {
                let done = completed.load(Ordering::Relaxed);
                let _ = write!(stderr, "\r{frame} probing {done}/{total} requests…");
                // The wait is the refresh period of the display, and ends at once when
                // probing is over.
                if done_rx.recv_timeout(Duration::from_millis(80)) != Err(mpsc::RecvTimeoutError::Timeout) {
                    break;
                }
            }
            let _ = write!(stderr, "\r\x1b[K");
        });
        let cells = probe::run_groups(groups);
        drop(done_tx);
        cells
    })
}
