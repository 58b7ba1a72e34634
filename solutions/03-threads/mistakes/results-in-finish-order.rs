//! MISTAKE (exercise 1): collect results from a channel, in finish order.
//!
//! Every worker runs at once, but results are gathered as they arrive, so
//! element i is "whoever finished i-th", not `work(i)`. Like
//! `multiprocessing`'s `imap_unordered`, where `map` was wanted. Caught by
//! `ex1_spawn::results_come_back_in_input_order`.

use std::sync::mpsc;
use std::thread;

pub fn spawn_workers<F>(n: usize, work: F) -> Vec<u64>
where
    F: Fn(usize) -> u64 + Clone + Send + 'static,
{
    let (tx, rx) = mpsc::channel();
    for i in 0..n {
        let work = work.clone();
        let tx = tx.clone();
        thread::spawn(move || {
            let _ = tx.send(work(i));
        });
    }
    drop(tx);
    rx.iter().collect()
}
