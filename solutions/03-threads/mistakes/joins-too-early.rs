//! MISTAKE (exercise 1): spawn and join in one lazy iterator chain.
//!
//! It reads like "spawn them all, then join them all", but iterators are
//! lazy: `collect` pulls one item through the *whole* chain before the
//! next, so thread 0 is joined before thread 1 is even started. The workers
//! run one after another. Caught by `ex1_spawn::all_workers_run_at_once`,
//! which then times out at its barrier.

use std::thread;

pub fn spawn_workers<F>(n: usize, work: F) -> Vec<u64>
where
    F: Fn(usize) -> u64 + Clone + Send + 'static,
{
    (0..n)
        .map(|i| {
            let work = work.clone();
            thread::spawn(move || work(i))
        })
        .map(|h| h.join().expect("a worker panicked"))
        .collect()
}
