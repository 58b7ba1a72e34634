//! Exercise 2: a pool's `map`, with threads, that keeps the input order.
//!
//! `Pool.map` hands chunks to whichever worker is free, so chunks finish in
//! any order; yet `map` returns `[f(x) for x in items]`, in input order.
//! Build the same thing with threads: `workers` threads take chunks (from
//! exercise 1) off a shared queue until it is empty.

use std::sync::{Mutex, mpsc};
use std::thread;

use crate::ex1_chunks::{chunk_ranges, default_chunksize};

// ANCHOR: stub
/// Returns `[f(&items[0]), f(&items[1]), ...]`, computed by `workers`
/// threads (scoped threads may borrow `items` and `f`).
///
/// Cut `0..items.len()` into chunks of `chunksize` items
/// (`None`: Python's default, [`default_chunksize`]). Put the chunks in a
/// queue that every worker takes from until it is empty; a worker sends
/// each finished chunk's results back to the caller. Chunks finish in any
/// order, and some tasks take much longer than others; the result must
/// still be in input order.
pub fn map<T, R, F>(workers: usize, items: &[T], chunksize: Option<usize>, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    todo!("workers take chunks from a shared queue; put the results back in input order")
}
// ANCHOR_END: stub
