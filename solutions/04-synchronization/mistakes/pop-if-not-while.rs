//! MISTAKE (pop-if-not-while): `pop` waits once (`if`, not a loop) and
//! then unwraps. A woken consumer may find the item already taken by
//! another consumer, and its `unwrap` on `None` panics.

use std::collections::VecDeque;

use crate::given::sync::{Condvar, Mutex};

// ANCHOR: buffer
/// A first-in first-out buffer of at most `capacity` items: `push` waits
/// while it is full, `pop` waits while it is empty.
pub struct BoundedBuffer<T> {
    items: Mutex<VecDeque<T>>,
    not_empty: Condvar,
    not_full: Condvar,
    capacity: usize,
}

impl<T> BoundedBuffer<T> {
    /// Panics if `capacity` is 0 (nothing could ever be pushed).
    pub fn new(capacity: usize) -> BoundedBuffer<T> {
        assert!(capacity > 0, "a bounded buffer needs room for one item");
        BoundedBuffer {
            items: Mutex::new(VecDeque::with_capacity(capacity)),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
            capacity,
        }
    }

    /// Adds `item` at the back, waiting while the buffer is full.
    pub fn push(&self, item: T) {
        let mut items = self.items.lock().unwrap();
        while items.len() == self.capacity {
            items = self.not_full.wait(items).unwrap();
        }
        items.push_back(item);
        drop(items);
        // Producers and consumers wait on different condvars, so a
        // notify_one here always wakes a consumer, never another producer.
        self.not_empty.notify_one();
    }

    /// Takes the item at the front, waiting while the buffer is empty.
    pub fn pop(&self) -> T {
        let mut items = self.items.lock().unwrap();
        if items.is_empty() {
            items = self.not_empty.wait(items).unwrap();
        }
        let item = items.pop_front().unwrap();
        drop(items);
        self.not_full.notify_one();
        item
    }

    /// How many items are in the buffer right now.
    pub fn len(&self) -> usize {
        self.items.lock().unwrap().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }
}
// ANCHOR_END: buffer
