//! Reading a child's stdout and stderr at the same time, so that neither
//! pipe stays full. (Exercise 2 adds the third stream: feeding stdin.)
//! Python: `python/capture.py` (`subprocess.run(capture_output=True)`).

use std::io::Read;
use std::process::{Command, Stdio};
use std::thread;

// ANCHOR: main
fn main() -> std::io::Result<()> {
    // A child that writes 200 kB to stderr (more than a pipe holds)
    // before it writes its one line to stdout.
    let script = "head -c 200000 /dev/zero >&2; echo done";
    let mut child = Command::new("sh")
        .args(["-c", script])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();

    // One thread drains stderr while this one drains stdout.
    let (out, err) = thread::scope(|s| {
        let err = s.spawn(move || {
            let mut v = Vec::new();
            stderr.read_to_end(&mut v).map(|_| v)
        });
        let mut out = Vec::new();
        stdout.read_to_end(&mut out)?;
        let err = err.join().expect("the stderr thread does not panic");
        Ok::<_, std::io::Error>((out, err?))
    })?;
    let status = child.wait()?;
    println!(
        "stdout {:?}; stderr: {} bytes; {status}",
        String::from_utf8_lossy(&out),
        err.len()
    );

    // With no input to feed, std does the same for you:
    let output = Command::new("sh").args(["-c", script]).output()?;
    println!(
        "output(): stdout {:?}, stderr {} bytes",
        String::from_utf8_lossy(&output.stdout),
        output.stderr.len()
    );
    Ok(())
}
// ANCHOR_END: main
