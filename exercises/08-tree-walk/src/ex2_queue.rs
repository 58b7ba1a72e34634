//! Exercise 2: a work queue that knows when the work is done.
//!
//! Several threads walk one tree. Each takes a folder from a shared queue,
//! reads it, and puts the folders it found back on the queue. When is the
//! walk over? Not when the queue is empty: a thread that is still reading a
//! folder may be about to add ten more. It is over when the queue is empty
//! *and* no thread holds an item it has not finished.
//!
//! That is the classic bug of hand-made parallel walkers: a worker that
//! finds the queue empty for a moment quits, and the walk finishes on one
//! thread (or, worse, the last workers quit while work is still coming).

use std::sync::{Condvar, Mutex};

// ANCHOR: stub
/// A queue of work items shared by several workers. Every item a worker
/// gets from `pop` must be followed by exactly one `done` from that worker,
/// after it has pushed whatever new items the old one produced.
pub struct WorkQueue<T> {
    // Your fields: the items, how many popped items are not yet done,
    // a Mutex around both and a Condvar to wait on.
    _todo: std::marker::PhantomData<T>,
}

impl<T> WorkQueue<T> {
    /// A queue holding `items` (none of them in progress).
    pub fn new(items: Vec<T>) -> WorkQueue<T> {
        todo!("the items, and nothing in progress")
    }

    /// Adds an item and wakes a worker that waits for one.
    pub fn push(&self, item: T) {
        todo!("add it under the lock, then wake one waiter")
    }

    /// The next item, which the caller now holds until it calls `done`.
    /// While the queue is empty but some item is still held, waits: more
    /// may come. Returns `None` only when the queue is empty and no item is
    /// held: the work is over, for every worker.
    pub fn pop(&self) -> Option<T> {
        todo!("take an item; or wait while others still hold one; or None")
    }

    /// The caller has finished an item it got from `pop` (and pushed what
    /// it found). When that was the last one held and the queue is empty,
    /// every waiting worker must learn that the work is over.
    pub fn done(&self) {
        todo!("one item fewer in progress; wake the waiters if that was the end")
    }
}
// ANCHOR_END: stub
