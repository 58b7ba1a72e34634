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

/// The name the kernel gives the calling thread (`/proc/thread-self/comm`).
fn own_thread_name() -> String {
    std::fs::read_to_string("/proc/thread-self/comm")
        .map(|s| s.trim_end().to_string())
        .unwrap_or_default()
}

fn pipe() -> (OwnedFd, OwnedFd) {
    nix::unistd::pipe2(OFlag::O_CLOEXEC).expect("pipe2")
}

support::isolated_tests! {
    fn start_runs_the_task_in_a_named_child_and_join_returns_its_exit_code() {
        let (report_r, report_w) = pipe();
        let (go_r, go_w) = pipe();
        let task = Greeter { runs: 0, report_w: report_w.as_raw_fd(), go_r: go_r.as_raw_fd() };
        let my_name = own_thread_name();
        let mut p = Process::new("greeter", task);
        require!(p.pid().is_none(),
            expected: "pid() to be None before start (Python: p.pid is None)",
            got: format!("{:?}", p.pid()),
            look_at: "Process::new and Process::pid in src/ex4_run_trait.rs: what is there to \
                      report before any child exists?");
        p.start().expect("start");

        support::step("reading the child's report",
            "no report came from run(). Possible causes: start() never calls task.run() in a \
             child; start() never forks; the child blocks before it gets to run()");
        let mut bytes = [0u8; Report::SIZE];
        File::from(report_r).read_exact(&mut bytes).expect("read the report");
        let report = Report::from_bytes(&bytes).expect("a well-formed report");
        let me = procs::own_pid();
        require!(Some(report.pid) == p.pid() && report.pid != me && report.ppid == me,
            expected: format!("run() to execute in the child p.pid() = {:?}, a child of this test ({me})", p.pid()),
            got: format!("run() executed in pid {} whose parent is {}", report.pid, report.ppid),
            look_at: "Process::start in src/ex4_run_trait.rs: which process calls self.task.run(), \
                      and which pid does Process::pid report?");
        let comm = procs::info(report.pid).map(|i| i.comm).unwrap_or_default();
        require!(comm == "greeter",
            expected: "the child's kernel name (/proc/<pid>/comm) to be \"greeter\"",
            got: format!("{comm:?}"),
            look_at: "Process::start in src/ex4_run_trait.rs: where does the child get its name, \
                      and does that happen before run()?");
        let after = own_thread_name();
        require!(after == my_name,
            expected: format!("the test's own thread to keep its name {my_name:?}: only the child is named"),
            got: format!("the test's thread is now called {after:?}"),
            look_at: "Process::new and Process::start in src/ex4_run_trait.rs: which process \
                      (and thread) is running when the name is set?");

        nix::unistd::write(&go_w, b"g").expect("let the child finish");
        support::step("joining the child",
            "join never returns although the child was told to finish: does Process::join \
             (src/ex4_run_trait.rs) wait for the pid that start() forked?");
        let exit = p.join().expect("join");
        require!(exit == Exit::Code(7),
            expected: Exit::Code(7),
            got: exit,
            look_at: "Process::start and Process::join in src/ex4_run_trait.rs: how does run()'s \
                      return value become the child's exit code, and how does join read it back?");
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
            "no report came from run(). Possible causes: start() never calls task.run() in a \
             child; start() never forks; the child blocks before it gets to run()");
        let mut bytes = [0u8; Report::SIZE];
        File::from(report_r).read_exact(&mut bytes).expect("read the report");
        let report = Report::from_bytes(&bytes).expect("a well-formed report");
        support::step("joining the child",
            "join never returns although the child was told to finish: does Process::join \
             (src/ex4_run_trait.rs) wait for the pid that start() forked?");
        p.join().expect("join");
        require!(report.value == 1 && p.task().runs == 0,
            expected: "the child to see runs == 1 after its run(), and the parent's copy to stay 0 \
                       (fork copies memory; nothing is shared)",
            got: format!("child saw {}, parent has {}", report.value, p.task().runs),
            look_at: "Process::start and Process::task in src/ex4_run_trait.rs: in which process \
                      does run() change the task, and whose copy does task() return?");
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
        support::step("joining the child",
            "join never returns although run() returns at once: does Process::join \
             (src/ex4_run_trait.rs) wait for the pid that start() forked?");
        let first = p.join().expect("first join");
        let second = p.join();
        require!(first == Exit::Code(3) && matches!(second, Ok(Exit::Code(3))),
            expected: "join() to give Code(3) both times (Python's join() may be called again)",
            got: format!("{first:?}, then {second:?}"),
            look_at: "Process::join in src/ex4_run_trait.rs: the first join reaped the child; \
                      what can a second waitpid on that pid still find?");
        require!(p.pid().is_some(),
            expected: "pid() to stay Some after join (Python keeps p.pid)",
            got: "None",
            look_at: "Process::join and Process::pid in src/ex4_run_trait.rs");
    }

    /// A run() that ends in a signal: join says which signal, like
    /// Python's negative exitcode.
    fn a_child_killed_by_a_signal_joins_as_that_signal() {
        struct Crashes;
        impl Run for Crashes {
            fn run(&mut self) -> i32 {
                // SAFETY: raise(2) is async-signal-safe; SIGKILL ends this
                // (forked) process at once.
                unsafe { libc::raise(libc::SIGKILL) };
                0
            }
        }
        let mut p = Process::new("crashes", Crashes);
        p.start().expect("start");
        support::step("joining a child whose run() kills it with SIGKILL",
            "join never returns although the child dies at once: does Process::join \
             (src/ex4_run_trait.rs) wait for the pid that start() forked?");
        let exit = p.join();
        require!(matches!(exit, Ok(Exit::Signal(9))),
            expected: "Ok(Exit::Signal(9)): the child was killed by SIGKILL (Python exitcode -9)",
            got: format!("{exit:?}"),
            look_at: "Process::join in src/ex4_run_trait.rs: which kinds of WaitStatus can waitpid \
                      give for a child that has ended, and does join handle each?");
    }
}
