//! Exercise 3, solved: every stage is spawned before any is waited for, and
//! each pipe end is moved into the child that uses it.

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
            Err(e) => {
                for mut c in children {
                    let _ = c.kill();
                    let _ = c.wait();
                }
                return Err(e);
            }
        };
        if i + 1 < count {
            let out = child.stdout.take().expect("stdout is piped");
            previous = Some(Stdio::from(out));
        }
        children.push(child);
    }
    // Only now, with every stage running, read the last stage's output.
    let mut stdout = Vec::new();
    if let Some(last) = children.last_mut() {
        if let Some(mut out) = last.stdout.take() {
            out.read_to_end(&mut stdout)?;
        }
    }
    let mut statuses = Vec::with_capacity(count);
    for mut child in children {
        statuses.push(child.wait()?);
    }
    Ok(PipelineResult { stdout, statuses })
}
// ANCHOR_END: solution
