//! Exercise 1: split `n` items into `k` ranges.

use std::ops::Range;

// ANCHOR: split
/// Splits `0..n` into exactly `k` ranges, in order, without gaps or
/// overlaps, whose lengths differ by at most one.
pub fn split(n: usize, k: usize) -> Vec<Range<usize>> {
    // Boundary i is i * n / k, rounded down. Multiplying first keeps the
    // remainder spread out (no range is more than one longer than
    // another); u128 keeps i * n from overflowing for any usize.
    let size = n.div_ceil(k);
    (0..k).map(|i| i * size..((i + 1) * size).min(n)).collect()
}
// ANCHOR_END: split
