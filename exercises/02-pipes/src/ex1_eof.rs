//! Exercise 1: end-of-file comes only when every write end is closed.
//!
//! `bytes_from_child(n)` forks a child that writes `n` bytes into a pipe
//! and exits; the parent counts the bytes until end-of-file, waits for the
//! child, and returns the child's pid and the count.
//!
//! This code is *almost* right, and it hangs. Find out why and fix it. (The
//! test ends after a few seconds and tells you where it was waiting.)

use std::fs::File;
use std::io::{self, Read};

use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, fork, pipe, write};

// ANCHOR: stub
/// Forks a child that writes `n` bytes (`b'x'`) into a pipe, then reads the
/// pipe to end-of-file. Returns `(child pid, bytes read)`; the child has
/// been waited for.
pub fn bytes_from_child(n: usize) -> io::Result<(i32, usize)> {
    let (read_end, write_end) = pipe()?;
    // SAFETY: the child only writes to a raw fd and calls `_exit`: no
    // allocation, no locks, nothing the other threads of this process may
    // have held at the moment of the fork.
    match unsafe { fork() }? {
        ForkResult::Child => {
            drop(read_end);
            let chunk = [b'x'; 4096];
            let mut left = n;
            while left > 0 {
                match write(&write_end, &chunk[..left.min(chunk.len())]) {
                    Ok(k) => left -= k,
                    Err(_) => break,
                }
            }
            // SAFETY: `_exit` ends the child at once, without running the
            // parent's exit handlers or returning into its code.
            unsafe { libc::_exit(0) }
        }
        ForkResult::Parent { child } => {
            let mut pipe = File::from(read_end);
            let mut buf = [0u8; 8192];
            let mut total = 0;
            loop {
                let k = pipe.read(&mut buf)?;
                if k == 0 {
                    break; // end-of-file
                }
                total += k;
            }
            waitpid(child, None)?;
            Ok((child.as_raw(), total))
        }
    }
}
// ANCHOR_END: stub
