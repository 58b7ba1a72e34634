//! Hand a segment that has no name to a *spawned* child: memfd_create
//! gives a file descriptor; the child inherits it and maps it.
//!
//! cargo run -p shared-memory-exercise --example memfd_to_child

use std::num::NonZeroUsize;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

use nix::sys::memfd::{MFdFlags, memfd_create};
use nix::sys::mman::{MapFlags, ProtFlags, mmap};
use nix::unistd::ftruncate;

const LEN: usize = 4096;

/// Maps `LEN` bytes of `fd` shared and returns the first word.
fn first_word(fd: BorrowedFd<'_>) -> nix::Result<&'static AtomicU64> {
    let prot = ProtFlags::PROT_READ | ProtFlags::PROT_WRITE;
    let len = NonZeroUsize::new(LEN).unwrap();
    // SAFETY: a new mapping of a file that is LEN bytes long; it stays
    // mapped until the process exits.
    let ptr = unsafe { mmap(None, len, prot, MapFlags::MAP_SHARED, fd, 0) }?;
    // SAFETY: page-aligned, inside the mapping, and atomics accept any bytes.
    Ok(unsafe { &*ptr.as_ptr().cast::<AtomicU64>() })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The child: `memfd_to_child <fd>`.
    if let Some(fd) = std::env::args().nth(1) {
        let fd: i32 = fd.parse()?;
        // SAFETY: the parent passed this fd number, open, to us.
        let fd = unsafe { BorrowedFd::borrow_raw(fd) };
        let word = first_word(fd)?;
        word.store(word.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
        return Ok(());
    }
    // ANCHOR: memfd
    // No MFD_CLOEXEC: the fd must survive exec into the child.
    let fd = memfd_create("workbook-memfd", MFdFlags::empty())?;
    ftruncate(&fd, LEN as libc::off_t)?;
    let word = first_word(fd.as_fd())?;
    word.store(41, Ordering::Relaxed);
    let status = Command::new(std::env::current_exe()?)
        .arg(fd.as_raw_fd().to_string())
        .status()?;
    println!(
        "child {status}; the parent reads {}",
        word.load(Ordering::Relaxed)
    );
    // ANCHOR_END: memfd
    assert_eq!(word.load(Ordering::Relaxed), 42);
    Ok(())
}
