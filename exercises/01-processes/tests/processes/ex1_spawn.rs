//! Exercise 1: start a program, watch it, stop it (`src/ex1_spawn.rs`).

use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus, Stdio};

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
                look_at: "exit_of: ExitStatus::code() is None when a signal ended the child; \
                          ExitStatusExt::signal() then says which");
        }
    }

    fn a_child_that_exits_with_3_has_exitcode_3() {
        let mut w = Worker::start(&mut sh("exit 3")).expect("start sh");
        support::step("joining a child that runs `exit 3`",
            "join does not wait for the child: use Child::wait");
        let exit = w.join().expect("join");
        require!(exit == Exit::Code(3),
            expected: Exit::Code(3),
            got: exit,
            look_at: "Worker::join and exit_of");
        require!(w.exitcode() == Some(3),
            expected: "exitcode() after join to be Some(3)",
            got: format!("{:?}", w.exitcode()),
            look_at: "Worker::exitcode: after join the status is known (try_wait remembers it)");
    }

    fn a_child_killed_by_signal_9_has_exitcode_minus_9() {
        let mut w = Worker::start(&mut sh("kill -KILL $$")).expect("start sh");
        support::step("joining a child that kills itself with SIGKILL",
            "join does not wait for the child: use Child::wait");
        let exit = w.join().expect("join");
        require!(exit == Exit::Signal(9),
            expected: Exit::Signal(9),
            got: exit,
            look_at: "exit_of: a child killed by a signal has no exit code; Python reports -N");
        require!(w.exitcode() == Some(-9),
            expected: "exitcode() to be Some(-9), as in Python",
            got: format!("{:?}", w.exitcode()),
            look_at: "Worker::exitcode: use exit_of(status).exitcode()");
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
            look_at: "Worker::pid: the id of the spawned Child");
        w.terminate().expect("terminate");
        support::step("joining cat after terminate()", "terminate did not send a signal to the child");
        let _ = w.join();
    }

    /// `cat` with nothing on its standard input runs until we stop it.
    fn terminate_stops_a_running_child_with_sigterm() {
        let mut cat = Command::new("cat");
        cat.stdin(Stdio::piped());
        let mut w = Worker::start(&mut cat).expect("start cat");
        require!(w.is_alive(),
            expected: "is_alive() to be true while cat waits for input",
            got: "false",
            look_at: "Worker::is_alive: Child::try_wait gives Ok(None) while the child runs");
        require!(w.exitcode().is_none(),
            expected: "exitcode() to be None while the child runs (as in Python)",
            got: format!("{:?}", w.exitcode()),
            look_at: "Worker::exitcode");
        w.terminate().expect("terminate");
        support::step("joining cat after terminate()",
            "terminate did not send SIGTERM to the child's pid (nix::sys::signal::kill)");
        let exit = w.join().expect("join");
        require!(exit == Exit::Signal(15),
            expected: Exit::Signal(15),
            got: exit,
            look_at: "Worker::terminate sends SIGTERM (15), like Python's terminate(); Child::kill would send SIGKILL (9)");
        require!(!w.is_alive() && w.exitcode() == Some(-15),
            expected: "after join: is_alive() false and exitcode() Some(-15)",
            got: format!("is_alive() {}, exitcode() {:?}", w.is_alive(), w.exitcode()),
            look_at: "Worker::is_alive and Worker::exitcode after the child has been waited for");
    }
}
