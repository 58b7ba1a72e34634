//! Exercise 1 solution: start every worker, then join them in order.

use std::thread::{self, JoinHandle};

// ANCHOR: solution
pub fn spawn_workers<F>(n: usize, work: F) -> Vec<u64>
where
    F: Fn(usize) -> u64 + Clone + Send + 'static,
{
    // First loop: start them all. `collect` runs the whole `map` now, so
    // every thread is running before we wait for any.
    let handles: Vec<JoinHandle<u64>> = (0..n)
        .map(|i| {
            let work = work.clone();
            thread::spawn(move || work(i))
        })
        .collect();
    // Second loop: join in the order we started them, so result i is work(i)
    // however the threads happened to finish.
    handles
        .into_iter()
        .map(|h| {
            h.join()
                .expect("a worker panicked (exercise 2 handles that)")
        })
        .collect()
}
// ANCHOR_END: solution
