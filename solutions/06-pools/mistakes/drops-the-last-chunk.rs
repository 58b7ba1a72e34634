//! Exercise 1 solution: Python's default chunksize, and chunks that cover
//! every item.

use std::ops::Range;

// ANCHOR: solution
pub fn default_chunksize(len: usize, workers: usize) -> usize {
    if len == 0 {
        return 0;
    }
    // Python: chunksize, extra = divmod(len, 4 * workers); if extra: += 1.
    len.div_ceil(4 * workers.max(1))
}

pub fn chunk_ranges(len: usize, chunksize: usize) -> Vec<Range<usize>> {
    assert!(chunksize > 0 || len == 0, "chunksize must be at least 1");
    // One range per full chunk.
    (0..len / chunksize.max(1))
        .map(|k| k * chunksize..(k + 1) * chunksize)
        .collect()
}
// ANCHOR_END: solution
