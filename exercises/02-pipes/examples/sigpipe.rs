//! Writing to a pipe nobody reads: EPIPE in Rust, SIGPIPE in a child.
//! Python: `python/sigpipe.py`.

use std::io::{ErrorKind, Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};

fn main() -> std::io::Result<()> {
    epipe()?;
    yes_head()?;
    std_pipe()
}

// ANCHOR: epipe
fn epipe() -> std::io::Result<()> {
    let (reader, mut writer) = std::io::pipe()?;
    drop(reader); // nobody will ever read
    // Rust programs start with SIGPIPE ignored, so the write fails with
    // EPIPE instead of killing us.
    let err = writer.write_all(b"anyone?").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BrokenPipe);
    println!("write to a pipe with no reader: {err}");
    Ok(())
}
// ANCHOR_END: epipe

// ANCHOR: yes_head
fn yes_head() -> std::io::Result<()> {
    // A child gets the default action back (std resets it at spawn):
    // `yes` is killed by SIGPIPE once `head` has exited.
    let mut yes = Command::new("yes").stdout(Stdio::piped()).spawn()?;
    let head = Command::new("head")
        .args(["-n", "1"])
        .stdin(Stdio::from(yes.stdout.take().unwrap()))
        .output()?;
    let yes_status = yes.wait()?;
    println!(
        "yes | head -n 1 printed {:?}; yes ended by signal {:?}",
        String::from_utf8_lossy(&head.stdout),
        yes_status.signal()
    );
    Ok(())
}
// ANCHOR_END: yes_head

// ANCHOR: std_pipe
fn std_pipe() -> std::io::Result<()> {
    // std::io::pipe gives both ends, so one pipe can take several writers:
    // here one child's stdout and stderr, like `2>&1`.
    let (mut reader, writer) = std::io::pipe()?;
    let mut child = Command::new("sh")
        .args(["-c", "echo to stdout; echo to stderr >&2"])
        .stdout(writer.try_clone()?)
        .stderr(writer)
        .spawn()?;
    // The Command still holds the write ends; dropping it (here, the
    // temporary) closes them, or read_to_string would wait forever.
    let mut both = String::new();
    reader.read_to_string(&mut both)?;
    child.wait()?;
    print!("{both}");
    Ok(())
}
// ANCHOR_END: std_pipe
