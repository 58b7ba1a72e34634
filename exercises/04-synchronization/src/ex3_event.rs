//! Exercise 3: Python's `threading.Event`, built from a Mutex and a Condvar.
//!
//! Use `crate::given::sync::{Mutex, Condvar}` (not std's directly), so the
//! model-checked tests can explore every interleaving. Write the wait loop
//! yourself (loom's Condvar has no `wait_while`).

// Fields are unused until the todo!()s are filled in.
#![allow(dead_code)]

use crate::given::sync::{Condvar, Mutex};

// ANCHOR: event
/// A flag that threads can wait for.
pub struct Event {
    flag: Mutex<bool>,
    changed: Condvar,
}

impl Event {
    /// A new event, not set.
    pub fn new() -> Event {
        todo!("a false flag and a fresh Condvar")
    }

    /// Sets the flag and wakes the threads waiting for it.
    pub fn set(&self) {
        todo!()
    }

    /// Resets the flag to false.
    pub fn clear(&self) {
        todo!()
    }

    pub fn is_set(&self) -> bool {
        todo!()
    }

    /// Blocks until the flag is set (returns at once if it already is).
    pub fn wait(&self) {
        todo!()
    }
}
// ANCHOR_END: event

impl Default for Event {
    fn default() -> Self {
        Event::new()
    }
}
