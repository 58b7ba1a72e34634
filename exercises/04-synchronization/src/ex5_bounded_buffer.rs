//! Exercise 5: a bounded blocking buffer (the heart of `Queue(maxsize)`).
//!
//! Build it from `crate::given::sync::{Mutex, Condvar}`: one Mutex around a
//! `VecDeque`, and a Condvar for each thing a thread can wait for.

// Fields and parameters are unused until the todo!()s are filled in.
#![allow(dead_code, unused_variables)]

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
        todo!()
    }

    /// Adds `item` at the back, waiting while the buffer is full.
    pub fn push(&self, item: T) {
        todo!()
    }

    /// Takes the item at the front, waiting while the buffer is empty.
    pub fn pop(&self) -> T {
        todo!()
    }

    /// How many items are in the buffer right now.
    pub fn len(&self) -> usize {
        todo!()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn capacity(&self) -> usize {
        todo!()
    }
}
// ANCHOR_END: buffer
