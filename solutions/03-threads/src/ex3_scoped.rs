//! Exercise 3 solution: `thread::scope` lets threads borrow the slice.

use std::ops::Range;
use std::thread;

// ANCHOR: solution
pub fn chunk_ranges(len: usize, parts: usize) -> Vec<Range<usize>> {
    assert!(parts >= 1, "chunk_ranges needs at least one part");
    let (size, extra) = (len / parts, len % parts);
    let mut start = 0;
    (0..parts)
        .map(|k| {
            let end = start + size + usize::from(k < extra);
            let range = start..end;
            start = end;
            range
        })
        .collect()
}

pub fn map_chunks<T, R, F>(data: &[T], parts: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&[T]) -> R + Sync,
{
    let f = &f; // each thread gets a shared borrow of the one closure
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
// ANCHOR_END: solution
