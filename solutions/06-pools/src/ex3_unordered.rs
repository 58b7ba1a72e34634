//! Exercise 3 solution: `imap_unordered`, every result as soon as it is ready.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, mpsc};
use std::thread;

// ANCHOR: solution
pub fn imap_unordered<T, R, F>(workers: usize, items: Vec<T>, f: F) -> mpsc::IntoIter<(usize, R)>
where
    T: Send + 'static,
    R: Send + 'static,
    F: Fn(T) -> R + Send + Sync + 'static,
{
    let queue: Arc<Mutex<VecDeque<(usize, T)>>> =
        Arc::new(Mutex::new(items.into_iter().enumerate().collect()));
    let f = Arc::new(f);
    let (tx, rx) = mpsc::channel();
    for _ in 0..workers.max(1) {
        let (queue, f, tx) = (Arc::clone(&queue), Arc::clone(&f), tx.clone());
        // Detached on purpose: each worker ends when the queue is empty,
        // and the receiver sees the end when the last sender is gone.
        thread::spawn(move || {
            loop {
                let next = queue.lock().unwrap().pop_front();
                let Some((i, item)) = next else { break };
                // Send each result the moment it exists.
                if tx.send((i, f(item))).is_err() {
                    break;
                }
            }
        });
    }
    rx.into_iter()
}
// ANCHOR_END: solution
