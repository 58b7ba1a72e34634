//! Exercise 3: a parallel sum, each worker a process.
//!
//! The tutorials' version passes the whole array to every task of a
//! `Pool`, which pickles and copies it once per task. A forked child
//! needs no copy: it sees the parent's pages as they were at fork. What
//! it cannot do is hand its answer back through memory it inherited,
//! since its writes go to its own copy. So the answers go into slots in
//! a shared mapping, one slot per worker.

use std::io;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::ex1_counter::map_shared;
use crate::given::run_in_children;

// ANCHOR: slot
/// Where one worker leaves its partial sum. Workers write their slots at
/// the same time from different cores: make sure no two slots share a
/// 64-byte cache line.
#[repr(C)]
pub struct Slot {
    pub sum: AtomicU64,
}
// ANCHOR_END: slot

// ANCHOR: chunk
/// The part of `0..len` that worker `i` of `workers` sums. Together the
/// chunks must cover every index once, for any `len` (even 0, or fewer
/// items than workers) and any `workers >= 1`.
pub fn chunk(len: usize, workers: usize, i: usize) -> Range<usize> {
    todo!("worker i's range of indices")
}
// ANCHOR_END: chunk

// ANCHOR: sum
/// Sums `data` with `workers` forked processes (`workers == 0` is an
/// `InvalidInput` error). Each child sums its [`chunk`] and stores the
/// result in its own [`Slot`] in a [`map_shared`] region; the parent
/// waits for all of them ([`run_in_children`]) and adds up the slots.
pub fn sum_in_processes(data: &[u64], workers: usize) -> io::Result<u64> {
    todo!("one child per chunk, one slot per child")
}
// ANCHOR_END: sum
