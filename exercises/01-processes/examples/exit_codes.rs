//! Exit codes, signals, terminate() and is_alive().
//! Run: cargo run -p processes-exercise --example exit_codes

use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus, Stdio};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

// ANCHOR: exitcode
/// Python's `Process.exitcode` from a wait status: the code, or -N.
fn exitcode(status: ExitStatus) -> i32 {
    match status.code() {
        Some(code) => code,
        None => -status.signal().expect("no code, so a signal"),
    }
}
// ANCHOR_END: exitcode

fn main() {
    // ANCHOR: codes
    let exits = Command::new("sh").args(["-c", "exit 3"]).status().unwrap();
    println!("sh -c 'exit 3'      -> exitcode {}", exitcode(exits));
    assert_eq!(exitcode(exits), 3);

    // `cat` waits for input that never comes: it runs until stopped.
    let mut cat = Command::new("cat").stdin(Stdio::piped()).spawn().unwrap();
    let alive = cat.try_wait().unwrap().is_none(); // Python: p.is_alive()
    println!("cat running         -> is_alive {alive}, exitcode None");
    assert!(alive);

    // Python: p.terminate() sends SIGTERM; no `finally`, no clean-up
    // handler, no lock release runs in the child (unless it handles SIGTERM).
    kill(Pid::from_raw(cat.id() as i32), Signal::SIGTERM).unwrap();
    let status = cat.wait().unwrap(); // Python: p.join()
    println!("cat after SIGTERM   -> exitcode {}", exitcode(status));
    assert_eq!(exitcode(status), -15);
    let alive = cat.try_wait().unwrap().is_none();
    println!("cat after join      -> is_alive {alive}");
    assert!(!alive);

    // Child::kill sends SIGKILL (9), which cannot be caught at all.
    let mut cat = Command::new("cat").stdin(Stdio::piped()).spawn().unwrap();
    cat.kill().unwrap();
    let status = cat.wait().unwrap();
    println!("cat after kill()    -> exitcode {}", exitcode(status));
    assert_eq!(exitcode(status), -9);
    // ANCHOR_END: codes
}
