//! Exercise 1: a counter shared by several processes.
//!
//! In Python, `Value('q', 0)` puts one number in shared memory before the
//! workers start, and every worker sees the same number. Here you make
//! that shared memory yourself, with `mmap`, before `fork`, and keep an
//! atomic counter in it.

use std::io;
use std::num::NonZeroUsize;
use std::ptr::NonNull;
use std::sync::atomic::Ordering;

use nix::sys::mman::{MapFlags, ProtFlags, mmap_anonymous};

use crate::given::{Region, run_in_children};

// ANCHOR: map_shared
/// `len` bytes of zeroed memory that stay shared with every child forked
/// after this call: a write in one process is seen by all of them.
///
/// `len == 0` is an `InvalidInput` error. Use `nix::sys::mman::mmap_anonymous`
/// and wrap the pointer in a [`Region`] (`Region::from_raw_parts`), which
/// unmaps it when dropped.
pub fn map_shared(len: usize) -> io::Result<Region> {
    todo!("mmap an anonymous mapping that forked children share")
}
// ANCHOR_END: map_shared

// ANCHOR: count
/// Forks `procs` children that each add 1 to one shared counter
/// `per_proc` times, waits for them, and returns the counter.
///
/// Put the counter in a [`map_shared`] region (`region.atomics()` gives
/// you `AtomicU64`s) and start the children with [`run_in_children`].
/// Tip: make the children wait for each other before counting (a second
/// counter of how many have started), so that they really overlap.
pub fn count_in_processes(procs: usize, per_proc: u64) -> io::Result<u64> {
    todo!("fork procs children that increment a counter in shared memory")
}
// ANCHOR_END: count
