//! Exercise 3, solved: the channel closes itself when the last producer
//! is done.

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
    let (tx, rx) = channel();
    let threads: Vec<_> = producers
        .into_iter()
        .map(|produce| {
            let tx = tx.clone();
            thread::spawn(move || produce(tx))
        })
        .collect();
    // Our own Sender would keep the channel open forever: the loop below
    // ends only when *every* Sender is gone.
    drop(tx);
    // Take what is there; an empty queue means the producers are done.
    let mut items = Vec::new();
    while let Ok(item) = rx.try_recv() {
        items.push(item);
    }
    let panicked = threads
        .into_iter()
        .map(|t| t.join())
        .filter(Result::is_err)
        .count();
    Gathered { items, panicked }
}
// ANCHOR_END: gather
