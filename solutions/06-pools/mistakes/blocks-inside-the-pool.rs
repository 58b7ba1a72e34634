//! Exercise 6 solution: rayon in a pool of its own.

use std::sync::{Arc, mpsc};

use rayon::prelude::*;
use rayon::{ThreadPool, ThreadPoolBuildError, ThreadPoolBuilder};

/// Below this many items, `tree_sum` adds them up in a plain loop.
pub const LEAF: usize = 8;

// ANCHOR: solution
pub fn two_threads() -> Result<ThreadPool, ThreadPoolBuildError> {
    ThreadPoolBuilder::new().num_threads(2).build()
}

pub fn par_map<F>(pool: &ThreadPool, items: &[u64], f: F) -> Vec<u64>
where
    F: Fn(u64) -> u64 + Sync + Send,
{
    // `install` runs the closure on one of the pool's threads, so every
    // parallel iterator inside it uses this pool, not rayon's global one.
    pool.install(|| items.par_iter().map(|&x| f(x)).collect())
}

pub fn tree_sum(pool: &ThreadPool, data: &[u64]) -> u64 {
    let data: Arc<[u64]> = data.into();
    let len = data.len();
    pool.install(|| split_sum(data, 0, len))
}

fn split_sum(data: Arc<[u64]>, start: usize, end: usize) -> u64 {
    if end - start <= LEAF {
        return data[start..end].iter().sum();
    }
    let mid = start + (end - start) / 2;
    // Submit both halves to the pool, then wait for their two results.
    let (tx, rx) = mpsc::channel();
    for (from, to) in [(start, mid), (mid, end)] {
        let (data, tx) = (Arc::clone(&data), tx.clone());
        rayon::spawn(move || {
            let _ = tx.send(split_sum(data, from, to));
        });
    }
    rx.recv().unwrap() + rx.recv().unwrap()
}
// ANCHOR_END: solution
