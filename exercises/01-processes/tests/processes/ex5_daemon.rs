//! Exercise 5: a child that dies with its parent (`src/ex5_daemon.rs`).

use std::fs::File;
use std::io::Read;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::atomic::{AtomicI32, Ordering};

use nix::fcntl::OFlag;
use nix::sys::signal::Signal;
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork};
use processes::ex5_daemon::start_daemon;
use processes::given::Report;
use support::require;

static EVIDENCE_W: AtomicI32 = AtomicI32::new(-1);
static NEVER_R: AtomicI32 = AtomicI32::new(-1);
static READY_W: AtomicI32 = AtomicI32::new(-1);

/// The daemon's target: report who it is, tell its parent it is running,
/// then wait for a byte that never comes. It holds the evidence pipe's write end as long as it lives, so
/// end-of-file on the read end proves it is gone.
fn report_then_wait_forever() -> i32 {
    let bytes = Report::from_here(0).to_bytes();
    let mut byte = [0u8; 1];
    // SAFETY: write(2)/read(2) on fds the test keeps open, with buffers on
    // this stack: async-signal-safe, as a forked child requires.
    unsafe {
        libc::write(
            EVIDENCE_W.load(Ordering::Relaxed),
            bytes.as_ptr().cast(),
            bytes.len(),
        );
        libc::write(READY_W.load(Ordering::Relaxed), b"r".as_ptr().cast(), 1);
        libc::read(NEVER_R.load(Ordering::Relaxed), byte.as_mut_ptr().cast(), 1);
    }
    0
}

fn exit_5() -> i32 {
    5
}

fn pipe() -> (OwnedFd, OwnedFd) {
    nix::unistd::pipe2(OFlag::O_CLOEXEC).expect("pipe2")
}

support::isolated_tests! {
    fn a_daemon_whose_parent_lives_runs_its_target() {
        let pid = start_daemon(exit_5).expect("start_daemon");
        support::step("waiting for the daemon to exit",
            "the daemon never ends although its target returns at once. Possible causes: the \
             child never calls target; the child does not end after target returns; the pid \
             start_daemon returned is not the child's");
        let status = waitpid(pid, None).expect("waitpid");
        require!(status == WaitStatus::Exited(pid, 5),
            expected: "the daemon to run its target and exit with its return value, 5",
            got: format!("{status:?}"),
            look_at: "start_daemon in src/ex5_daemon.rs: what does the child do with target's \
                      return value?");
    }

    /// A middle process starts the daemon and exits; the daemon (now an
    /// orphan, adopted by this test process, a subreaper) must die with it.
    fn the_daemon_dies_when_its_parent_exits() {
        // First, in this process, where a panic (a `todo!()`, say) is
        // reported properly: start_daemon must work at all.
        let first = start_daemon(exit_5).expect("start_daemon");
        support::step("waiting for a daemon to exit",
            "the daemon never ends although its target returns at once. Possible causes: the \
             child never calls target; the child does not end after target returns; the pid \
             start_daemon returned is not the child's");
        let _ = waitpid(first, None);

        let (evidence_r, evidence_w) = pipe();
        let (never_r, never_w) = pipe();
        let (pid_r, pid_w) = pipe();
        let (ready_r, ready_w) = pipe();
        READY_W.store(ready_w.as_raw_fd(), Ordering::Relaxed);
        EVIDENCE_W.store(evidence_w.as_raw_fd(), Ordering::Relaxed);
        NEVER_R.store(never_r.as_raw_fd(), Ordering::Relaxed);

        // SAFETY: the middle child calls start_daemon (fork + prctl: system
        // calls only), waits for the daemon's "ready" byte, writes 4 bytes to
        // a raw fd and `_exit`s.
        let middle = match unsafe { fork() }.expect("fork") {
            ForkResult::Child => {
                // A panic must not unwind into this forked copy of the test
                // harness: catch it and exit with 2.
                let started = std::panic::catch_unwind(|| start_daemon(report_then_wait_forever));
                let code = match started {
                    Ok(Ok(daemon)) => {
                        // Exit only once the daemon runs its target, so
                        // the test sees it die *because* we exit.
                        let mut byte = [0u8; 1];
                        let _ = nix::unistd::read(&ready_r, &mut byte);
                        let _ = nix::unistd::write(&pid_w, &daemon.as_raw().to_le_bytes());
                        0
                    }
                    Ok(Err(_)) => 1,
                    Err(_) => 2,
                };
                // SAFETY: ends the middle process at once, never returning
                // into the test harness.
                unsafe { libc::_exit(code) }
            }
            ForkResult::Parent { child } => child,
        };
        drop((evidence_w, pid_w, ready_w));

        support::step("waiting for the middle process to exit",
            "the process that called start_daemon never got past it. Possible causes: \
             start_daemon waits for the daemon in the parent; the daemon never runs its target \
             (it says \"ready\" from there)");
        let status = waitpid(middle, None).expect("waitpid middle");
        require!(status == WaitStatus::Exited(middle, 0),
            expected: "the middle process to start the daemon and exit 0",
            got: format!("{status:?}"),
            look_at: "start_daemon in src/ex5_daemon.rs, in the parent: does it return the child's \
                      pid at once? (exit 1: it returned an error; exit 2: it panicked)");
        let mut pid_bytes = [0u8; 4];
        File::from(pid_r).read_exact(&mut pid_bytes).expect("the daemon's pid");
        let daemon = Pid::from_raw(i32::from_le_bytes(pid_bytes));

        support::step("reading the daemon's report",
            "no report from the daemon's target: does the child call target at all?");
        let mut evidence = File::from(evidence_r);
        let mut bytes = [0u8; Report::SIZE];
        evidence.read_exact(&mut bytes).expect("the daemon's report");
        let report = Report::from_bytes(&bytes).expect("a well-formed report");
        require!(report.pid == daemon.as_raw() && report.ppid == middle.as_raw(),
            expected: format!("the daemon ({daemon}) to be a child of the middle process ({middle})"),
            got: format!("a report from pid {} with parent {}", report.pid, report.ppid),
            look_at: "start_daemon in src/ex5_daemon.rs: how many times does it fork, and whose pid \
                      does it return?");

        support::step("waiting for the daemon to die with its parent (end-of-file on its pipe)",
            "the daemon is still running although its parent has exited. Possible causes, most \
             likely first: nothing asks the kernel to kill the child when its parent dies \
             (PR_SET_PDEATHSIG); it is asked, but in the wrong process (which process does the \
             setting belong to, and does fork copy it?)");
        let mut rest = Vec::new();
        let _ = evidence.read_to_end(&mut rest);
        // Orphaned, the daemon was re-parented to this test process (a
        // subreaper), so we can, and must, reap it.
        let status = waitpid(daemon, None).expect("waitpid daemon");
        require!(matches!(status, WaitStatus::Signaled(_, Signal::SIGKILL, _)),
            expected: "the daemon to be killed by SIGKILL when its parent exited",
            got: format!("{status:?}"),
            look_at: "start_daemon in src/ex5_daemon.rs: which signal does the kernel send the \
                      child when its parent dies?");
        drop((never_r, never_w, ready_r));
    }
}
