//! MISTAKE (bounded-release-forgets-notify): `BoundedSemaphore::release`
//! adds the permit but wakes nobody, so a thread already blocked in
//! `acquire` sleeps on beside a free permit.

use crate::given::sync::{Condvar, Mutex};

// ANCHOR: semaphore
/// A counter of permits: `acquire` takes one (waiting while there is none),
/// `release` gives one back.
pub struct Semaphore {
    permits: Mutex<usize>,
    released: Condvar,
}

impl Semaphore {
    pub fn new(permits: usize) -> Semaphore {
        Semaphore {
            permits: Mutex::new(permits),
            released: Condvar::new(),
        }
    }

    /// Takes a permit, waiting until one is free. `while`, not `if`: between
    /// the wake-up and getting the lock back another thread may have taken
    /// the permit (and wake-ups may also be spurious).
    pub fn acquire(&self) {
        let mut permits = self.permits.lock().unwrap();
        while *permits == 0 {
            permits = self.released.wait(permits).unwrap();
        }
        *permits -= 1;
    }

    /// Takes a permit if one is free, without waiting. Check and take under
    /// one guard: nobody can take the permit between the two.
    pub fn try_acquire(&self) -> bool {
        let mut permits = self.permits.lock().unwrap();
        if *permits > 0 {
            *permits -= 1;
            true
        } else {
            false
        }
    }

    /// Gives a permit back. One permit can satisfy one waiter, so
    /// `notify_one` is enough here.
    pub fn release(&self) {
        *self.permits.lock().unwrap() += 1;
        self.released.notify_one();
    }

    /// How many permits are free right now (already stale when you look).
    pub fn available(&self) -> usize {
        *self.permits.lock().unwrap()
    }
}
// ANCHOR_END: semaphore

// ANCHOR: bounded
/// `release` beyond the starting number of permits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReleasedTooOften;

/// A semaphore that refuses to be released more often than acquired,
/// like Python's `BoundedSemaphore` (which raises `ValueError`).
pub struct BoundedSemaphore {
    permits: Mutex<usize>,
    released: Condvar,
    limit: usize,
}

impl BoundedSemaphore {
    pub fn new(permits: usize) -> BoundedSemaphore {
        BoundedSemaphore {
            permits: Mutex::new(permits),
            released: Condvar::new(),
            limit: permits,
        }
    }

    pub fn acquire(&self) {
        let mut permits = self.permits.lock().unwrap();
        while *permits == 0 {
            permits = self.released.wait(permits).unwrap();
        }
        *permits -= 1;
    }

    /// The check against the limit and the increment happen under one
    /// guard; checking `available()` first and releasing after would be a
    /// check-then-act race.
    pub fn release(&self) -> Result<(), ReleasedTooOften> {
        let mut permits = self.permits.lock().unwrap();
        if *permits == self.limit {
            return Err(ReleasedTooOften);
        }
        *permits += 1;
        Ok(())
    }

    pub fn available(&self) -> usize {
        *self.permits.lock().unwrap()
    }
}
// ANCHOR_END: bounded
