//! Exercise 2: run a function in a forked child (`src/ex2_fork.rs`).

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

const STUCK: &str = "the parent still holds its copy of the pipe's write end, so the \
                     report never reaches end-of-file (drop the writer in the parent right after fork); \
                     or the child never sends a report and _exits";

support::isolated_tests! {
    fn the_answer_comes_from_another_process() {
        support::step("waiting for run_in_child(square, 7)", STUCK);
        let report = run_in_child(square, 7).expect("run_in_child");
        let me = procs::own_pid();
        require!(report.value == 49,
            expected: "the child's value to be square(7) = 49",
            got: report.value,
            look_at: "run_in_child: the child calls target(arg) and sends Report::from_here(value)");
        require!(report.pid != me,
            expected: format!("the report to come from a new process, not this one (pid {me})"),
            got: format!("a report with pid {}", report.pid),
            look_at: "run_in_child: fork, then build the report in the ForkResult::Child branch");
        require!(report.ppid == me,
            expected: format!("the child's parent to be this test process (pid {me})"),
            got: format!("ppid {}", report.ppid),
            look_at: "run_in_child: fork once, from the calling process");
    }

    fn the_target_runs_in_the_child_not_in_the_parent() {
        support::step("waiting for run_in_child(my_pid, 0)", STUCK);
        let report = run_in_child(my_pid, 0).expect("run_in_child");
        let me = procs::own_pid() as u64;
        require!(report.value != me && report.value == report.pid as u64,
            expected: "target to run in the child: it returns the pid of the process that runs it, \
                       which must be the child's pid",
            got: format!("target returned {}; the child is {}, this test is {me}", report.value, report.pid),
            look_at: "run_in_child: call target(arg) after fork, in the child, not before");
    }

    fn two_calls_start_two_different_children() {
        support::step("waiting for two calls to run_in_child", STUCK);
        let a = run_in_child(square, 2).expect("first run_in_child");
        let b = run_in_child(square, 3).expect("second run_in_child");
        require!(a.pid != b.pid && (a.value, b.value) == (4, 9),
            expected: "two children with different pids, answering 4 and 9",
            got: format!("pids {} and {}, answers {} and {}", a.pid, b.pid, a.value, b.value),
            look_at: "run_in_child: one fork per call; the child must _exit, never return");
    }
}
