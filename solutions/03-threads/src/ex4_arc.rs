//! Exercise 4 solution: clone the `Arc`, never the data.

use std::sync::Arc;
use std::thread;

// ANCHOR: solution
pub fn default_workers() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get())
}

pub fn parallel_map<T, R, F>(items: Arc<Vec<T>>, workers: usize, f: F) -> Vec<R>
where
    T: Send + Sync + 'static,
    R: Send + 'static,
    F: Fn(&T) -> R + Send + Sync + 'static,
{
    let f = Arc::new(f);
    let handles: Vec<_> = (0..workers)
        .map(|w| {
            // Two pointer copies and two counter bumps; the Vec stays put.
            let items = Arc::clone(&items);
            let f = Arc::clone(&f);
            thread::spawn(move || {
                (w..items.len())
                    .step_by(workers)
                    .map(|i| (i, f(&items[i])))
                    .collect::<Vec<(usize, R)>>()
            })
        })
        .collect();

    let mut slots: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    for h in handles {
        for (i, r) in h.join().expect("a worker panicked") {
            slots[i] = Some(r);
        }
    }
    slots
        .into_iter()
        .map(|r| r.expect("every index is handled by exactly one worker"))
        .collect()
}
// ANCHOR_END: solution
