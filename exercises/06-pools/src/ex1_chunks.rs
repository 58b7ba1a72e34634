//! Exercise 1: cut the input of `Pool.map` into chunks, the way Python does.
//!
//! `Pool.map(f, items)` does not send the items to the workers one by one:
//! it cuts the list into *chunks* of `chunksize` items, and a worker takes a
//! whole chunk at a time. Without a `chunksize` argument, Python computes one
//! (`Lib/multiprocessing/pool.py`, `_map_async`):
//!
//! ```python
//! chunksize, extra = divmod(len(iterable), len(self._pool) * 4)
//! if extra:
//!     chunksize += 1
//! if len(iterable) == 0:
//!     chunksize = 0
//! ```
//!
//! That is about four chunks per worker: few enough that the cost of
//! sending a chunk is paid rarely, enough that a worker that finishes early
//! finds more work to take.

use std::ops::Range;

// ANCHOR: stub
/// Python's default chunksize for `len` items on `workers` workers:
/// `len / (4 * workers)`, rounded *up*, and 0 for an empty input.
/// `default_chunksize(100, 4)` is 7; `default_chunksize(10, 4)` is 1.
pub fn default_chunksize(len: usize, workers: usize) -> usize {
    todo!("divide by 4 * workers, rounding up")
}

/// The chunks of `0..len`, in order, each `chunksize` long except perhaps
/// the last: `chunk_ranges(10, 4)` is `[0..4, 4..8, 8..10]`. Together they
/// cover every index exactly once. An empty input has no chunks; a
/// `chunksize` of 0 for a non-empty input is a bug of the caller (panic).
pub fn chunk_ranges(len: usize, chunksize: usize) -> Vec<Range<usize>> {
    todo!("one range per chunk, the last one possibly shorter")
}
// ANCHOR_END: stub
