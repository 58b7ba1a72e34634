//! The CPU-bound job of the Processes chapter (count primes by trial
//! division), serially and on threads. Compare with python/gil_cpu.py.
//! Run with `cargo run --release -p threads-exercise --example cpu_bound`
//! (timings of a debug build say little; the benchmarks measure properly).

use std::thread;
use std::time::Instant;

fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    let mut d = 2;
    while d * d <= n {
        if n.is_multiple_of(d) {
            return false;
        }
        d += 1;
    }
    true
}

/// Counts the primes among `start`, `start + step`, ... below `n`.
fn count_strided(start: u64, n: u64, step: u64) -> u64 {
    (start..n)
        .step_by(step as usize)
        .filter(|&k| is_prime(k))
        .count() as u64
}

// ANCHOR: threads
/// Counts the primes below `n` with `workers` threads, each taking every
/// `workers`-th number (so each gets a fair share of the big ones).
fn count_primes_threads(n: u64, workers: u64) -> u64 {
    thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| s.spawn(move || count_strided(w, n, workers)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}
// ANCHOR_END: threads

fn main() {
    let n = 200_000;
    let t = Instant::now();
    let serial = count_strided(0, n, 1);
    println!("serial:    {serial} primes below {n} in {:?}", t.elapsed());
    for workers in [2, 4] {
        let t = Instant::now();
        let count = count_primes_threads(n, workers);
        assert_eq!(count, serial);
        println!(
            "{workers} threads: {count} primes below {n} in {:?}",
            t.elapsed()
        );
    }
}
