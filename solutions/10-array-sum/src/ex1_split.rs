//! Exercise 1: split `n` items into `k` ranges.

use std::ops::Range;

// ANCHOR: split
/// Splits `0..n` into exactly `k` ranges, in order, without gaps or
/// overlaps, whose lengths differ by at most one.
pub fn split(n: usize, k: usize) -> Vec<Range<usize>> {
    // Boundary i is i * n / k, rounded down. Multiplying first keeps the
    // remainder spread out (no range is more than one longer than
    // another); u128 keeps i * n from overflowing for any usize.
    let bound = |i: usize| (i as u128 * n as u128 / k as u128) as usize;
    (0..k).map(|i| bound(i)..bound(i + 1)).collect()
}
// ANCHOR_END: split
