//! Exercise 3: a parallel sum, each worker a process.

use std::io;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::ex1_counter::map_shared;
use crate::given::run_in_children;

// ANCHOR: slot
/// Where one worker leaves its partial sum. Each slot has a cache line
/// to itself, so workers writing their own slots never share one.
#[repr(C, align(64))]
pub struct Slot {
    pub sum: AtomicU64,
}
// ANCHOR_END: slot

// ANCHOR: chunk
/// The part of `0..len` that worker `i` of `workers` sums. Together the
/// chunks cover every index once, for any `len` (even 0) and `workers`.
pub fn chunk(len: usize, workers: usize, i: usize) -> Range<usize> {
    let size = len / workers;
    let start = (i * size).min(len);
    let end = (start + size).min(len);
    start..end
}
// ANCHOR_END: chunk

// ANCHOR: sum
/// Sums `data` with `workers` forked processes. The children read `data`
/// through the pages they inherited at fork (nothing is copied); each
/// writes its partial sum to its own [`Slot`] in a shared mapping.
pub fn sum_in_processes(data: &[u64], workers: usize) -> io::Result<u64> {
    if workers == 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a sum needs at least one worker",
        ));
    }
    let region = map_shared(workers * size_of::<Slot>())?;
    // SAFETY: the region is page-aligned (so aligned for Slot), holds `workers`
    // slots, is zeroed (a valid Slot), and lives as long as `slots`.
    let slots: &[Slot] =
        unsafe { std::slice::from_raw_parts(region.as_ptr().cast::<Slot>(), workers) };
    run_in_children(workers, |i| {
        let part = data[chunk(data.len(), workers, i)]
            .iter()
            .fold(0u64, |a, &x| a.wrapping_add(x));
        slots[i].sum.store(part, Ordering::Relaxed);
    })?;
    // waitpid ordered the children's stores before these loads.
    Ok(slots
        .iter()
        .fold(0u64, |a, s| a.wrapping_add(s.sum.load(Ordering::Relaxed))))
}
// ANCHOR_END: sum
