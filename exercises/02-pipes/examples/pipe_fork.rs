//! A pipe between a parent and a forked child: the child writes, the parent
//! reads until end-of-file. Python: `python/pipe_fork.py`.

use std::fs::File;
use std::io::Read;

use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, fork, getpid, pipe, write};

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (read_end, write_end) = pipe()?; // two OwnedFds: [0] reads, [1] writes
    // SAFETY: this program has a single thread when it forks, and the child
    // only writes to a raw fd and calls `_exit`.
    match unsafe { fork() }? {
        ForkResult::Child => {
            drop(read_end); // the child only writes
            let msg = b"hello through the pipe\n";
            let _ = write(&write_end, msg);
            // SAFETY: ends the child at once; it never returns into main.
            unsafe { libc::_exit(0) }
        }
        ForkResult::Parent { child } => {
            drop(write_end); // the parent only reads: close ITS write end,
            // or read_to_string below never sees end-of-file
            let mut text = String::new();
            File::from(read_end).read_to_string(&mut text)?;
            waitpid(child, None)?;
            print!("parent {} got from child {child}: {text}", getpid());
        }
    }
    Ok(())
}
// ANCHOR_END: main
