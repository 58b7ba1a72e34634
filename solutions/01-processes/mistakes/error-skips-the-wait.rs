//! MISTAKE error-skips-the-wait: a missing report returns early through `?`,
//! before the child is waited for, so it stays a zombie.

use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, fork};

use crate::given::{Report, ReportError, report_pipe};

// ANCHOR: run_in_child
/// Runs `target(arg)` in a new child process and returns the child's
/// [`Report`]: its pid, its parent's pid and the value `target` returned.
pub fn run_in_child(target: fn(u64) -> u64, arg: u64) -> Result<Report, ReportError> {
    let (reader, writer) = report_pipe().map_err(ReportError::Io)?;
    // SAFETY: the child only calls async-signal-safe code before `_exit`:
    // `target` (a plain computation, by this function's contract),
    // getpid/getppid, write(2) on a raw fd. It never returns into the caller.
    match unsafe { fork() }.map_err(|e| ReportError::Io(e.into()))? {
        ForkResult::Child => {
            let report = Report::from_here(target(arg));
            let code = if writer.send(&report) { 0 } else { 1 };
            // SAFETY: `_exit` ends the child at once, without running the
            // parent's atexit handlers or flushing its copied buffers.
            unsafe { libc::_exit(code) }
        }
        ForkResult::Parent { child } => {
            // Our copy of the write end must go, or `receive` never sees
            // end-of-file.
            drop(writer);
            // MISTAKE: `?` returns here on a bad report, skipping the wait.
            let report = reader.receive()?;
            waitpid(child, None).map_err(|e| ReportError::Io(e.into()))?;
            Ok(report)
        }
    }
}
// ANCHOR_END: run_in_child
