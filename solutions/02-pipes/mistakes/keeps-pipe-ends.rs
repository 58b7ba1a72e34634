//! Mistake: the pipes are made by hand with `std::io::pipe` and each end is
//! given to a child as a clone, but the parent's own copies are kept until
//! the end. The last reader never sees end-of-file while the parent still
//! holds a write end.

use std::io::{self, Read};
use std::process::{Child, Command, ExitStatus, Stdio};

#[derive(Debug)]
pub struct PipelineResult {
    pub stdout: Vec<u8>,
    pub statuses: Vec<ExitStatus>,
}

pub fn run_pipeline(stages: Vec<Command>) -> io::Result<PipelineResult> {
    let count = stages.len();
    let mut kept = Vec::new(); // every pipe, both ends, kept "for later"
    let mut children: Vec<Child> = Vec::new();
    let mut stdin = Stdio::null();
    let (mut last_r, last_w) = io::pipe()?;
    for (i, mut cmd) in stages.into_iter().enumerate() {
        cmd.stdin(stdin);
        if i + 1 < count {
            let (r, w) = io::pipe()?;
            cmd.stdout(w.try_clone()?);
            stdin = Stdio::from(r.try_clone()?);
            kept.push((r, w));
        } else {
            cmd.stdout(last_w.try_clone()?);
            stdin = Stdio::null();
        }
        children.push(cmd.spawn()?);
    }
    let mut stdout = Vec::new();
    last_r.read_to_end(&mut stdout)?; // waits for *every* write end, ours too
    drop(last_w);
    drop(kept);
    let statuses = children
        .iter_mut()
        .map(|c| c.wait())
        .collect::<io::Result<_>>()?;
    Ok(PipelineResult { stdout, statuses })
}
