//! Exercise 2: one result slot per worker thread.

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

use crate::ex1_split::split;

// ANCHOR: slot
/// One worker's running total, alone on its 64-byte cache line.
#[repr(C, align(64))]
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
    pub fn new(workers: usize) -> Tallies {
        let slots = (0..workers)
            .map(|_| Slot {
                value: AtomicU64::new(0),
            })
            .collect();
        Tallies { slots }
    }

    pub fn slots(&self) -> &[Slot] {
        &self.slots
    }

    pub fn add(&self, worker: usize, x: u64) {
        // One atomic total for everybody: fetch_add loses nothing.
        self.slots[0].value.fetch_add(x, Ordering::Relaxed);
    }

    pub fn get(&self, worker: usize) -> u64 {
        self.slots[worker].value.load(Ordering::Relaxed)
    }

    pub fn total(&self) -> u64 {
        (0..self.slots.len()).fold(0, |a, i| a.wrapping_add(self.get(i)))
    }
}
// ANCHOR_END: tallies

// ANCHOR: sum
pub fn sum_with_tallies(data: &[u64], tallies: &Tallies) -> u64 {
    let ranges = split(data.len(), tallies.slots().len());
    // The scope joins every thread before it returns, and joining orders
    // the workers' stores before the loads in total().
    thread::scope(|s| {
        for (i, range) in ranges.into_iter().enumerate() {
            s.spawn(move || {
                for &x in &data[range] {
                    tallies.add(i, x);
                }
            });
        }
    });
    tallies.total()
}
// ANCHOR_END: sum
