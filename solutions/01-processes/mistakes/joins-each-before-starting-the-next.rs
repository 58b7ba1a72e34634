//! MISTAKE joins-each-before-starting-the-next: like Python's
//! `p.start(); p.join()` inside one loop, each child is waited for before
//! the next starts. The answers are right, but the children never run at
//! the same time (and a child that waits for its siblings waits forever).

use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, fork};

use crate::given::{Report, ReportError, report_pipe};

pub fn run_all(target: fn(u64) -> u64, args: &[u64]) -> Result<Vec<Report>, ReportError> {
    let mut reports = Vec::with_capacity(args.len());
    for &arg in args {
        let (reader, writer) = report_pipe().map_err(ReportError::Io)?;
        // SAFETY: the child runs only `target`, getpid, getppid and write(2),
        // then `_exit`s.
        match unsafe { fork() }.map_err(|e| ReportError::Io(e.into()))? {
            ForkResult::Child => {
                let ok = writer.send(&Report::from_here(target(arg)));
                // SAFETY: ends the child at once.
                unsafe { libc::_exit(if ok { 0 } else { 1 }) }
            }
            ForkResult::Parent { child } => {
                drop(writer);
                // MISTAKE: join right after start, inside the loop.
                let report = reader.receive();
                waitpid(child, None).map_err(|e| ReportError::Io(e.into()))?;
                reports.push(report?);
            }
        }
    }
    Ok(reports)
}
