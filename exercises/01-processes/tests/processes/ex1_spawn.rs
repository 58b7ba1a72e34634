//! Exercise 1: start a program, watch it, stop it (`src/ex1_spawn.rs`).

use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus, Stdio};

use nix::sys::wait::{Id, WaitPidFlag, waitid};
use nix::unistd::Pid;
use processes::ex1_spawn::{Worker, exit_of};
use processes::given::Exit;
use support::{procs, require};

fn sh(script: &str) -> Command {
    let mut c = Command::new("sh");
    c.args(["-c", script]);
    c
}

support::isolated_tests! {
    /// The raw numbers `waitpid` gives: exit code 3 is `3 << 8`; death by
    /// signal 15 is `15`.
    fn exit_of_reads_a_wait_status_like_pythons_exitcode() {
        for (raw, want) in [
            (3 << 8, Exit::Code(3)),
            (0, Exit::Code(0)),
            (15, Exit::Signal(15)),
            (9, Exit::Signal(9)),
        ] {
            let got = exit_of(ExitStatus::from_raw(raw));
            require!(got == want,
                expected: format!("raw wait status {raw} to mean: {want}"),
                got: format!("{got}"),
                look_at: "exit_of in src/ex1_spawn.rs: what does ExitStatus::code() give for a \
                      child that a signal ended, and where else does the status say which signal?");
        }
    }

    fn a_child_that_exits_with_3_has_exitcode_3() {
        let mut w = Worker::start(&mut sh("exit 3")).expect("start sh");
        support::step("joining a child that runs `exit 3`",
            "join never returns although `sh -c 'exit 3'` ends at once: does Worker::join \
             (src/ex1_spawn.rs) wait for the child it started, or for something else?");
        let exit = w.join().expect("join");
        require!(exit == Exit::Code(3),
            expected: Exit::Code(3),
            got: exit,
            look_at: "Worker::join and exit_of in src/ex1_spawn.rs: where does the 3 get lost?");
        require!(w.exitcode() == Some(3),
            expected: "exitcode() after join to be Some(3)",
            got: format!("{:?}", w.exitcode()),
            look_at: "Worker::exitcode in src/ex1_spawn.rs: after join the child has ended; \
                      what does exitcode ask, and does it still get an answer once the child was reaped?");
    }

    fn a_child_killed_by_signal_9_has_exitcode_minus_9() {
        let mut w = Worker::start(&mut sh("kill -KILL $$")).expect("start sh");
        support::step("joining a child that kills itself with SIGKILL",
            "join never returns although the child kills itself at once: does Worker::join \
             (src/ex1_spawn.rs) wait for the child it started?");
        let exit = w.join().expect("join");
        require!(exit == Exit::Signal(9),
            expected: Exit::Signal(9),
            got: exit,
            look_at: "exit_of in src/ex1_spawn.rs: a child killed by a signal has no exit code; \
                      which part of the status says which signal it was?");
        require!(w.exitcode() == Some(-9),
            expected: "exitcode() to be Some(-9), as in Python",
            got: format!("{:?}", w.exitcode()),
            look_at: "Worker::exitcode in src/ex1_spawn.rs: Python reports a death by signal N \
                      as -N; does exitcode go through exit_of and Exit::exitcode?");
    }

    fn the_worker_is_a_child_of_this_process() {
        let mut cat = Command::new("cat");
        cat.stdin(Stdio::piped());
        let mut w = Worker::start(&mut cat).expect("start cat");
        let me = procs::own_pid();
        let pid = w.pid();
        let parent = procs::info(pid).map(|i| i.ppid);
        require!(pid != me && parent == Some(me),
            expected: format!("pid() to be a new process whose parent is this test (pid {me})"),
            got: format!("pid {pid}, whose parent is {parent:?}"),
            look_at: "Worker::pid in src/ex1_spawn.rs: whose id does it return?");
        w.terminate().expect("terminate");
        support::step("joining cat after terminate()",
            "cat is still running after terminate(): did terminate send its signal to cat's pid, \
             or to another process?");
        let _ = w.join();
    }

    /// `cat` with nothing on its standard input runs until we stop it.
    fn terminate_stops_a_running_child_with_sigterm() {
        let mut cat = Command::new("cat");
        cat.stdin(Stdio::piped());
        let mut w = Worker::start(&mut cat).expect("start cat");
        support::step("asking is_alive() and exitcode() about a cat that is still running",
            "is_alive() or exitcode() never returns: does it wait for the child to end \
             (Child::wait blocks) instead of only looking whether it has ended?");
        require!(w.is_alive(),
            expected: "is_alive() to be true while cat waits for input",
            got: "false",
            look_at: "Worker::is_alive in src/ex1_spawn.rs: what does your check answer for a child \
                      that has not ended yet?");
        require!(w.exitcode().is_none(),
            expected: "exitcode() to be None while the child runs (as in Python)",
            got: format!("{:?}", w.exitcode()),
            look_at: "Worker::exitcode in src/ex1_spawn.rs: what does it answer before the child ends?");
        // Checked before any signal is sent: a wrong pid here would send
        // SIGTERM to another process (0: our group; -1: every process we may signal).
        let pid = w.pid();
        let parent = procs::info(pid).map(|i| i.ppid);
        require!(pid > 0 && parent == Some(procs::own_pid()),
            expected: "pid() to be cat's pid, a child of this test, before terminate() uses it",
            got: format!("pid {pid}, whose parent is {parent:?}"),
            look_at: "Worker::pid in src/ex1_spawn.rs: whose id does it return?");
        w.terminate().expect("terminate");
        support::step("joining cat after terminate()",
            "cat is still running after terminate(), possibly because: the signal went to \
             another pid than cat's; terminate sent no signal at all; join waits for something \
             other than the child");
        let exit = w.join().expect("join");
        require!(exit == Exit::Signal(15),
            expected: Exit::Signal(15),
            got: exit,
            look_at: "Worker::terminate in src/ex1_spawn.rs: which signal does it send? Python's \
                      terminate() asks politely (SIGTERM, 15); which call sends that, and which \
                      one sends SIGKILL (9)?");
        require!(!w.is_alive() && w.exitcode() == Some(-15),
            expected: "after join: is_alive() false and exitcode() Some(-15)",
            got: format!("is_alive() {}, exitcode() {:?}", w.is_alive(), w.exitcode()),
            look_at: "Worker::is_alive and Worker::exitcode in src/ex1_spawn.rs: what do they \
                      answer once the child has been waited for?");
    }

    /// The state between two events: the child has ended, but nobody has
    /// waited for it yet (it is a zombie). Python's `is_alive()` and
    /// `exitcode` already know it has ended; `terminate()` after the end
    /// does nothing and is no error.
    fn a_child_that_ended_is_not_alive_before_anyone_joins_it() {
        let mut w = Worker::start(&mut sh("exit 4")).expect("start sh");
        support::step("waiting for `sh -c 'exit 4'` to end (the test looks, it does not reap it)",
            "the child never ends: is Worker::start (src/ex1_spawn.rs) starting the command it was given?");
        // WNOWAIT: wait until the child has exited, but leave it in the
        // process table, waitable, for the Worker to reap.
        waitid(Id::Pid(Pid::from_raw(w.pid())), WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT)
            .expect("waitid on the worker's pid");
        require!(!w.is_alive(),
            expected: "is_alive() to be false: the child has ended, though nobody has joined it yet",
            got: "true",
            look_at: "Worker::is_alive in src/ex1_spawn.rs: does it ask whether the child has ended, \
                      or only whether its pid still exists? An ended child keeps its pid (as a \
                      zombie) until someone waits for it.");
        require!(w.exitcode() == Some(4),
            expected: "exitcode() to be Some(4) as soon as the child has ended, before any join \
                       (Python's exitcode looks without blocking)",
            got: format!("{:?}", w.exitcode()),
            look_at: "Worker::exitcode in src/ex1_spawn.rs: does it only know the code after join()? \
                      Which call looks at a child without blocking?");
        support::step("joining a child that has already ended",
            "join blocks on a child that has already ended: does it wait for the right pid?");
        let exit = w.join().expect("join");
        require!(exit == Exit::Code(4),
            expected: Exit::Code(4),
            got: exit,
            look_at: "Worker::join in src/ex1_spawn.rs after is_alive/exitcode have looked: \
                      does the status they saw get lost?");
        let again = w.terminate();
        require!(again.is_ok(),
            expected: "terminate() on a child that has ended and been joined to do nothing and return Ok",
            got: format!("{again:?}"),
            look_at: "Worker::terminate in src/ex1_spawn.rs: what happens when the child has already \
                      been waited for? Its pid is free again and may belong to another process by now.");
    }
}
