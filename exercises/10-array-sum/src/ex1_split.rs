//! Exercise 1: split `n` items into `k` ranges.
//!
//! The tutorial computes `step = len(arr) // ncpus` and gives the last
//! worker whatever is left over. Every parallel sum starts with this
//! split, and it is easy to get subtly wrong: an item summed by nobody,
//! an item summed twice, a range that starts past the end.

use std::ops::Range;

// ANCHOR: split
/// Splits the indices `0..n` into exactly `k` ranges (`k >= 1`; `k == 0`
/// may panic), in order and without gaps: the first starts at 0, each
/// starts where the previous one ended, the last ends at `n`. Their
/// lengths differ by at most one, so no worker gets much more than the
/// others. When `k > n`, some ranges are empty, and an empty range still
/// lies inside `0..n` (`start <= end <= n`). Must not overflow, even for
/// `n` close to `usize::MAX`.
pub fn split(n: usize, k: usize) -> Vec<Range<usize>> {
    todo!("k ranges covering 0..n, balanced")
}
// ANCHOR_END: split
