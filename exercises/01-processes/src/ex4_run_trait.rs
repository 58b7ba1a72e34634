//! Exercise 4: a child defined by a type, like a Python subclass of
//! `Process` that overrides `run()`.
//!
//! ```python
//! class Greeter(Process):
//!     def run(self):
//!         ...
//! p = Greeter(name="greeter"); p.start(); p.join()
//! ```

use std::ffi::CString;

use nix::unistd::Pid;

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
    /// Python: `Greeter(name="...")`. Nothing starts yet. The kernel keeps
    /// at most 15 bytes of a name; drop NUL bytes, which a `CString` cannot hold.
    pub fn new(name: &str, task: T) -> Process<T> {
        todo!()
    }

    /// Python: `p.start()`. Forks; the child sets its name
    /// (`nix::sys::prctl::set_name`), calls `self.task.run()` and
    /// `_exit`s with the result. The parent records the child's pid.
    pub fn start(&mut self) -> nix::Result<()> {
        todo!()
    }

    /// Python: `p.pid`: `None` before `start`.
    pub fn pid(&self) -> Option<i32> {
        todo!()
    }

    /// Python: `p.join()`, then `p.exitcode`. Waits for the child and says
    /// how it ended; a second `join` gives the same answer.
    pub fn join(&mut self) -> nix::Result<Exit> {
        todo!()
    }

    /// The parent's copy of the task.
    pub fn task(&self) -> &T {
        todo!()
    }
}
// ANCHOR_END: process
