//! Exercise 1, solved: read everything, then wait.

use std::io::{self, Read};

use crate::given::{spawn_writer, wait_for};

// ANCHOR: drain
/// Starts a child that writes `bytes` bytes into a pipe, collects all of
/// them, and reaps the child. Returns the bytes and the child's exit code.
pub fn drain_then_wait(bytes: usize) -> io::Result<(Vec<u8>, i32)> {
    let (child, mut from_child) = spawn_writer(bytes)?;
    // Read to the end first: the child cannot exit before everything it
    // wrote has been read, because a pipe holds only 64 KiB.
    let mut data = Vec::new();
    from_child.read_to_end(&mut data)?;
    // Now the child has closed its end (it exited): waiting cannot block.
    let code = wait_for(child)?;
    Ok((data, code))
}
// ANCHOR_END: drain
