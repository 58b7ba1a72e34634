//! A child that dies with its parent: Linux's PR_SET_PDEATHSIG, the
//! closest thing to Python's `daemon=True`.
//! Run: cargo run -p processes-exercise --example daemon

use std::os::fd::OwnedFd;

use nix::sys::prctl;
use nix::sys::signal::Signal;
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork, getpid, getppid, pipe, read, write};

fn main() {
    // Adopt orphans, so we can see (and reap) the daemon after its parent dies.
    prctl::set_child_subreaper(true).expect("PR_SET_CHILD_SUBREAPER");
    let (pid_r, pid_w) = pipe().expect("pipe");
    // SAFETY: one thread only; the middle process forks the daemon, writes
    // to a pipe and `_exit`s.
    let middle = match unsafe { fork() }.expect("fork") {
        ForkResult::Child => parent_of_the_daemon(&pid_w),
        ForkResult::Parent { child } => child,
    };
    drop(pid_w);
    let mut buf = [0u8; 4];
    read(&pid_r, &mut buf).expect("the daemon's pid");
    let daemon = Pid::from_raw(i32::from_le_bytes(buf));
    let status = waitpid(middle, None).expect("waitpid middle");
    println!("parent of the daemon ({middle}) ended: {status:?}");
    let status = waitpid(daemon, None).expect("waitpid daemon");
    println!("the daemon ({daemon}) ended with it: {status:?}");
    assert!(matches!(
        status,
        WaitStatus::Signaled(_, Signal::SIGKILL, _)
    ));
}

// ANCHOR: daemon
/// The middle process: starts the daemon, sends its pid up through `pid_w`,
/// and ends without waiting for it.
fn parent_of_the_daemon(pid_w: &OwnedFd) -> ! {
    let parent = getpid();
    let (ready_r, ready_w) = pipe().expect("pipe");
    // SAFETY: one thread; the daemon makes system calls only.
    match unsafe { fork() }.expect("fork") {
        ForkResult::Child => {
            // The death signal is the child's own setting: set it
            // first, before any work (Python: daemon=True before start()).
            prctl::set_pdeathsig(Signal::SIGKILL).expect("PR_SET_PDEATHSIG");
            if getppid() != parent {
                // SAFETY: the parent died before the prctl: go now.
                unsafe { libc::_exit(1) }
            }
            let _ = write(&ready_w, b"r");
            loop {
                // SAFETY: no arguments; the death signal ends us here.
                unsafe { libc::pause() };
            }
        }
        ForkResult::Parent { child } => {
            let mut byte = [0u8; 1];
            let _ = read(&ready_r, &mut byte);
            let _ = write(pid_w, &child.as_raw().to_le_bytes());
            // The parent ends without waiting; the kernel kills the daemon.
            // SAFETY: ends the middle process at once.
            unsafe { libc::_exit(0) }
        }
    }
}
// ANCHOR_END: daemon
