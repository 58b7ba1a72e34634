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
        // Nothing left to take: this worker's part is over.
        let item = s.items.pop()?;
        s.in_progress += 1;
        Some(item)
    }

    pub fn done(&self) {
        let mut s = self.state.lock().unwrap();
        s.in_progress -= 1;
        if s.in_progress == 0 {
            // Nothing held, so nothing more can come: every waiter must
            // learn that the work is over, not just one of them.
            self.changed.notify_all();
        }
    }
}
// ANCHOR_END: solution
