//! Exercise 5 (solution): a child that dies with its parent, like Python's
//! `daemon=True`.

use nix::sys::prctl;
use nix::sys::signal::Signal;
use nix::unistd::{ForkResult, Pid, fork, getpid, getppid};

// ANCHOR: start_daemon
/// Starts `target` in a child that the kernel kills (SIGKILL) as soon as
/// its parent ends; the child exits with `target`'s return value.
pub fn start_daemon(target: fn() -> i32) -> nix::Result<Pid> {
    let parent = getpid();
    // SAFETY: the child makes two system calls (prctl, getppid), runs
    // `target` (async-signal-safe by contract) and `_exit`s.
    match unsafe { fork() }? {
        ForkResult::Child => {
            // The death signal is a setting of the *child*, so the child
            // sets it, first thing, before it does any work.
            if prctl::set_pdeathsig(Signal::SIGKILL).is_err() {
                // SAFETY: ends the child at once.
                unsafe { libc::_exit(127) }
            }
            // If the parent died before that line, no signal will ever come:
            // we have already been re-parented. Check, and go.
            if getppid() != parent {
                // SAFETY: ends the child at once.
                unsafe { libc::_exit(127) }
            }
            let code = target();
            // SAFETY: ends the child at once.
            unsafe { libc::_exit(code) }
        }
        ForkResult::Parent { child } => Ok(child),
    }
}
// ANCHOR_END: start_daemon
