//! MISTAKE join-knows-only-exit-codes: join handles a child that exited,
//! not one that a signal killed; it waits again, for a child already reaped.

use std::ffi::CString;

use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork};

use crate::given::Exit;

// ANCHOR: run_trait
/// What a child process does: Python's `run()` method.
pub trait Run {
    /// Runs in the child; the returned number becomes the exit code.
    ///
    /// It runs in a forked copy of a (perhaps multithreaded) program, so it
    /// may only do async-signal-safe things: compute, read and write raw file
    /// descriptors. No `println!`, no allocation.
    fn run(&mut self) -> i32;
}
// ANCHOR_END: run_trait

// ANCHOR: process
/// A child process defined by a [`Run`] value, with a name.
#[derive(Debug)]
pub struct Process<T: Run> {
    name: CString,
    task: T,
    pid: Option<Pid>,
    exit: Option<Exit>,
}

impl<T: Run> Process<T> {
    /// Python: `MyProcess(name="...")`. The kernel keeps at most 15 bytes of
    /// a name; NUL bytes are dropped.
    pub fn new(name: &str, task: T) -> Process<T> {
        let bytes: Vec<u8> = name.bytes().filter(|&b| b != 0).take(15).collect();
        let name = CString::new(bytes).expect("NUL bytes were removed");
        Process {
            name,
            task,
            pid: None,
            exit: None,
        }
    }

    /// Python: `p.start()`: a new process, named, that calls `task.run()`
    /// and exits with its result. A process can be started only once.
    pub fn start(&mut self) -> nix::Result<()> {
        assert!(self.pid.is_none(), "cannot start a process twice");
        // SAFETY: the child calls prctl (a system call), then `run`, whose
        // contract allows only async-signal-safe work, then `_exit`.
        match unsafe { fork() }? {
            ForkResult::Child => {
                // The name was made into a CString before fork: no
                // allocation happens in the child.
                let _ = nix::sys::prctl::set_name(&self.name);
                let code = self.task.run();
                // SAFETY: ends the child at once; nothing of the parent's
                // state (buffers, destructors) runs twice.
                unsafe { libc::_exit(code) }
            }
            ForkResult::Parent { child } => {
                self.pid = Some(child);
                Ok(())
            }
        }
    }

    /// Python: `p.pid` (None before start).
    pub fn pid(&self) -> Option<i32> {
        self.pid.map(Pid::as_raw)
    }

    /// Python: `p.join()` then `p.exitcode`. Joining twice gives the same answer.
    pub fn join(&mut self) -> nix::Result<Exit> {
        if let Some(exit) = self.exit {
            return Ok(exit);
        }
        let pid = self.pid.ok_or(nix::errno::Errno::ECHILD)?;
        loop {
            let exit = match waitpid(pid, None)? {
                WaitStatus::Exited(_, code) => Exit::Code(code),
                // MISTAKE: no arm for WaitStatus::Signaled.
                _ => continue, // stopped or continued: not the end yet
            };
            self.exit = Some(exit);
            return Ok(exit);
        }
    }

    /// The parent's copy of the task. A child changes its own copy only.
    pub fn task(&self) -> &T {
        &self.task
    }
}
// ANCHOR_END: process
