//! Exercise 3: shut down by disconnection, with several producers.
//!
//! Python's consumers usually stop at a sentinel ("poison pill"): with
//! several producers, the consumer must count one sentinel per producer.
//! A Rust channel needs none: when the last `Sender` is dropped, the
//! receiver gets every item still in the channel and then an error, and a
//! `for item in rx` loop ends by itself.
//!
//! Write `gather`: run each producer on a thread of its own, each with its
//! own `Sender` of one shared channel, collect every item until every
//! producer is done, join the threads, and count the ones that panicked.

// Imports and parameters are unused until the todo!() is filled in.
#![allow(unused_imports, unused_variables)]

use std::sync::mpsc::{Sender, channel};
use std::thread;

/// A producer: a job that sends its items through the `Sender` it is given
/// and returns (dropping the `Sender`) when it has no more.
pub type Producer<T> = Box<dyn FnOnce(Sender<T>) + Send>;

/// What [`gather`] collected.
#[derive(Debug)]
pub struct Gathered<T> {
    /// Every item every producer sent, in the order they arrived.
    pub items: Vec<T>,
    /// How many producers panicked (their items sent before the panic are
    /// in `items`).
    pub panicked: usize,
}

// ANCHOR: gather
/// Runs each producer on a thread of its own, all sending into one channel,
/// and collects every item until the last producer is done.
pub fn gather<T: Send + 'static>(producers: Vec<Producer<T>>) -> Gathered<T> {
    todo!()
}
// ANCHOR_END: gather
