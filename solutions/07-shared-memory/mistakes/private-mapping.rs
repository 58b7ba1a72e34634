//! Exercise 1: a counter shared by several processes.

use std::io;
use std::num::NonZeroUsize;
use std::ptr::NonNull;
use std::sync::atomic::Ordering;

use nix::sys::mman::{MapFlags, ProtFlags, mmap_anonymous};

use crate::given::{Region, run_in_children};

// ANCHOR: map_shared
/// `len` bytes of zeroed memory that stay shared with every child forked
/// after this call: a write in one process is seen by all of them.
pub fn map_shared(len: usize) -> io::Result<Region> {
    let Some(size) = NonZeroUsize::new(len) else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a mapping needs at least one byte",
        ));
    };
    // SAFETY: a new anonymous mapping at an address the kernel picks
    // aliases nothing that Rust knows about.
    let ptr = unsafe {
        mmap_anonymous(
            None,
            size,
            ProtFlags::PROT_READ | ProtFlags::PROT_WRITE,
            MapFlags::MAP_PRIVATE,
        )
    }?;
    // SAFETY: ptr starts a fresh read-write mapping of len bytes, and
    // from here on only the Region unmaps it.
    Ok(unsafe { Region::from_raw_parts(NonNull::cast(ptr), len) })
}
// ANCHOR_END: map_shared

// ANCHOR: count
/// Forks `procs` children that each add 1 to one shared counter
/// `per_proc` times, waits for them, and returns the counter.
pub fn count_in_processes(procs: usize, per_proc: u64) -> io::Result<u64> {
    let region = map_shared(16)?;
    let [counter, started] = &region.atomics()[..2] else {
        unreachable!("16 bytes hold two counters")
    };
    run_in_children(procs, |_| {
        // Start together, so that the children really overlap.
        started.fetch_add(1, Ordering::Relaxed);
        while started.load(Ordering::Relaxed) < procs as u64 {
            std::thread::yield_now();
        }
        for _ in 0..per_proc {
            counter.fetch_add(1, Ordering::Relaxed);
        }
    })?;
    Ok(counter.load(Ordering::Relaxed))
}
// ANCHOR_END: count
