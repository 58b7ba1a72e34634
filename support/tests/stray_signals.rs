//! A stray signal stays inside the test: each sandbox runs in a PID
//! namespace of its own, so `kill(-1, ..)` and `kill(0, ..)` in the code
//! under test reach only the test's own processes. Each test here starts a
//! *sentinel* (a `sleep` outside the sandbox) and proves it untouched.
//!
//! The fixtures refuse to send anything dangerous unless they see that they
//! run inside a namespace (pid 2, under a pid 1 of ours): where namespaces
//! are not available, these tests say so and check nothing.

use std::fs;
use std::process::{Child, Command};
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use support::procs;
use support::sandbox::{fixture, run_isolated};

const LIMIT: Duration = Duration::from_secs(2);
const TOKEN_VAR: &str = "WORKBOOK_FIXTURE";

fn token(name: &str) -> String {
    let supervisor = support::sandbox::supervisor_pid().unwrap_or_else(procs::own_pid);
    format!("{name}-{supervisor}")
}

/// Every process on the machine that carries the mark `token`.
fn marked(token: &str) -> Vec<i32> {
    let needle = format!("{TOKEN_VAR}={token}");
    procs::all_pids()
        .into_iter()
        .filter(|p| {
            fs::read(format!("/proc/{p}/environ"))
                .is_ok_and(|env| env.split(|&b| b == 0).any(|kv| kv == needle.as_bytes()))
        })
        .collect()
}

/// Two marked processes (a shell and its background `sleep`).
fn sleeper_family(name: &str) -> Child {
    Command::new("sh")
        .args(["-c", "sleep 1000 & exec sleep 1000"])
        .env(TOKEN_VAR, token(name))
        .spawn()
        .expect("start sh")
}

/// Inside a namespace of ours, the sandbox is pid 2 and its parent is the
/// namespace's pid 1, `workbook-init`.
fn in_own_namespace() -> bool {
    let me = procs::own_pid();
    me == 2
        && procs::info(me).is_some_and(|i| i.ppid == 1)
        && procs::info(1).is_some_and(|i| i.comm == "workbook-init")
}

/// A `sleep` started by the test itself, outside any sandbox.
struct Sentinel(Child);

impl Sentinel {
    fn start() -> Self {
        Sentinel(
            Command::new("sleep")
                .arg("1000")
                .spawn()
                .expect("start sleep"),
        )
    }

    fn pid(&self) -> Pid {
        Pid::from_raw(self.0.id() as i32)
    }

    fn state(&self) -> Option<char> {
        procs::info(self.0.id() as i32).map(|i| i.state)
    }

    fn assert_alive(&mut self) {
        assert!(
            self.0.try_wait().expect("try_wait").is_none(),
            "the sentinel outside the sandbox was killed"
        );
    }
}

impl Drop for Sentinel {
    fn drop(&mut self) {
        let _ = kill(self.pid(), Signal::SIGKILL);
        let _ = self.0.wait();
    }
}

/// Did the sandbox run in a namespace? Asked of a harmless fixture.
fn namespaces_work() -> bool {
    let out = run_isolated("fixture_reports_its_namespace", LIMIT);
    if !out.passed {
        eprintln!(
            "note: no PID namespace for tests here, so the stray-signal tests check nothing:\n{}",
            out.message
        );
    }
    out.passed
}

#[test]
fn fixture_reports_its_namespace() {
    fixture("fixture_reports_its_namespace", LIMIT, || {
        assert!(in_own_namespace(), "not in a namespace of its own");
        // Only the namespace's processes are in its /proc: init and us.
        assert_eq!(procs::all_pids(), vec![1, 2]);
    });
}

#[test]
fn fixture_continues_everything() {
    fixture("fixture_continues_everything", LIMIT, || {
        assert!(in_own_namespace(), "refusing to signal outside a namespace");
        let mut family = sleeper_family("fixture_continues_everything");
        // SIGCONT is harmless: it only wakes stopped processes.
        kill(Pid::from_raw(-1), Signal::SIGCONT).expect("kill(-1, SIGCONT)");
        let _ = family.kill();
        let _ = family.wait();
    });
}

/// The harmless experiment first: a stopped sentinel stays stopped when the
/// sandbox sends SIGCONT to every process it may signal.
#[test]
fn a_signal_to_every_process_does_not_leave_the_sandbox() {
    if !namespaces_work() {
        return;
    }
    let mut sentinel = Sentinel::start();
    kill(sentinel.pid(), Signal::SIGSTOP).expect("stop the sentinel");
    while sentinel.state() != Some('T') {
        std::thread::yield_now();
    }
    let out = run_isolated("fixture_continues_everything", LIMIT);
    let after = sentinel.state();
    sentinel.assert_alive();
    assert_eq!(
        after,
        Some('T'),
        "the SIGCONT reached the stopped sentinel outside the sandbox"
    );
    // The sandbox's own children are gone; the body itself may have passed.
    assert!(
        marked(&token("fixture_continues_everything")).is_empty(),
        "{}",
        out.message
    );
}

#[test]
#[allow(
    clippy::zombie_processes,
    reason = "the point: the sandbox must clean up"
)]
fn fixture_terminates_every_process() {
    fixture("fixture_terminates_every_process", LIMIT, || {
        assert!(in_own_namespace(), "refusing to signal outside a namespace");
        let _family = sleeper_family("fixture_terminates_every_process");
        kill(Pid::from_raw(-1), Signal::SIGTERM).expect("kill(-1, SIGTERM)");
        // The family is now dying, unreaped: the sandbox must clean up.
    });
}

/// `kill(-1, SIGTERM)`, as a mutant's `terminate()` with `pid() == -1` sent
/// it: the test's own children die, the sentinel and this test live.
#[test]
fn kill_minus_one_reaches_only_the_test_s_own_processes() {
    if !namespaces_work() {
        return;
    }
    let mut sentinel = Sentinel::start();
    let out = run_isolated("fixture_terminates_every_process", LIMIT);
    eprintln!("{}", out.message);
    sentinel.assert_alive();
    assert!(
        marked(&token("fixture_terminates_every_process")).is_empty(),
        "the fixture's children should be gone"
    );
    // The body survived its own signal (the sender is spared) and was
    // failed for the children it left unreaped.
    assert!(
        !out.passed && out.message.contains("left"),
        "unexpected outcome:\n{}",
        out.message
    );
}

#[test]
#[allow(
    clippy::zombie_processes,
    reason = "the point: the sandbox must clean up"
)]
fn fixture_kills_its_process_group() {
    fixture("fixture_kills_its_process_group", LIMIT, || {
        assert!(in_own_namespace(), "refusing to signal outside a namespace");
        let _family = sleeper_family("fixture_kills_its_process_group");
        kill(Pid::from_raw(0), Signal::SIGKILL).expect("kill(0, SIGKILL)");
    });
}

/// `kill(0, SIGKILL)`: the sandbox's process group is inside the namespace,
/// so the test process dies, reported as killed by a signal it never sends.
#[test]
fn kill_zero_reaches_only_the_test_s_own_processes() {
    if !namespaces_work() {
        return;
    }
    let mut sentinel = Sentinel::start();
    let out = run_isolated("fixture_kills_its_process_group", LIMIT);
    eprintln!("{}", out.message);
    sentinel.assert_alive();
    assert!(
        marked(&token("fixture_kills_its_process_group")).is_empty(),
        "the fixture's children should be gone"
    );
    assert!(
        !out.passed
            && out.message.contains("killed by signal 9 (SIGKILL)")
            && out.message.contains("Nothing in the test sends SIGKILL"),
        "unexpected outcome:\n{}",
        out.message
    );
}

#[test]
fn fixture_looks_for_the_supervisor_s_segment() {
    fixture("fixture_looks_for_the_supervisor_s_segment", LIMIT, || {
        let probe = format!(
            "/dev/shm/{}probe-{}",
            support::SHM_PREFIX,
            support::sandbox::supervisor_pid().unwrap_or(0)
        );
        assert!(
            !std::path::Path::new(&probe).exists(),
            "the sandbox sees {probe}"
        );
    });
}

/// Each sandbox in a namespace has a `/dev/shm` of its own: a segment made
/// outside is not visible inside.
#[test]
fn a_sandbox_has_a_dev_shm_of_its_own() {
    if !namespaces_work() {
        return;
    }
    let probe = format!("/dev/shm/{}probe-{}", support::SHM_PREFIX, procs::own_pid());
    fs::write(&probe, b"").expect("create the probe");
    let out = run_isolated("fixture_looks_for_the_supervisor_s_segment", LIMIT);
    let _ = fs::remove_file(&probe);
    assert!(out.passed, "{}", out.message);
}
