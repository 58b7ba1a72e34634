//! MISTAKE (exercise 4): each worker gets a copy of the data.
//!
//! The Python habit: `Pool.map` pickles the data to every worker, so a
//! copy feels normal. Here `(*items).clone()` copies the whole `Vec` once
//! per worker (it even needs an extra `T: Clone` bound), although an `Arc`
//! clone would have shared it for free. Caught by
//! `ex4_arc::workers_read_the_shared_data_not_a_copy`.

use std::sync::Arc;
use std::thread;

pub fn default_workers() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get())
}

pub fn parallel_map<T, R, F>(items: Arc<Vec<T>>, workers: usize, f: F) -> Vec<R>
where
    T: Clone + Send + Sync + 'static,
    R: Send + 'static,
    F: Fn(&T) -> R + Send + Sync + 'static,
{
    let f = Arc::new(f);
    let handles: Vec<_> = (0..workers)
        .map(|w| {
            let copy: Vec<T> = (*items).clone();
            let f = Arc::clone(&f);
            thread::spawn(move || {
                (w..copy.len())
                    .step_by(workers)
                    .map(|i| (i, f(&copy[i])))
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
        .map(|r| r.expect("every index is handled"))
        .collect()
}
