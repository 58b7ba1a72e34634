//! Exercise 4: a child defined by a type (`src/ex4_run_trait.rs`).

use std::fs::File;
use std::io::Read;
use std::os::fd::{AsRawFd, OwnedFd};

use nix::fcntl::OFlag;
use processes::ex4_run_trait::{Process, Run};
use processes::given::{Exit, Report};
use support::{procs, require};

/// Like a Python subclass of `Process` with a `run()` method: counts its
/// runs, tells the test who it is, waits for the test's go-ahead (so the
/// test can look at it while it runs), and exits with 7.
#[derive(Debug)]
struct Greeter {
    runs: u64,
    report_w: i32,
    go_r: i32,
}

impl Run for Greeter {
    fn run(&mut self) -> i32 {
        self.runs += 1;
        let bytes = Report::from_here(self.runs).to_bytes();
        let mut byte = [0u8; 1];
        // SAFETY: write(2)/read(2) on fds the test keeps open, with buffers
        // on this stack: async-signal-safe, as a forked child requires.
        unsafe {
            libc::write(self.report_w, bytes.as_ptr().cast(), bytes.len());
            libc::read(self.go_r, byte.as_mut_ptr().cast(), 1);
        }
        7
    }
}

fn pipe() -> (OwnedFd, OwnedFd) {
    nix::unistd::pipe2(OFlag::O_CLOEXEC).expect("pipe2")
}

support::isolated_tests! {
    fn start_runs_the_task_in_a_named_child_and_join_returns_its_exit_code() {
        let (report_r, report_w) = pipe();
        let (go_r, go_w) = pipe();
        let task = Greeter { runs: 0, report_w: report_w.as_raw_fd(), go_r: go_r.as_raw_fd() };
        let mut p = Process::new("greeter", task);
        require!(p.pid().is_none(),
            expected: "pid() to be None before start (Python: p.pid is None)",
            got: format!("{:?}", p.pid()),
            look_at: "Process::new and Process::pid");
        p.start().expect("start");

        support::step("reading the child's report",
            "start() did not call task.run() in the child (or never forked)");
        let mut bytes = [0u8; Report::SIZE];
        File::from(report_r).read_exact(&mut bytes).expect("read the report");
        let report = Report::from_bytes(&bytes).expect("a well-formed report");
        let me = procs::own_pid();
        require!(Some(report.pid) == p.pid() && report.pid != me && report.ppid == me,
            expected: format!("run() to execute in the child p.pid() = {:?}, a child of this test ({me})", p.pid()),
            got: format!("run() executed in pid {} whose parent is {}", report.pid, report.ppid),
            look_at: "Process::start: fork, and call self.task.run() in the ForkResult::Child branch");
        let comm = procs::info(report.pid).map(|i| i.comm).unwrap_or_default();
        require!(comm == "greeter",
            expected: "the child's kernel name (/proc/<pid>/comm) to be \"greeter\"",
            got: format!("{comm:?}"),
            look_at: "Process::start: in the child, nix::sys::prctl::set_name before run()");

        nix::unistd::write(&go_w, b"g").expect("let the child finish");
        support::step("joining the child", "join does not waitpid for the child's pid");
        let exit = p.join().expect("join");
        require!(exit == Exit::Code(7),
            expected: Exit::Code(7),
            got: exit,
            look_at: "Process::start: the child must _exit with run()'s return value; \
                      Process::join: WaitStatus::Exited(_, code) is Exit::Code(code)");
        drop((report_w, go_r));
    }

    fn the_child_changes_its_own_copy_of_the_task_not_the_parents() {
        let (report_r, report_w) = pipe();
        let (go_r, go_w) = pipe();
        let task = Greeter { runs: 0, report_w: report_w.as_raw_fd(), go_r: go_r.as_raw_fd() };
        let mut p = Process::new("counter", task);
        p.start().expect("start");
        nix::unistd::write(&go_w, b"g").expect("let the child finish");
        support::step("reading the child's report",
            "start() did not call task.run() in the child (or never forked)");
        let mut bytes = [0u8; Report::SIZE];
        File::from(report_r).read_exact(&mut bytes).expect("read the report");
        let report = Report::from_bytes(&bytes).expect("a well-formed report");
        support::step("joining the child", "join does not waitpid for the child's pid");
        p.join().expect("join");
        require!(report.value == 1 && p.task().runs == 0,
            expected: "the child to see runs == 1 after its run(), and the parent's copy to stay 0 \
                       (fork copies memory; nothing is shared)",
            got: format!("child saw {}, parent has {}", report.value, p.task().runs),
            look_at: "Process::start: run() belongs in the child only; Process::task returns the parent's copy");
        drop((report_w, go_r));
    }

    fn join_twice_gives_the_same_answer() {
        struct Quick;
        impl Run for Quick {
            fn run(&mut self) -> i32 {
                3
            }
        }
        let mut p = Process::new("quick", Quick);
        p.start().expect("start");
        support::step("joining the child", "join does not waitpid for the child's pid");
        let first = p.join().expect("first join");
        let second = p.join();
        require!(first == Exit::Code(3) && matches!(second, Ok(Exit::Code(3))),
            expected: "join() to give Code(3) both times (Python's join() may be called again)",
            got: format!("{first:?}, then {second:?}"),
            look_at: "Process::join: remember the exit; a second waitpid on a reaped pid fails with ECHILD");
    }
}
