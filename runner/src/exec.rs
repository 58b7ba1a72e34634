//! Running child commands under a time limit, so the runner never hangs.
//!
//! Each child runs in a process group of its own; when its time is up the
//! whole group is killed. Ctrl-C in the runner kills the current child's
//! group too (it would not reach it otherwise, being in another group).

use std::process::{Command, Stdio};
use std::sync::Once;
use std::sync::atomic::{AtomicI32, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{self, SaFlags, SigAction, SigHandler, SigSet, Signal};
use nix::unistd::Pid;
use support::sandbox::{collect, drain};

/// How long a `cargo test` or `cargo build` may take.
pub const CARGO_LIMIT: Duration = Duration::from_secs(20 * 60);
/// How long an example or a Python script may take.
pub const PROGRAM_LIMIT: Duration = Duration::from_secs(60);

/// How a child command ended.
#[derive(Debug, Clone, Default)]
pub struct Output {
    /// `Some(0)` for success; `None` if killed by a signal or timed out.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub timed_out: bool,
    /// Set when the command could not even be started.
    pub spawn_error: Option<String>,
}

impl Output {
    pub fn success(&self) -> bool {
        self.code == Some(0) && !self.timed_out
    }

    /// One line saying how it ended: "exit status 1", "timed out after 60 s".
    pub fn ending(&self, limit: Duration) -> String {
        if let Some(e) = &self.spawn_error {
            format!("could not start: {e}")
        } else if self.timed_out {
            format!("timed out after {} s (killed)", limit.as_secs())
        } else {
            match self.code {
                Some(c) => format!("exit status {c}"),
                None => "killed by a signal".to_string(),
            }
        }
    }
}

/// How long to wait for the end of a child's output once the child is gone:
/// a process that escaped the group may still hold the pipe open.
const PIPE_GRACE: Duration = Duration::from_secs(5);

/// The process groups of the children running now (0: a free slot). Two
/// can run at once: `verify` builds the next tests while it runs these.
static CURRENT_GROUPS: [AtomicI32; 4] = [const { AtomicI32::new(0) }; 4];

extern "C" fn on_interrupt(sig: i32) {
    // Only async-signal-safe calls here: kill(2), sigaction(2) and raise(3).
    for slot in &CURRENT_GROUPS {
        let group = slot.load(Ordering::SeqCst);
        if group > 0 {
            let _ = signal::killpg(Pid::from_raw(group), Signal::SIGKILL);
        }
    }
    let default = SigAction::new(SigHandler::SigDfl, SaFlags::empty(), SigSet::empty());
    if let Ok(s) = Signal::try_from(sig) {
        // SAFETY: restoring the default disposition installs no Rust code as
        // a handler; re-raising then ends the process as Ctrl-C normally does.
        unsafe {
            let _ = signal::sigaction(s, &default);
        }
        let _ = signal::raise(s);
    }
}

fn install_interrupt_handler() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let action = SigAction::new(
            SigHandler::Handler(on_interrupt),
            SaFlags::empty(),
            SigSet::empty(),
        );
        for s in [Signal::SIGINT, Signal::SIGTERM] {
            // SAFETY: the handler only reads an atomic and makes
            // async-signal-safe system calls (see `on_interrupt`).
            unsafe {
                let _ = signal::sigaction(s, &action);
            }
        }
    });
}

/// Runs `cmd` to the end (or until `limit`), capturing its output.
pub fn run(mut cmd: Command, limit: Duration) -> Output {
    install_interrupt_handler();
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return Output {
                spawn_error: Some(e.to_string()),
                ..Output::default()
            };
        }
    };
    let pid = child.id() as i32;
    let slot = CURRENT_GROUPS.iter().find(|s| {
        s.compare_exchange(0, pid, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    });
    // Read both pipes at once: reading one to the end first could block
    // while the child blocks writing to the other, full, pipe.
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let deadline = Instant::now() + limit;
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() >= deadline => {
                timed_out = true;
                let _ = signal::killpg(Pid::from_raw(pid), Signal::SIGKILL);
                break child.wait().ok();
            }
            Ok(None) => thread::sleep(Duration::from_millis(50)),
            Err(_) => break None,
        }
    };
    // Whatever else is left in the group (a grandchild holding the pipes)
    // goes too, or reading the pipes would wait for it.
    let _ = signal::killpg(Pid::from_raw(pid), Signal::SIGKILL);
    if let Some(s) = slot {
        s.store(0, Ordering::SeqCst);
    }
    Output {
        code: status.and_then(|s| s.code()),
        stdout: collect(out, PIPE_GRACE),
        stderr: collect(err, PIPE_GRACE),
        timed_out,
        spawn_error: None,
    }
}

/// The `cargo` that started us (`$CARGO`), or the one on the PATH.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_that_runs_too_long_is_killed_with_its_group() {
        let mut cmd = Command::new("sh");
        // `exec`: no grandchild is orphaned, which `verify` (a subreaper
        // running these tests) would rightly report as left behind.
        cmd.args(["-c", "exec sleep 30"]);
        let started = Instant::now();
        let out = run(cmd, Duration::from_millis(300));
        assert!(out.timed_out, "{out:?}");
        assert!(!out.success());
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "took {:?}",
            started.elapsed()
        );
        assert_eq!(
            out.ending(Duration::from_secs(60)),
            "timed out after 60 s (killed)"
        );
    }

    #[test]
    fn output_and_exit_status_are_captured() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "echo out; echo err >&2; exit 3"]);
        let out = run(cmd, Duration::from_secs(30));
        assert_eq!(
            (out.code, out.stdout.as_str(), out.stderr.as_str()),
            (Some(3), "out\n", "err\n")
        );
        let missing = run(Command::new("/no/such/program"), Duration::from_secs(1));
        assert!(missing.spawn_error.is_some() && !missing.success());
    }
}
