//! Exercise 1, solved: read everything, then wait.

use std::io::{self, Read};

use crate::given::{spawn_writer, wait_for};

// ANCHOR: drain
/// Starts a child that writes `bytes` bytes into a pipe, collects all of
/// them, and reaps the child. Returns the bytes and the child's exit code.
pub fn drain_then_wait(bytes: usize) -> io::Result<(Vec<u8>, i32)> {
    let (child, mut from_child) = spawn_writer(bytes)?;
    // Wait for the producer to finish, then collect what it wrote.
    let code = wait_for(child)?;
    let mut data = Vec::new();
    from_child.read_to_end(&mut data)?;
    Ok((data, code))
}
// ANCHOR_END: drain
