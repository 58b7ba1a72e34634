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
    // `step_by` visits 0, c, 2c, ... while below len: the last start is the
    // last (maybe short) chunk, and `min` cuts it at the end of the input.
    (0..len)
        .step_by(chunksize.max(1))
        .map(|start| start..(start + chunksize).min(len))
        .collect()
}
// ANCHOR_END: solution
