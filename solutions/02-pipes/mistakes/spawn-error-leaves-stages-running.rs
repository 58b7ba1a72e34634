//! Mistake: a stage that cannot start returns the error at once with `?`;
//! the stages already started are dropped, neither stopped nor waited for.

use std::io::{self, Read};
use std::process::{Child, Command, ExitStatus, Stdio};

#[derive(Debug)]
pub struct PipelineResult {
    pub stdout: Vec<u8>,
    pub statuses: Vec<ExitStatus>,
}

// ANCHOR: solution
pub fn run_pipeline(stages: Vec<Command>) -> io::Result<PipelineResult> {
    let count = stages.len();
    let mut children: Vec<Child> = Vec::with_capacity(count);
    let mut previous: Option<Stdio> = Some(Stdio::null());
    for (i, mut cmd) in stages.into_iter().enumerate() {
        // The read end of the previous pipe is *moved* into this child's
        // stdin: after spawn, the parent's copy is closed.
        cmd.stdin(previous.take().unwrap_or_else(Stdio::null));
        cmd.stdout(Stdio::piped());
        // MISTAKE: `?` leaves the stages started so far running.
        let mut child = cmd.spawn()?;
        if i + 1 < count {
            let out = child.stdout.take().expect("stdout is piped");
            previous = Some(Stdio::from(out));
        }
        children.push(child);
    }
    // Only now, with every stage running, read the last stage's output.
    let mut stdout = Vec::new();
    if let Some(mut out) = children.last_mut().and_then(|last| last.stdout.take()) {
        if let Err(e) = out.read_to_end(&mut stdout) {
            return Err(stop_all(children, e));
        }
    }
    let mut statuses = Vec::with_capacity(count);
    let mut rest = children.into_iter();
    while let Some(mut child) = rest.next() {
        match child.wait() {
            Ok(status) => statuses.push(status),
            Err(e) => return Err(stop_all(rest, e)),
        }
    }
    Ok(PipelineResult { stdout, statuses })
}

/// On an error, leaves no process behind: kills every child (a signal to
/// one that has already exited does nothing) and waits for each. Returns
/// the error, for the caller to pass on.
fn stop_all(children: impl IntoIterator<Item = Child>, err: io::Error) -> io::Error {
    for mut c in children {
        let _ = c.kill();
        let _ = c.wait();
    }
    err
}
// ANCHOR_END: solution
