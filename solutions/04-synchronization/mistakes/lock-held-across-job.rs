//! MISTAKE (lock-held-across-job): the Rust Book's first thread pool bug.
//! `while let Ok(job) = rx.lock().unwrap().recv()` keeps the guard for the
//! whole loop body, so one worker runs its job with the receiver locked.

use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

/// A unit of work for the workers.
pub type Job = Box<dyn FnOnce() + Send + 'static>;

// ANCHOR: workers
/// Starts `n` workers sharing one receiver. Each takes the next job, runs
/// it, and comes back for another, until the channel is closed and empty;
/// then it returns how many jobs it ran.
pub fn start_workers(n: usize, jobs: Receiver<Job>) -> Vec<JoinHandle<usize>> {
    let jobs = Arc::new(Mutex::new(jobs));
    (0..n)
        .map(|_| {
            let jobs = Arc::clone(&jobs);
            thread::spawn(move || {
                let mut ran = 0;
                // The guard from `lock()` is a temporary of the `while let`
                // scrutinee, so it lives until the end of the loop body:
                // the job runs with the lock held.
                while let Ok(job) = jobs.lock().unwrap().recv() {
                    job();
                    ran += 1;
                }
                ran
            })
        })
        .collect()
}
// ANCHOR_END: workers
