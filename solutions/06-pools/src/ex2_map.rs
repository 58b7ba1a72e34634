//! Exercise 2 solution: a pool's `map`, chunk by chunk, in input order.

use std::sync::{Mutex, mpsc};
use std::thread;

use crate::ex1_chunks::{chunk_ranges, default_chunksize};

// ANCHOR: solution
pub fn map<T, R, F>(workers: usize, items: &[T], chunksize: Option<usize>, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let workers = workers.max(1);
    let chunksize = chunksize.unwrap_or_else(|| default_chunksize(items.len(), workers));
    // The task queue: every worker takes the next chunk when it is free.
    let queue = Mutex::new(chunk_ranges(items.len(), chunksize).into_iter());
    let (tx, rx) = mpsc::channel();
    thread::scope(|s| {
        for _ in 0..workers {
            let (queue, tx, f) = (&queue, tx.clone(), &f);
            s.spawn(move || {
                loop {
                    // Take a chunk, and let go of the lock before working.
                    let next = queue.lock().unwrap().next();
                    let Some(range) = next else { break };
                    let start = range.start;
                    let results: Vec<R> = items[range].iter().map(f).collect();
                    if tx.send((start, results)).is_err() {
                        break;
                    }
                }
            });
        }
    });
    drop(tx);
    // Chunks arrive in the order they finish; each one says where it
    // starts, so sorting by start restores the input order.
    let mut chunks: Vec<(usize, Vec<R>)> = rx.into_iter().collect();
    chunks.sort_by_key(|(start, _)| *start);
    chunks
        .into_iter()
        .flat_map(|(_, results)| results)
        .collect()
}
// ANCHOR_END: solution
