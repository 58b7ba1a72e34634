//! Exercise 1: a counter that loses no updates.
//!
//! `Counter::increment` below is already written, and it is wrong in the
//! same way as Python's `Value('i', 0, lock=False)` with `v.value += 1`:
//! it reads, adds and writes back as three separate steps, so two threads
//! can read the same value and one increment is lost. Fix it (one atomic
//! read-modify-write), then write `LockedCounter` with a `Mutex`.

// Fields are unused until the todo!()s are filled in.
#![allow(dead_code)]

use crate::given::sync::{AtomicU64, Mutex, Ordering};

// ANCHOR: counter
/// A counter that many threads increment at once.
pub struct Counter {
    n: AtomicU64,
}

impl Counter {
    pub fn new() -> Counter {
        Counter {
            n: AtomicU64::new(0),
        }
    }

    /// Adds one. FIX ME: another thread's increment can land between the
    /// load and the store, and is then overwritten.
    pub fn increment(&self) {
        let now = self.n.load(Ordering::Relaxed);
        self.n.store(now + 1, Ordering::Relaxed);
    }

    pub fn get(&self) -> u64 {
        self.n.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: counter

impl Default for Counter {
    fn default() -> Self {
        Counter::new()
    }
}

// ANCHOR: locked
/// The same counter behind a lock, like Python's `Value('i', 0)` with its
/// lock: `with v.get_lock(): v.value += 1`.
pub struct LockedCounter {
    n: Mutex<u64>,
}

impl LockedCounter {
    pub fn new() -> LockedCounter {
        todo!("a LockedCounter holding Mutex::new(0)")
    }

    /// Adds one, holding the lock for the read and the write.
    pub fn increment(&self) {
        todo!("lock, add one, let the guard go")
    }

    pub fn get(&self) -> u64 {
        todo!("lock and read")
    }
}
// ANCHOR_END: locked

impl Default for LockedCounter {
    fn default() -> Self {
        LockedCounter::new()
    }
}
