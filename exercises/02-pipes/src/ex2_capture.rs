//! Exercise 2: feed a child and read everything it says, without the
//! full-pipe deadlock.
//!
//! `run_with_input(cmd, input)` starts `cmd` with all three standard
//! streams piped, writes `input` to its stdin, and collects its stdout and
//! stderr and its exit status.
//!
//! The code below works for small amounts of data, and hangs for large
//! ones. A pipe holds 64 KiB on Linux (the chapter measures it): once it is
//! full, the writer blocks until someone reads. Fix it so that any amount
//! of data goes through.

use std::io::{self, Read, Write};
use std::process::{Command, ExitStatus, Stdio};

/// What a child wrote, and how it ended.
#[derive(Debug)]
pub struct Captured {
    pub status: ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

// ANCHOR: stub
/// Runs `cmd` with `input` on its stdin; returns its stdout, stderr and
/// exit status. The child has been waited for. A child that exits without
/// reading all of its input is not an error (its status says how it went),
/// as with Python's `communicate()`.
pub fn run_with_input(cmd: &mut Command, input: &[u8]) -> io::Result<Captured> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take().expect("stdin is piped");
    stdin.write_all(input)?;
    drop(stdin); // the child sees end-of-file on its stdin

    let mut stdout = Vec::new();
    child
        .stdout
        .take()
        .expect("stdout is piped")
        .read_to_end(&mut stdout)?;
    let mut stderr = Vec::new();
    child
        .stderr
        .take()
        .expect("stderr is piped")
        .read_to_end(&mut stderr)?;

    let status = child.wait()?;
    Ok(Captured {
        status,
        stdout,
        stderr,
    })
}
// ANCHOR_END: stub
