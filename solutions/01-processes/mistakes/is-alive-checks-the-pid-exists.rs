//! MISTAKE is-alive-checks-the-pid-exists: is_alive asks whether the pid
//! exists (Python's `os.kill(pid, 0)` habit), and an ended child that nobody
//! has waited for yet still has its pid, as a zombie.

use std::io;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Command, ExitStatus};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::given::Exit;

// ANCHOR: exit_of
/// Turns a wait status into an [`Exit`]: `Code(n)` if the child exited by
/// itself, `Signal(n)` if signal `n` killed it.
pub fn exit_of(status: ExitStatus) -> Exit {
    match (status.code(), status.signal()) {
        (Some(code), _) => Exit::Code(code),
        (None, Some(signal)) => Exit::Signal(signal),
        // Neither: only possible for a stopped child, which `wait` does not
        // report unless asked to (WUNTRACED).
        (None, None) => unreachable!("wait reported a status that is neither exit nor signal"),
    }
}
// ANCHOR_END: exit_of

// ANCHOR: worker
/// A started program: Python's `Process`, for the spawn start method.
#[derive(Debug)]
pub struct Worker {
    child: Child,
}

impl Worker {
    /// Starts `command` (Python: `p.start()`).
    pub fn start(command: &mut Command) -> io::Result<Worker> {
        Ok(Worker {
            child: command.spawn()?,
        })
    }

    /// The child's process id (Python: `p.pid`).
    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    /// Has it not ended yet? (Python: `p.is_alive()`.) Never blocks.
    pub fn is_alive(&mut self) -> bool {
        // MISTAKE: signal 0 only checks that the pid exists; a zombie's does.
        kill(Pid::from_raw(self.pid()), None).is_ok()
    }

    /// Python's `p.exitcode`: `None` while running, then the code or `-N`.
    pub fn exitcode(&mut self) -> Option<i32> {
        match self.child.try_wait() {
            Ok(Some(status)) => Some(exit_of(status).exitcode()),
            _ => None,
        }
    }

    /// Sends SIGTERM (Python: `p.terminate()`). Does nothing if it has
    /// already ended: its pid may belong to someone else by now.
    pub fn terminate(&mut self) -> io::Result<()> {
        if self.child.try_wait()?.is_some() {
            return Ok(());
        }
        kill(Pid::from_raw(self.pid()), Signal::SIGTERM)?;
        Ok(())
    }

    /// Waits until it ends and says how (Python: `p.join()`, then `p.exitcode`).
    pub fn join(&mut self) -> io::Result<Exit> {
        Ok(exit_of(self.child.wait()?))
    }
}
// ANCHOR_END: worker
