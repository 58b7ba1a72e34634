//! MISTAKE (wait-spins): `wait` polls the flag in a loop instead of
//! sleeping on the Condvar, like Python's `while not flag: pass`. It
//! returns at the right time, but burns a CPU all the while.

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
        Event {
            flag: Mutex::new(false),
            changed: Condvar::new(),
        }
    }

    /// Sets the flag and wakes *every* waiter: they all wait for the same
    /// condition, so one wake-up is not enough.
    pub fn set(&self) {
        *self.flag.lock().unwrap() = true;
        self.changed.notify_all();
    }

    pub fn clear(&self) {
        *self.flag.lock().unwrap() = false;
    }

    pub fn is_set(&self) -> bool {
        *self.flag.lock().unwrap()
    }

    /// Blocks until the flag is set. The loop re-checks the condition after
    /// every wake-up: a wake-up is a hint, not a promise.
    pub fn wait(&self) {
        while !self.is_set() {
            crate::given::thread::yield_now();
        }
    }
}
// ANCHOR_END: event

impl Default for Event {
    fn default() -> Self {
        Event::new()
    }
}
