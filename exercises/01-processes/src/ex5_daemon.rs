//! Exercise 5: a child that dies with its parent, like Python's
//! `Process(target=f, daemon=True)`.

use nix::unistd::Pid;

// ANCHOR: start_daemon
/// Starts `target` in a child process and returns the child's pid without
/// waiting for it. The child must be killed (SIGKILL) by the kernel as
/// soon as its parent ends; otherwise it exits with `target()`'s value.
///
/// In the child, *before* calling `target`: ask for a death signal with
/// `nix::sys::prctl::set_pdeathsig(Signal::SIGKILL)`. If the parent is
/// already gone by then (`getppid()` is no longer the pid it had before
/// `fork`), no signal will ever come: `_exit` at once.
pub fn start_daemon(target: fn() -> i32) -> nix::Result<Pid> {
    todo!()
}
// ANCHOR_END: start_daemon
