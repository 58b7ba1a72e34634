//! The fork start method: the child is a copy of the running program.
//! Run: cargo run -p processes-exercise --example fork_basics

use std::ffi::CString;
use std::fs;

use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid, waitpid};
use nix::unistd::{ForkResult, fork, getpid, getppid};

fn work(name: &str, x: u64) -> u64 {
    println!(
        "  child: I am {name}, pid {}, parent {}",
        getpid(),
        getppid()
    );
    x * x
}

fn main() {
    println!("parent: pid {}, parent {}", getpid(), getppid());
    // ANCHOR: fork
    // Everything the child needs is made *before* fork: after fork, the
    // child of a multithreaded program must not allocate (see the chapter).
    let name = CString::new("worker-1").unwrap();
    // SAFETY: this program has one thread, so the child inherits no lock
    // held by another thread; the child prints, then ends with `_exit`.
    match unsafe { fork() }.expect("fork") {
        ForkResult::Child => {
            // Python: Process(target=work, args=(7,), name="worker-1")
            nix::sys::prctl::set_name(&name).expect("set the process name");
            let answer = work("worker-1", 7);
            // The answer stays in this process: only the exit code travels.
            let code = if answer == 49 { 0 } else { 1 };
            // SAFETY: ends the child at once, without running the parent's
            // exit handlers or destructors a second time.
            unsafe { libc::_exit(code) }
        }
        ForkResult::Parent { child } => {
            // Wait for the child to end but do not reap it yet (WNOWAIT),
            // so its kernel name, /proc/<pid>/comm, can still be read.
            waitid(Id::Pid(child), WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT).expect("waitid");
            let comm = fs::read_to_string(format!("/proc/{child}/comm")).unwrap_or_default();
            println!("parent: child {child} was named {:?}", comm.trim());
            assert_eq!(comm.trim(), "worker-1");
            let status = waitpid(child, None).expect("waitpid"); // Python: p.join()
            println!("parent: child {child} ended: {status:?}");
            assert_eq!(status, WaitStatus::Exited(child, 0));
        }
    }
    // ANCHOR_END: fork
}
