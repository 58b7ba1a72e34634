//! Exercise 4: Python's `Semaphore` and `BoundedSemaphore`.
//!
//! Build both from `crate::given::sync::{Mutex, Condvar}`.

// Fields and parameters are unused until the todo!()s are filled in.
#![allow(dead_code, unused_variables)]

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
        todo!()
    }

    /// Takes a permit, waiting until one is free.
    pub fn acquire(&self) {
        todo!()
    }

    /// Takes a permit if one is free, without waiting; says whether it did.
    pub fn try_acquire(&self) -> bool {
        todo!()
    }

    /// Gives a permit back, waking a waiter if there is one.
    pub fn release(&self) {
        todo!()
    }

    /// How many permits are free right now.
    pub fn available(&self) -> usize {
        todo!()
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
        todo!()
    }

    pub fn acquire(&self) {
        todo!()
    }

    /// Gives a permit back, or `Err(ReleasedTooOften)` if that would make
    /// more permits than the semaphore started with.
    pub fn release(&self) -> Result<(), ReleasedTooOften> {
        todo!()
    }

    pub fn available(&self) -> usize {
        todo!()
    }
}
// ANCHOR_END: bounded
