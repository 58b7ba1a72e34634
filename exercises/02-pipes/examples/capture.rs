//! Feeding a child's stdin and reading its stdout and stderr, all at once.
//! Python: `python/capture.py` (`subprocess.run(input=..., capture_output=True)`).

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::thread;

// ANCHOR: main
fn main() -> std::io::Result<()> {
    // A child that copies stdin to stdout, and writes 200 kB to stderr first:
    // more than one pipe holds.
    let script = "head -c 200000 /dev/zero >&2; tr a-z A-Z";
    let mut child = Command::new("sh")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let input = "hello, pipes\n".repeat(10_000); // 130 kB

    let (out, err) = thread::scope(|s| {
        s.spawn(move || stdin.write_all(input.as_bytes())); // dropped: EOF
        let err = s.spawn(move || {
            let mut v = Vec::new();
            stderr.read_to_end(&mut v).map(|_| v)
        });
        let mut out = Vec::new();
        stdout.read_to_end(&mut out)?;
        Ok::<_, std::io::Error>((out, err.join().unwrap()?))
    })?;
    let status = child.wait()?;
    println!(
        "stdout: {} bytes, starting {:?}; stderr: {} bytes; {status}",
        out.len(),
        String::from_utf8_lossy(&out[..12]),
        err.len()
    );

    // With no input to feed, std does the concurrent reading for you:
    let output = Command::new("sh")
        .args(["-c", "head -c 200000 /dev/zero >&2; echo done"])
        .output()?; // reads stdout and stderr together
    println!(
        "output(): stdout {:?}, stderr {} bytes",
        String::from_utf8_lossy(&output.stdout),
        output.stderr.len()
    );
    Ok(())
}
// ANCHOR_END: main
