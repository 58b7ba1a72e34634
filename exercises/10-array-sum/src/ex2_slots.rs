//! Exercise 2: one result slot per worker thread.
//!
//! Each worker keeps a running total where anyone can read it (a
//! progress display, say): it adds every item it sums into its own slot.
//! Only worker `i` writes slot `i`, so nothing is lost. But a core writes
//! memory in 64-byte cache lines: if two slots share a line, the two
//! cores take the line from each other on every write ("false sharing").

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

use crate::ex1_split::split;

// ANCHOR: slot
/// One worker's running total. Make sure no two slots share a 64-byte
/// cache line.
#[repr(C)]
pub struct Slot {
    pub value: AtomicU64,
}
// ANCHOR_END: slot

// ANCHOR: tallies
/// One [`Slot`] per worker.
pub struct Tallies {
    slots: Box<[Slot]>,
}

impl Tallies {
    /// `workers` slots, all 0.
    pub fn new(workers: usize) -> Tallies {
        todo!("one zeroed slot per worker")
    }

    /// The slots, in worker order.
    pub fn slots(&self) -> &[Slot] {
        &self.slots
    }

    /// Adds `x` to worker `worker`'s own slot (wrapping on overflow).
    /// Only that worker calls this for its slot.
    pub fn add(&self, worker: usize, x: u64) {
        todo!("add to this worker's slot")
    }

    /// What worker `worker` has added so far.
    pub fn get(&self, worker: usize) -> u64 {
        todo!("read one slot")
    }

    /// The sum of every slot (wrapping).
    pub fn total(&self) -> u64 {
        todo!("add up the slots")
    }
}
// ANCHOR_END: tallies

// ANCHOR: sum
/// Sums `data` with one scoped thread per slot of `tallies`: worker `i`
/// sums `split(data.len(), tallies.slots().len())[i]`, adding every item
/// into its slot with [`Tallies::add`] as it goes. Returns the total
/// (wrapping). With no slots, the sum of nothing is 0.
pub fn sum_with_tallies(data: &[u64], tallies: &Tallies) -> u64 {
    todo!("one thread per slot")
}
// ANCHOR_END: sum
