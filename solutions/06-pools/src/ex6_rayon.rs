//! Exercise 6 solution: rayon in a pool of its own.

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
    pool.install(|| split_sum(data))
}

fn split_sum(data: &[u64]) -> u64 {
    if data.len() <= LEAF {
        return data.iter().sum();
    }
    let (left, right) = data.split_at(data.len() / 2);
    // `join` offers `right` to thieves and runs `left` here. While it waits
    // for a stolen `right`, this thread runs other jobs: it never just blocks.
    let (a, b) = rayon::join(|| split_sum(left), || split_sum(right));
    a + b
}
// ANCHOR_END: solution
