//! Exercise 2 solution: a work queue that ends when the queue is empty and
//! no item is in progress.

use std::sync::{Condvar, Mutex};

// ANCHOR: solution
pub struct WorkQueue<T> {
    state: Mutex<State<T>>,
    changed: Condvar,
}

struct State<T> {
    items: Vec<T>,
    /// Items popped and not yet done: work that may still push more.
    in_progress: usize,
}

impl<T> WorkQueue<T> {
    pub fn new(items: Vec<T>) -> WorkQueue<T> {
        WorkQueue {
            state: Mutex::new(State {
                items,
                in_progress: 0,
            }),
            changed: Condvar::new(),
        }
    }

    pub fn push(&self, item: T) {
        self.state.lock().unwrap().items.push(item);
        self.changed.notify_one();
    }

    pub fn pop(&self) -> Option<T> {
        let mut s = self.state.lock().unwrap();
        loop {
            if let Some(item) = s.items.pop() {
                s.in_progress += 1;
                return Some(item);
            }
            if s.in_progress == 0 {
                // Empty, and nobody can add more: over for everyone.
                return None;
            }
            s = self.changed.wait(s).unwrap();
        }
    }

    pub fn done(&self) {
        let mut s = self.state.lock().unwrap();
        // The waiters will see the new count when they next look.
        s.in_progress -= 1;
    }
}
// ANCHOR_END: solution
