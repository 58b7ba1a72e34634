//! A zombie (a dead child not yet waited for) and an orphan (a live child
//! whose parent died), and how each is cleaned up.
//! Run: cargo run -p processes-exercise --example zombie_orphan

use std::fs;
use std::os::fd::OwnedFd;

use nix::sys::prctl;
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid, waitpid};
use nix::unistd::{ForkResult, Pid, fork, getppid, pipe, read, write};

/// The state letter of a process in /proc/<pid>/stat (Z = zombie).
fn state(pid: Pid) -> String {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit(')')
            .next()
            .unwrap_or("")
            .split_whitespace()
            .next()
            .unwrap_or("?")
            .to_string(),
        Err(_) => "gone".to_string(),
    }
}

fn zombie() {
    // ANCHOR: zombie
    // SAFETY: one thread only; the child `_exit`s at once.
    let child = match unsafe { fork() }.expect("fork") {
        ForkResult::Child => {
            // SAFETY: ends the child at once.
            unsafe { libc::_exit(0) }
        }
        ForkResult::Parent { child } => child,
    };
    // Wait until it has exited, but leave it unreaped (WNOWAIT): it is now
    // a zombie, an entry in the process table holding its exit status.
    waitid(Id::Pid(child), WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT).expect("waitid");
    println!(
        "zombie: child {child} exited; state before wait: {}",
        state(child)
    );
    assert_eq!(state(child), "Z");
    waitpid(child, None).expect("waitpid"); // reaping removes the entry
    println!("zombie: after waitpid: {}", state(child));
    // ANCHOR_END: zombie
}

fn orphan() {
    // ANCHOR: orphan
    // Make this process a child subreaper: orphans below us are adopted by
    // us instead of by init (pid 1), so this demo can clean up after itself.
    prctl::set_child_subreaper(true).expect("PR_SET_CHILD_SUBREAPER");
    let (report_r, report_w) = pipe().expect("pipe");
    let (pid_r, pid_w) = pipe().expect("pipe");
    let (go_r, go_w) = pipe().expect("pipe");
    // SAFETY: one thread only; the middle process forks, writes to pipes,
    // waits for a signal and never returns.
    let middle = match unsafe { fork() }.expect("fork") {
        ForkResult::Child => middle(report_w, pid_w, go_r),
        ForkResult::Parent { child } => child,
    };
    drop((report_w, pid_w, go_r));
    let mut buf = [0u8; 4];
    read(&pid_r, &mut buf).expect("the grandchild's pid");
    let grandchild = Pid::from_raw(i32::from_le_bytes(buf));
    println!("orphan: middle {middle} started grandchild {grandchild}");

    // Python: middle.terminate(). The middle dies; its child does not.
    kill(middle, Signal::SIGTERM).expect("kill");
    let status = waitpid(middle, None).expect("waitpid middle");
    println!("orphan: middle ended: {status:?}");

    // The middle is dead and reaped, so its child has been re-parented:
    // tell the grandchild to report its new parent.
    write(&go_w, b"g").expect("write");
    read(&report_r, &mut buf).expect("the grandchild's report");
    let new_parent = i32::from_le_bytes(buf);
    println!(
        "orphan: grandchild {grandchild} now has parent {new_parent} (us, the subreaper: {}); \
         without a subreaper it would be 1 (init)",
        std::process::id()
    );
    assert_eq!(new_parent as u32, std::process::id());
    // Adopted, it is our child now: we reap it like any other.
    let status = waitpid(grandchild, None).expect("waitpid grandchild");
    assert_eq!(status, WaitStatus::Exited(grandchild, 0));
    // ANCHOR_END: orphan
}

/// The middle process: starts a grandchild, then waits to be terminated.
fn middle(report_w: OwnedFd, pid_w: OwnedFd, go_r: OwnedFd) -> ! {
    // SAFETY: still one thread (we are a fresh fork of a one-thread program).
    match unsafe { fork() }.expect("fork") {
        ForkResult::Child => {
            let mut byte = [0u8; 1];
            // Wait until the top process says the middle is gone.
            let _ = read(&go_r, &mut byte);
            let _ = write(&report_w, &getppid().as_raw().to_le_bytes());
            // SAFETY: ends the grandchild at once.
            unsafe { libc::_exit(0) }
        }
        ForkResult::Parent { child } => {
            let _ = write(&pid_w, &child.as_raw().to_le_bytes());
            loop {
                // SAFETY: pause takes no arguments; SIGTERM ends us here.
                unsafe { libc::pause() };
            }
        }
    }
}

fn main() {
    zombie();
    orphan();
}
