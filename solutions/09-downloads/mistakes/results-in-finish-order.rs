//! Exercise 3: a pool of threads for waiting.

use std::sync::{Mutex, mpsc};
use std::thread;

use crate::ex2_retry::download_with_retry;
use crate::given::{Job, Outcome};

// ANCHOR: solution
pub fn download_threads(
    agent: &ureq::Agent,
    jobs: &[Job],
    workers: usize,
    attempts: usize,
) -> Vec<Outcome> {
    let queue = Mutex::new(jobs.iter().enumerate());
    let (tx, rx) = mpsc::channel();
    thread::scope(|s| {
        for _ in 0..workers.max(1) {
            let (queue, tx) = (&queue, tx.clone());
            s.spawn(move || {
                loop {
                    // In a statement of its own: the lock is let go here,
                    // before the download starts.
                    let next = queue.lock().unwrap().next();
                    let Some((i, job)) = next else { break };
                    let _ = tx.send((i, download_with_retry(agent, job, attempts)));
                }
            });
        }
    });
    drop(tx);
    let done: Vec<(usize, Outcome)> = rx.into_iter().collect();
    done.into_iter().map(|(_, outcome)| outcome).collect()
}
// ANCHOR_END: solution
