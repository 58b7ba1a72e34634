//! How much a pipe holds before a writer blocks: write without blocking
//! until the kernel says "would block", and count.

use std::io::{ErrorKind, Write};

use nix::fcntl::{FcntlArg, OFlag, fcntl};

// ANCHOR: main
fn main() -> std::io::Result<()> {
    let (reader, mut writer) = std::io::pipe()?; // std, stable since Rust 1.87
    // Non-blocking: a write to a full pipe fails with WouldBlock instead of
    // waiting for a reader that, here, never comes.
    fcntl(&writer, FcntlArg::F_SETFL(OFlag::O_NONBLOCK))?;
    let mut total = 0;
    for chunk in [4096usize, 1] {
        let bytes = vec![0u8; chunk];
        loop {
            match writer.write(&bytes) {
                Ok(k) => total += k,
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) => return Err(e),
            }
        }
    }
    let size = fcntl(&writer, FcntlArg::F_GETPIPE_SZ)?;
    println!("the pipe took {total} bytes before a write would block");
    println!("F_GETPIPE_SZ says its buffer is {size} bytes");
    drop(reader);
    Ok(())
}
// ANCHOR_END: main
