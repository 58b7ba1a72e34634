//! Exercise 2: run a function in a forked child (`src/ex2_fork.rs`).

use std::os::fd::OwnedFd;

use nix::fcntl::OFlag;
use processes::ex2_fork::run_in_child;
use support::{procs, require};

fn square(x: u64) -> u64 {
    x * x
}

/// Returns the pid of whichever process runs it.
fn my_pid(_: u64) -> u64 {
    // getpid is a system call: safe in a forked child.
    nix::unistd::getpid().as_raw() as u64
}

/// Ends the child before it can send a report: a child that crashes.
fn dies_before_reporting(_: u64) -> u64 {
    // SAFETY: `_exit` ends the (forked) process at once; it touches no
    // Rust state. Only ever called as a target, in the child.
    unsafe { libc::_exit(3) }
}

const STUCK: &str = "the parent waits for the report, and the report never reaches end-of-file. \
     Possible causes, most likely first: a copy of the pipe's write end is still open somewhere \
     (which processes hold one after fork?); the child never sends its report or never ends \
     (does it reach _exit?); the parent waits for the child before reading";

fn children_left() -> Vec<String> {
    procs::children(procs::own_pid())
        .into_iter()
        .filter_map(procs::info)
        .map(|p| p.describe())
        .collect()
}

support::isolated_tests! {
    fn the_answer_comes_from_another_process() {
        support::step("waiting for run_in_child(square, 7)", STUCK);
        let report = run_in_child(square, 7).expect("run_in_child");
        let me = procs::own_pid();
        require!(report.value == 49,
            expected: "the child's value to be square(7) = 49",
            got: report.value,
            look_at: "run_in_child in src/ex2_fork.rs: which value does the child put in its report?");
        require!(report.pid != me,
            expected: format!("the report to come from a new process, not this one (pid {me})"),
            got: format!("a report with pid {}", report.pid),
            look_at: "run_in_child in src/ex2_fork.rs: in which branch of the fork is the report built?");
        require!(report.ppid == me,
            expected: format!("the child's parent to be this test process (pid {me})"),
            got: format!("ppid {}", report.ppid),
            look_at: "run_in_child in src/ex2_fork.rs: which process forks the child?");
    }

    fn the_target_runs_in_the_child_not_in_the_parent() {
        support::step("waiting for run_in_child(my_pid, 0)", STUCK);
        let report = run_in_child(my_pid, 0).expect("run_in_child");
        let me = procs::own_pid() as u64;
        require!(report.value != me && report.value == report.pid as u64,
            expected: "target to run in the child: it returns the pid of the process that runs it, \
                       which must be the child's pid",
            got: format!("target returned {}; the child is {}, this test is {me}", report.value, report.pid),
            look_at: "run_in_child in src/ex2_fork.rs: is target(arg) called before the fork, \
                      or in the parent?");
    }

    fn two_calls_start_two_different_children() {
        support::step("waiting for two calls to run_in_child", STUCK);
        let a = run_in_child(square, 2).expect("first run_in_child");
        let b = run_in_child(square, 3).expect("second run_in_child");
        require!(a.pid != b.pid && (a.value, b.value) == (4, 9),
            expected: "two children with different pids, answering 4 and 9",
            got: format!("pids {} and {}, answers {} and {}", a.pid, b.pid, a.value, b.value),
            look_at: "run_in_child in src/ex2_fork.rs: does each call fork a child of its own?");
    }

    /// A child that ends without reporting (it crashed, say) is an error
    /// for the caller, and it is still reaped: no zombie is left behind.
    fn a_child_that_dies_without_reporting_is_an_error_and_is_reaped() {
        support::step("waiting for run_in_child with a target that ends the child before it reports",
            STUCK);
        let got = run_in_child(dies_before_reporting, 0);
        require!(got.is_err(),
            expected: "an error: the child ended without sending a report",
            got: format!("{got:?}"),
            look_at: "run_in_child in src/ex2_fork.rs: what does the parent do with what \
                      reader.receive() gives when the pipe closed empty?");
        let left = children_left();
        require!(left.is_empty(),
            expected: "no child left once run_in_child has returned, even with an error",
            got: format!("still in the process table: {left:?}"),
            look_at: "run_in_child in src/ex2_fork.rs: on the path that returns the error, is the \
                      child still waited for? (A `?` returns at once, skipping the lines after it.)");
    }

    /// The child must end inside run_in_child: a child that returns from
    /// it runs the rest of its caller a second time, in another process.
    fn the_child_never_returns_into_the_caller() {
        let (seen_r, seen_w): (OwnedFd, OwnedFd) =
            nix::unistd::pipe2(OFlag::O_CLOEXEC | OFlag::O_NONBLOCK).expect("pipe2");
        let me = procs::own_pid();
        support::step("waiting for run_in_child(square, 5)", STUCK);
        let report = run_in_child(square, 5);
        if procs::own_pid() != me {
            // We are the child, back in the test: say so, and end here.
            let _ = nix::unistd::write(&seen_w, b"!");
            // SAFETY: ends this stray copy of the test at once.
            unsafe { libc::_exit(0) }
        }
        drop(seen_w);
        let mut byte = [0u8; 1];
        let came_back = matches!(nix::unistd::read(&seen_r, &mut byte), Ok(1));
        require!(!came_back,
            expected: "the child to end inside run_in_child, after sending its report",
            got: format!("the child returned from run_in_child and went on running the test's \
                          code, in another process (the parent got {report:?})"),
            look_at: "run_in_child in src/ex2_fork.rs: how does the child branch end? What does \
                      a forked child do after its last line if it does not end the process itself?");
    }
}
