//! Exercise 2: backpressure with a bounded channel.
//!
//! A producer that is faster than its consumer fills an unbounded queue
//! until memory runs out. A bounded channel makes the producer wait while
//! the channel is full: the consumer's pace travels back to the producer.
//!
//! Write `spawn_producer`: start a thread that pulls items from `source`
//! and sends them into a channel that holds at most `capacity` items
//! (capacity 0: each send waits for a receive, a rendezvous). Return the
//! receiving end and the thread's handle. The producer stops when the
//! source runs out, or quietly when the receiver has been dropped.
//!
//! The tests do not time anything: they count how far ahead of the
//! consumer the producer ever gets (a high-water mark).

// Imports and parameters are unused until the todo!() is filled in.
#![allow(unused_imports, unused_variables)]

use std::sync::mpsc::{Receiver, sync_channel};
use std::thread::{self, JoinHandle};

/// What [`spawn_producer`] returns: the receiving end, and the producer
/// thread's handle.
pub type Started<T> = (Receiver<T>, JoinHandle<()>);

// ANCHOR: producer
/// Starts a producer thread that pulls items from `source` and sends them
/// into a channel that holds at most `capacity` items (0: every send waits
/// for a receiver, a rendezvous). The producer stops when `source` ends or
/// when the receiver is dropped.
pub fn spawn_producer<T, I>(source: I, capacity: usize) -> Started<T>
where
    T: Send + 'static,
    I: Iterator<Item = T> + Send + 'static,
{
    todo!()
}
// ANCHOR_END: producer
