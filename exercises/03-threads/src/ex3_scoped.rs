//! Exercise 3: scoped threads that borrow a slice.
//!
//! `std::thread::spawn` needs a `'static` closure, so it cannot borrow a
//! local `Vec`. `std::thread::scope(|s| { s.spawn(...); ... })` can: every
//! thread spawned on `s` is joined before `scope` returns, so the borrow
//! cannot outlive the data.

use std::ops::Range;

// ANCHOR: stub
/// Splits `0..len` into exactly `parts` contiguous ranges, in order, that
/// together cover `0..len` and whose lengths differ by at most one: the
/// first `len % parts` ranges get one element more. (With `len < parts`,
/// the last ranges are empty.) `parts` is at least 1.
///
/// Example: `chunk_ranges(10, 4)` is `[0..3, 3..6, 6..8, 8..10]`.
pub fn chunk_ranges(len: usize, parts: usize) -> Vec<Range<usize>> {
    todo!("compute the start and end of each of the parts")
}

/// Calls `f` on each chunk of `data` given by [`chunk_ranges`]`(data.len(), parts)`,
/// every call on a thread of its own, all running at the same time, inside
/// `std::thread::scope`. Returns the results in chunk order.
pub fn map_chunks<T, R, F>(data: &[T], parts: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&[T]) -> R + Sync,
{
    todo!("thread::scope, one s.spawn per chunk, then join the handles in order")
}

/// The sum of `data`, computed by `parts` threads with [`map_chunks`].
pub fn parallel_sum(data: &[u64], parts: usize) -> u64 {
    todo!("map_chunks with a closure that sums its chunk, then sum the partial sums")
}
// ANCHOR_END: stub
