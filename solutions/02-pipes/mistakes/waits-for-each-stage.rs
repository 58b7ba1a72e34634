//! Mistake: each stage runs to completion and its output is handed to the
//! next one, like a batch job. A stage that never ends on its own (`yes`)
//! never gets to the next stage.

use std::io::{self, Write};
use std::process::{Command, ExitStatus, Stdio};

#[derive(Debug)]
pub struct PipelineResult {
    pub stdout: Vec<u8>,
    pub statuses: Vec<ExitStatus>,
}

pub fn run_pipeline(stages: Vec<Command>) -> io::Result<PipelineResult> {
    let mut data: Option<Vec<u8>> = None;
    let mut statuses = Vec::new();
    for mut cmd in stages {
        cmd.stdin(if data.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped());
        let mut child = cmd.spawn()?;
        if let (Some(d), Some(mut stdin)) = (data.take(), child.stdin.take()) {
            let _ = stdin.write_all(&d);
        }
        let out = child.wait_with_output()?;
        statuses.push(out.status);
        data = Some(out.stdout);
    }
    Ok(PipelineResult {
        stdout: data.unwrap_or_default(),
        statuses,
    })
}
