//! Exercise 3: `imap_unordered`, each result the moment it is ready.
//!
//! `Pool.imap_unordered(f, items)` yields results in the order they
//! *finish*. Its point is that a slow task does not hold back the results
//! of fast ones: the caller can use result 7 while task 0 is still running.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, mpsc};
use std::thread;

// ANCHOR: stub
/// Runs `f` on every item with `workers` threads and returns an iterator of
/// `(index, f(items[index]))` pairs in the order the tasks finish. The
/// iterator must hand out each result as soon as its task has finished,
/// whatever is still running; it ends when every result has been handed out.
///
/// The threads outlive this call (the caller reads the results later), so
/// they need `'static` data: move the items into a shared queue, and share
/// `f` between the threads with an `Arc`.
pub fn imap_unordered<T, R, F>(workers: usize, items: Vec<T>, f: F) -> mpsc::IntoIter<(usize, R)>
where
    T: Send + 'static,
    R: Send + 'static,
    F: Fn(T) -> R + Send + Sync + 'static,
{
    todo!("workers send (index, result) down a channel as each task finishes")
}
// ANCHOR_END: stub
