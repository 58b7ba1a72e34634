//! Mistake: every stage is started first (good), but all are waited for
//! before the last stage's output is read; a last stage with more output
//! than a pipe holds never ends.

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
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => return Err(stop_all(children, e)),
        };
        if i + 1 < count {
            let out = child.stdout.take().expect("stdout is piped");
            previous = Some(Stdio::from(out));
        }
        children.push(child);
    }
    let last_out = children.last_mut().and_then(|last| last.stdout.take());
    // MISTAKE: every stage is waited for before the output is read.
    let mut statuses = Vec::with_capacity(count);
    let mut rest = children.into_iter();
    while let Some(mut child) = rest.next() {
        match child.wait() {
            Ok(status) => statuses.push(status),
            Err(e) => return Err(stop_all(rest, e)),
        }
    }
    let mut stdout = Vec::new();
    if let Some(mut out) = last_out {
        out.read_to_end(&mut stdout)?;
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
