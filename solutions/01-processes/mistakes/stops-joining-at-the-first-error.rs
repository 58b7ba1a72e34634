//! MISTAKE stops-joining-at-the-first-error: the join loop returns at the
//! first bad report through `?`; the children after it are never waited for.

use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, Pid, fork};

use crate::given::{Report, ReportError, ReportReader, report_pipe};

// ANCHOR: run_all
/// Runs `target(arg)` for every `arg` in `args`, each in its own child, all
/// at the same time; returns the children's reports in the order of `args`.
pub fn run_all(target: fn(u64) -> u64, args: &[u64]) -> Result<Vec<Report>, ReportError> {
    // Phase 1: start them all (Python: for p in procs: p.start()).
    let mut started: Vec<(Pid, ReportReader)> = Vec::with_capacity(args.len());
    let mut failed = None;
    for &arg in args {
        match start_one(target, arg) {
            Ok(child) => started.push(child),
            Err(e) => {
                // Stop starting, but still join the ones already running.
                failed = Some(e);
                break;
            }
        }
    }
    // Phase 2: join them all (Python: for p in procs: p.join()). Every
    // child is reaped, even if an earlier report was bad.
    let mut reports = Vec::with_capacity(started.len());
    for (pid, reader) in started {
        // MISTAKE: `?` returns at the first bad report, leaving the rest.
        let report = reader.receive()?;
        waitpid(pid, None).map_err(|e| ReportError::Io(e.into()))?;
        reports.push(report);
    }
    match failed {
        Some(e) => Err(e),
        None => Ok(reports),
    }
}

fn start_one(target: fn(u64) -> u64, arg: u64) -> Result<(Pid, ReportReader), ReportError> {
    let (reader, writer) = report_pipe().map_err(ReportError::Io)?;
    // SAFETY: the child runs only `target` (a plain computation), getpid,
    // getppid and write(2), then `_exit`s; it never returns into our caller.
    match unsafe { fork() }.map_err(|e| ReportError::Io(e.into()))? {
        ForkResult::Child => {
            let ok = writer.send(&Report::from_here(target(arg)));
            // SAFETY: ends the child at once, running no destructors.
            unsafe { libc::_exit(if ok { 0 } else { 1 }) }
        }
        ForkResult::Parent { child } => {
            drop(writer);
            Ok((child, reader))
        }
    }
}
// ANCHOR_END: run_all
