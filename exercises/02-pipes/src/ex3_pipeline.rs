//! Exercise 3: a shell pipeline `a | b | c`, built by hand.
//!
//! `run_pipeline(stages)` runs the commands the way a shell runs
//! `a | b | c`: the first stage reads nothing (`Stdio::null()`), each
//! stage's stdout is connected to the next stage's stdin by a pipe, and the
//! last stage's stdout is collected. Every stage is waited for, and every
//! exit status is returned, in order (a shell shows you only the last one
//! unless you ask for `PIPESTATUS`).
//!
//! Two rules make it work: start *every* stage before waiting for any (the
//! stages run at the same time; a pipe holds only 64 KiB), and keep no copy
//! of a pipe end once a child has it (end-of-file and SIGPIPE both depend
//! on every copy being closed).

use std::io;
use std::process::{Command, ExitStatus};

/// What the last stage wrote, and how every stage ended.
#[derive(Debug)]
pub struct PipelineResult {
    pub stdout: Vec<u8>,
    pub statuses: Vec<ExitStatus>,
}

// ANCHOR: stub
/// Runs `stages` as a pipeline; returns the last stage's stdout and every
/// stage's exit status, in order. If a stage cannot be started (its
/// program does not exist, say), the error is returned, and the stages
/// already started are stopped and waited for: nothing is left behind.
pub fn run_pipeline(stages: Vec<Command>) -> io::Result<PipelineResult> {
    todo!("spawn every stage, connecting stdout to the next stdin; then collect and wait")
}
// ANCHOR_END: stub
