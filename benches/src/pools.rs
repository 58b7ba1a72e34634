//! Pools chapter: what a task costs on each kind of pool, how chunksize
//! trades overhead against balance, and how the pools cope with tasks of
//! very different sizes.
//!
//! The pools measured are the chapter's own (the thread pool of exercise 4,
//! the chunk-queue `map` of exercise 2, the process pool of exercise 5, from
//! `solutions/06-pools`) and rayon's.

use std::hint::black_box;

use pools::ex1_chunks::{chunk_ranges, default_chunksize};
use pools::ex2_map;
use pools::ex4_thread_pool::ThreadPool;
use pools::ex5_process_pool::ProcessPool;
use rayon::prelude::*;

use crate::processes::count_primes;

// ANCHOR: busy
/// A task of `iters` rounds of integer mixing: pure CPU, no memory, no
/// allocation. Its cost grows linearly with `iters`; `busy(0, x)` is the
/// tiniest task there is.
pub fn busy(iters: u64, x: u64) -> u64 {
    let mut h = x ^ 0x9e37_79b9_7f4a_7c15;
    for _ in 0..iters {
        h = black_box(h.rotate_left(5).wrapping_mul(0x0100_0000_01b3) ^ 0x5bd1_e995);
    }
    h
}
// ANCHOR_END: busy

/// Rounds of [`busy`] that take about 1 µs on the machines we tried; the
/// results page says how long one task really took.
pub const ITERS_1US: u64 = 400;
/// Rounds of [`busy`] that take about 100 µs.
pub const ITERS_100US: u64 = 100 * ITERS_1US;

/// The tiny task: one round of mixing.
pub fn tiny(x: u64) -> u64 {
    busy(1, x)
}

/// A chunk of tiny tasks, for the process pool at a chunksize above 1.
pub fn tiny_chunk(xs: Vec<u64>) -> Vec<u64> {
    xs.into_iter().map(tiny).collect()
}

/// A chunk of 1 µs tasks.
pub fn micro_chunk(xs: Vec<u64>) -> Vec<u64> {
    xs.into_iter().map(|x| busy(ITERS_1US, x)).collect()
}

/// A chunk of 100 µs tasks.
pub fn hundred_micro_chunk(xs: Vec<u64>) -> Vec<u64> {
    xs.into_iter().map(|x| busy(ITERS_100US, x)).collect()
}

/// The inputs of a run: `0..n`.
pub fn inputs(n: u64) -> Vec<u64> {
    (0..n).collect()
}

/// A checksum of results, so no version can skip work.
pub fn checksum(results: &[u64]) -> u64 {
    results.iter().fold(0, |a, &r| a.wrapping_add(r))
}

/// `f` on every input, one after another.
pub fn serial(xs: &[u64], f: fn(u64) -> u64) -> u64 {
    checksum(&xs.iter().map(|&x| f(x)).collect::<Vec<_>>())
}

/// rayon's `par_iter` in `pool`, with rayon's own splitting, or with pieces
/// of at most `max_len` items (`with_max_len(1)`: one task per item).
pub fn rayon_map(
    pool: &rayon::ThreadPool,
    xs: &[u64],
    f: fn(u64) -> u64,
    max_len: Option<usize>,
) -> u64 {
    pool.install(|| {
        let results: Vec<u64> = match max_len {
            Some(m) => xs.par_iter().with_max_len(m).map(|&x| f(x)).collect(),
            None => xs.par_iter().map(|&x| f(x)).collect(),
        };
        checksum(&results)
    })
}

/// One job per input on the thread pool of exercise 4, then every handle
/// waited for: `ThreadPoolExecutor.submit` per item.
pub fn thread_pool_map(pool: &ThreadPool, xs: &[u64], f: fn(u64) -> u64) -> u64 {
    let handles: Vec<_> = xs.iter().map(|&x| pool.submit(move || f(x))).collect();
    let results: Vec<u64> = handles
        .into_iter()
        .map(|h| h.wait().expect("the bench's tasks do not panic"))
        .collect();
    checksum(&results)
}

/// The chunk-queue `map` of exercise 2 on `workers` threads.
pub fn queue_map(workers: usize, xs: &[u64], chunksize: Option<usize>, f: fn(u64) -> u64) -> u64 {
    checksum(&ex2_map::map(workers, xs, chunksize, |&x| f(x)))
}

/// The process pool of exercise 5 at chunksize 1: one frame per task.
pub fn process_map_one(pool: &mut ProcessPool<u64, u64>, xs: &[u64]) -> u64 {
    let results: Vec<u64> = pool
        .map(xs)
        .into_iter()
        .map(|r| r.expect("the bench's tasks do not fail"))
        .collect();
    checksum(&results)
}

/// The process pool of exercise 5 over chunks of `chunksize` inputs: each
/// task is a whole chunk, as `Pool.map` sends them.
pub fn process_map_chunked(
    pool: &mut ProcessPool<Vec<u64>, Vec<u64>>,
    xs: &[u64],
    chunksize: usize,
) -> u64 {
    let chunks: Vec<Vec<u64>> = chunk_ranges(xs.len(), chunksize)
        .into_iter()
        .map(|r| xs[r].to_vec())
        .collect();
    let results: Vec<u64> = pool
        .map(&chunks)
        .into_iter()
        .flat_map(|r| r.expect("the bench's tasks do not fail"))
        .collect();
    checksum(&results)
}

/// Python's default chunksize for `n` items on `workers` workers.
pub fn python_chunksize(n: usize, workers: usize) -> usize {
    default_chunksize(n, workers).max(1)
}

// ANCHOR: skewed
/// The skewed load: `n` tasks, where the first quarter costs `heavy`
/// rounds of [`busy`] each and the rest 1 round. Cut in two halves, the
/// first half holds nearly all the work.
pub fn skewed_cost(i: u64, n: u64, heavy: u64) -> u64 {
    if i < n / 4 { heavy } else { 1 }
}

/// The skewed load split statically: `workers` scoped threads, each given
/// one contiguous block of the tasks.
pub fn skewed_static(n: u64, heavy: u64, workers: usize) -> u64 {
    let ranges = chunk_ranges(n as usize, (n as usize).div_ceil(workers));
    std::thread::scope(|s| {
        let handles: Vec<_> = ranges
            .into_iter()
            .map(|r| {
                s.spawn(move || {
                    r.map(|i| busy(skewed_cost(i as u64, n, heavy), i as u64))
                        .fold(0u64, u64::wrapping_add)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a bench thread does not panic"))
            .fold(0, u64::wrapping_add)
    })
}
// ANCHOR_END: skewed

/// The skewed load, serially.
pub fn skewed_serial(n: u64, heavy: u64) -> u64 {
    (0..n)
        .map(|i| busy(skewed_cost(i, n, heavy), i))
        .fold(0, u64::wrapping_add)
}

/// The skewed load from the chunk queue of exercise 2.
pub fn skewed_queue(n: u64, heavy: u64, workers: usize, chunksize: Option<usize>) -> u64 {
    let xs = inputs(n);
    ex2_map::map(workers, &xs, chunksize, |&i| {
        busy(skewed_cost(i, n, heavy), i)
    })
    .into_iter()
    .fold(0, u64::wrapping_add)
}

/// The skewed load on rayon, which splits and steals as it goes.
pub fn skewed_rayon(pool: &rayon::ThreadPool, n: u64, heavy: u64) -> u64 {
    pool.install(|| {
        (0..n)
            .into_par_iter()
            .map(|i| busy(skewed_cost(i, n, heavy), i))
            .reduce(|| 0, u64::wrapping_add)
    })
}

/// The primes below `n`, counted by rayon in `pool`.
pub fn primes_rayon(pool: &rayon::ThreadPool, n: u64) -> u64 {
    pool.install(|| (0..n).into_par_iter().map(|m| count_primes(m, m + 1)).sum())
}

/// A rayon pool of `threads` threads.
pub fn rayon_pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a rayon pool starts")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_version_of_the_tiny_map_agrees() {
        let xs = inputs(1000);
        let want = serial(&xs, tiny);
        let rp = rayon_pool(2);
        assert_eq!(rayon_map(&rp, &xs, tiny, None), want);
        assert_eq!(rayon_map(&rp, &xs, tiny, Some(1)), want);
        assert_eq!(thread_pool_map(&ThreadPool::new(2), &xs, tiny), want);
        assert_eq!(queue_map(2, &xs, None, tiny), want);
        let mut one = ProcessPool::new(2, tiny).unwrap();
        assert_eq!(process_map_one(&mut one, &xs), want);
        let mut chunked = ProcessPool::new(2, tiny_chunk).unwrap();
        assert_eq!(process_map_chunked(&mut chunked, &xs, 7), want);
        assert_eq!(
            process_map_chunked(&mut chunked, &xs, python_chunksize(1000, 2)),
            want
        );
    }

    #[test]
    fn every_version_of_the_skewed_load_agrees() {
        let want = skewed_serial(100, 50);
        assert_eq!(skewed_static(100, 50, 2), want);
        assert_eq!(skewed_static(101, 50, 3), skewed_serial(101, 50));
        assert_eq!(skewed_queue(100, 50, 2, Some(1)), want);
        assert_eq!(skewed_rayon(&rayon_pool(2), 100, 50), want);
    }

    #[test]
    fn rayon_counts_the_primes_right() {
        assert_eq!(primes_rayon(&rayon_pool(2), 1000), 168);
    }

    #[test]
    fn the_chunk_tasks_match_the_single_ones() {
        let xs = inputs(10);
        let want: Vec<u64> = xs.iter().map(|&x| busy(ITERS_1US, x)).collect();
        assert_eq!(micro_chunk(xs.clone()), want);
        let want: Vec<u64> = xs.iter().map(|&x| busy(ITERS_100US, x)).collect();
        assert_eq!(hundred_micro_chunk(xs), want);
    }
}
