//! Exercise 6: a bounded channel by hand.
//!
//! `std::sync::mpsc::sync_channel` and crossbeam's `bounded` are fast,
//! lock-free and hard to read. This one is slow, short and easy to read:
//! one Mutex around the state and two Condvars, from `crate::given::sync`
//! (so that the model-checked tests can run it under loom).
//!
//! * `send` waits while the channel is full; it fails, giving the item
//!   back, once the receiver is gone (even if it was already waiting).
//! * `recv` waits while the channel is empty; once it is empty *and* every
//!   `Sender` (clones included) is gone, it fails: that is disconnection.
//! * `Clone` and `Drop` of `Sender`, and `Drop` of `Receiver`, keep the
//!   count and wake whoever must learn about it.

// Fields and parameters are unused until the todo!()s are filled in.
#![allow(dead_code, unused_variables, unused_imports)]

use std::collections::VecDeque;

use crate::given::sync::{Arc, Condvar, Mutex};

/// `send` failed because the receiver is gone; the item comes back.
#[derive(Debug, PartialEq, Eq)]
pub struct SendError<T>(pub T);

/// `recv` failed because the channel is empty and every sender is gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecvError;

// ANCHOR: shared
struct State<T> {
    items: VecDeque<T>,
    senders: usize,
    receiver_alive: bool,
}

struct Shared<T> {
    state: Mutex<State<T>>,
    /// Receivers wait here for an item (or for the last sender to go).
    not_empty: Condvar,
    /// Senders wait here for room (or for the receiver to go).
    not_full: Condvar,
    capacity: usize,
}
// ANCHOR_END: shared

pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
}

/// A channel that holds at most `capacity` items. Panics if `capacity`
/// is 0.
pub fn channel<T>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    todo!()
}

// ANCHOR: send
impl<T> Sender<T> {
    /// Adds `item`, waiting while the channel is full. Fails (giving the
    /// item back) if the receiver is gone, even while waiting.
    pub fn send(&self, item: T) -> Result<(), SendError<T>> {
        todo!()
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        todo!()
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        todo!()
    }
}
// ANCHOR_END: send

// ANCHOR: recv
impl<T> Receiver<T> {
    /// Takes the oldest item, waiting while the channel is empty. Fails
    /// once the channel is empty and every sender is gone.
    pub fn recv(&self) -> Result<T, RecvError> {
        todo!()
    }

    /// How many items are waiting in the channel right now.
    pub fn len(&self) -> usize {
        todo!()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        todo!()
    }
}
// ANCHOR_END: recv

/// `for item in &receiver`: every item until the channel disconnects.
impl<'a, T> IntoIterator for &'a Receiver<T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        Iter { rx: self }
    }
}

pub struct Iter<'a, T> {
    rx: &'a Receiver<T>,
}

impl<T> Iterator for Iter<'_, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.rx.recv().ok()
    }
}
