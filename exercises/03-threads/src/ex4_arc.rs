//! Exercise 4: threads that share read-only data through an `Arc`.
//!
//! A thread started with `thread::spawn` may outlive the function that
//! started it, so it cannot borrow that function's data. An `Arc<T>`
//! ("atomically reference-counted") lets every thread own a handle to the
//! *same* value: `Arc::clone` copies a pointer and bumps a counter, it does
//! not copy the data. The value is freed when the last handle is dropped.

use std::sync::Arc;

// ANCHOR: stub
/// How many workers to use when the caller does not say: what
/// `std::thread::available_parallelism()` reports, or 1 if it cannot tell
/// (the counterpart of Python's `os.cpu_count()`).
pub fn default_workers() -> usize {
    todo!("std::thread::available_parallelism()")
}

/// Applies `f` to every item of `items`, on `workers` threads started with
/// `std::thread::spawn` (`workers` is at least 1), and returns the results
/// in item order. Worker `w` handles the items at indexes `w`,
/// `w + workers`, `w + 2 * workers`, ... .
///
/// Every worker reads the *same* `Vec` through its own clone of the `Arc`:
/// never copy the data. Share `f` the same way (put it in an `Arc` too).
/// Join every thread before returning, so that no clone of `items` is left.
pub fn parallel_map<T, R, F>(items: Arc<Vec<T>>, workers: usize, f: F) -> Vec<R>
where
    T: Send + Sync + 'static,
    R: Send + 'static,
    F: Fn(&T) -> R + Send + Sync + 'static,
{
    todo!("clone the Arcs into each worker, return (index, result) pairs, put them in order")
}
// ANCHOR_END: stub
