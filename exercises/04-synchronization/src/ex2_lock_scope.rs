//! Exercise 2: how long a lock is held.
//!
//! Several workers share one `Receiver` of jobs behind a `Mutex`. Each
//! worker locks it just long enough to take the next job, lets the lock go,
//! and only then runs the job. Hold the guard while the job runs and the
//! workers take turns instead of working at the same time.

// The parameters are unused until the todo!() is filled in.
#![allow(unused_variables)]

use std::sync::mpsc::Receiver;
use std::thread::JoinHandle;

/// A unit of work for the workers.
pub type Job = Box<dyn FnOnce() + Send + 'static>;

// ANCHOR: workers
/// Starts `n` workers sharing one receiver. Each takes the next job, runs
/// it, and comes back for another, until the channel is closed and empty;
/// then it returns how many jobs it ran.
pub fn start_workers(n: usize, jobs: Receiver<Job>) -> Vec<JoinHandle<usize>> {
    todo!(
        "wrap the receiver in Arc<Mutex<..>>, spawn n threads, \
         each looping: take a job (guard dropped), run it"
    )
}
// ANCHOR_END: workers
