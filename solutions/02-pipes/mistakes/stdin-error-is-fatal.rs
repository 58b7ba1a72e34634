//! Mistake: writing stdin fails with BrokenPipe when the child exits without
//! reading all of its input, and that error ends the whole call, although
//! the child ran fine.

use std::io::{self, Read, Write};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;

#[derive(Debug)]
pub struct Captured {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

// ANCHOR: solution
pub fn run_with_input(cmd: &mut Command, input: &[u8]) -> io::Result<Captured> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let mut out = child.stdout.take().expect("stdout is piped");
    let mut err = child.stderr.take().expect("stderr is piped");

    let (stdout, stderr) = thread::scope(|s| {
        // All three streams move at once, so no pipe stays full.
        let feeder = s.spawn(move || {
            // A child that exits without reading all its input closes the
            // pipe: BrokenPipe then is not our error.
            // MISTAKE: every write error is passed on, BrokenPipe too.
            stdin.write_all(input)
            // `stdin` is dropped here: the child sees end-of-file.
        });
        let errors = s.spawn(move || {
            let mut buf = Vec::new();
            err.read_to_end(&mut buf).map(|_| buf)
        });
        let mut stdout = Vec::new();
        let read = out.read_to_end(&mut stdout);
        let fed = feeder.join().expect("the stdin thread does not panic");
        let stderr = errors.join().expect("the stderr thread does not panic");
        read.and(fed).and(stderr.map(|e| (stdout, e)))
    })
    .inspect_err(|_| {
        let _ = child.kill();
        let _ = child.wait();
    })?;

    let status = child.wait()?;
    Ok(Captured {
        status,
        stdout,
        stderr,
    })
}
// ANCHOR_END: solution
