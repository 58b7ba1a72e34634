//! Exercise 1: a counter that loses no updates.

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

    /// Adds one. `fetch_add` reads, adds and writes back as one indivisible
    /// step: no other thread's increment can land in between. `Relaxed` is
    /// enough, because nothing else is published through this counter.
    pub fn increment(&self) {
        self.n.fetch_add(1, Ordering::Relaxed);
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
        LockedCounter { n: Mutex::new(0) }
    }

    /// The guard keeps the lock until the end of the statement, so the read
    /// and the write happen with no other thread in between.
    pub fn increment(&self) {
        *self.n.lock().unwrap() += 1;
    }

    pub fn get(&self) -> u64 {
        *self.n.lock().unwrap()
    }
}
// ANCHOR_END: locked

impl Default for LockedCounter {
    fn default() -> Self {
        LockedCounter::new()
    }
}
