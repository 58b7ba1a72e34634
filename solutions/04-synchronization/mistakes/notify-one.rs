//! MISTAKE (notify-one): `set` wakes one waiter; the others, waiting for
//! the very same flag, sleep on forever.

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
        self.changed.notify_one();
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
        let mut set = self.flag.lock().unwrap();
        while !*set {
            set = self.changed.wait(set).unwrap();
        }
    }
}
// ANCHOR_END: event

impl Default for Event {
    fn default() -> Self {
        Event::new()
    }
}
