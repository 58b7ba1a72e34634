//! Exercise 6: rayon, in a pool of two threads of its own.
//!
//! rayon's parallel iterators run on a global pool with one thread per
//! core. A `ThreadPool` of your own, built with `ThreadPoolBuilder`, runs
//! whatever you `install` into it: inside `pool.install(|| ...)`, every
//! `par_iter` and `rayon::join` uses that pool's threads.
//!
//! `rayon::join(a, b)` runs `a` on the current thread and offers `b` to the
//! other threads; if nobody takes `b`, the current thread runs it too.
//! A thread waiting for a stolen `b` does not sit idle: it runs other
//! jobs meanwhile. That is why splitting inside splitting is fine in rayon.

use rayon::prelude::*;
use rayon::{ThreadPool, ThreadPoolBuildError, ThreadPoolBuilder};

/// Below this many items, `tree_sum` adds them up in a plain loop.
pub const LEAF: usize = 8;

// ANCHOR: stub
/// A rayon pool with exactly two threads.
pub fn two_threads() -> Result<ThreadPool, ThreadPoolBuildError> {
    todo!("ThreadPoolBuilder")
}

/// `[f(items[0]), f(items[1]), ...]` in input order, computed with a
/// parallel iterator on `pool`'s threads (not on rayon's global pool).
pub fn par_map<F>(pool: &ThreadPool, items: &[u64], f: F) -> Vec<u64>
where
    F: Fn(u64) -> u64 + Sync + Send,
{
    todo!("install a par_iter into the pool")
}

/// The sum of `data`, computed on `pool` by divide and conquer: a slice of
/// at most [`LEAF`] items is summed in a loop; a longer one is cut in two
/// halves that are summed in parallel, each cut the same way again.
pub fn tree_sum(pool: &ThreadPool, data: &[u64]) -> u64 {
    todo!("split in halves, recursively, in parallel")
}
// ANCHOR_END: stub
