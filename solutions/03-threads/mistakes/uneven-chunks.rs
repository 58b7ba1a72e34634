//! MISTAKE (exercise 3): chunks of `len.div_ceil(parts)` elements.
//!
//! The usual `data.chunks(len.div_ceil(parts))` gives the right number of
//! chunks only when the division works out: 9 items in 4 parts become 3
//! chunks of 3, and one thread has nothing to do. Caught by
//! `ex3_scoped::chunks_cover_the_slice_evenly`.

use std::ops::Range;
use std::thread;

pub fn chunk_ranges(len: usize, parts: usize) -> Vec<Range<usize>> {
    let size = len.div_ceil(parts).max(1);
    (0..len)
        .step_by(size)
        .map(|start| start..(start + size).min(len))
        .collect()
}

pub fn map_chunks<T, R, F>(data: &[T], parts: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&[T]) -> R + Sync,
{
    let f = &f;
    thread::scope(|s| {
        let handles: Vec<_> = chunk_ranges(data.len(), parts)
            .into_iter()
            .map(|r| {
                let chunk = &data[r];
                s.spawn(move || f(chunk))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a chunk's thread panicked"))
            .collect()
    })
}

pub fn parallel_sum(data: &[u64], parts: usize) -> u64 {
    map_chunks(data, parts, |chunk| chunk.iter().sum::<u64>())
        .into_iter()
        .sum()
}
