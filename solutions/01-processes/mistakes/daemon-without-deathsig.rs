//! MISTAKE daemon-without-deathsig: the child is started but never asks the
//! kernel to kill it when its parent dies, so it outlives its parent.

use nix::unistd::{ForkResult, Pid, fork, getpid};

// ANCHOR: start_daemon
/// Starts `target` in a child that the kernel kills (SIGKILL) as soon as
/// its parent ends; the child exits with `target`'s return value.
pub fn start_daemon(target: fn() -> i32) -> nix::Result<Pid> {
    let parent = getpid();
    // SAFETY: the child makes two system calls (prctl, getppid), runs
    // `target` (async-signal-safe by contract) and `_exit`s.
    match unsafe { fork() }? {
        ForkResult::Child => {
            // MISTAKE: no PR_SET_PDEATHSIG. Nothing ties this child to its
            // parent; when the parent exits it is adopted and runs on.
            let _ = parent;
            let code = target();
            // SAFETY: ends the child at once.
            unsafe { libc::_exit(code) }
        }
        ForkResult::Parent { child } => Ok(child),
    }
}
// ANCHOR_END: start_daemon
