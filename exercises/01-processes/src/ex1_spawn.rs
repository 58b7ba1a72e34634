//! Exercise 1: start a program, watch it, stop it.
//!
//! Python's `Process` with the *spawn* start method starts a fresh program.
//! In Rust that is `std::process::Command`. Wrap the running program in a
//! `Worker` that answers Python's questions: `pid`, `is_alive()`,
//! `exitcode`, `terminate()`, `join()`.

use std::io;
use std::process::{Child, Command, ExitStatus};

use crate::given::Exit;

// ANCHOR: exit_of
/// Turns a wait status into an [`Exit`]: `Exit::Code(n)` if the child
/// exited by itself with code `n`, `Exit::Signal(n)` if signal `n` killed it.
///
/// Python: `p.exitcode` is `n` or `-n`; [`Exit::exitcode`] does that last step.
/// (`status.code()` is `None` when a signal ended the child;
/// `std::os::unix::process::ExitStatusExt::signal` then says which.)
pub fn exit_of(status: ExitStatus) -> Exit {
    todo!()
}
// ANCHOR_END: exit_of

// ANCHOR: worker
/// A started program: Python's `Process`, for the spawn start method.
#[derive(Debug)]
pub struct Worker {
    child: Child,
}

impl Worker {
    /// Starts `command`. Python: `p.start()`.
    pub fn start(command: &mut Command) -> io::Result<Worker> {
        todo!()
    }

    /// The child's process id. Python: `p.pid`.
    pub fn pid(&self) -> i32 {
        todo!()
    }

    /// True until the child has ended; never blocks. Python: `p.is_alive()`.
    pub fn is_alive(&mut self) -> bool {
        todo!()
    }

    /// `None` while the child runs, then its code, or `-N` if signal N
    /// killed it. Python: `p.exitcode`.
    pub fn exitcode(&mut self) -> Option<i32> {
        todo!()
    }

    /// Asks the child to stop with SIGTERM (not SIGKILL), unless it has
    /// already ended. Python: `p.terminate()`.
    pub fn terminate(&mut self) -> io::Result<()> {
        todo!()
    }

    /// Waits for the child to end and says how. Python: `p.join()`, then
    /// `p.exitcode`.
    pub fn join(&mut self) -> io::Result<Exit> {
        todo!()
    }
}
// ANCHOR_END: worker
