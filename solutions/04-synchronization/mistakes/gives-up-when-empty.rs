//! MISTAKE (gives-up-when-empty): a worker stops as soon as the channel is
//! empty for a moment, like Python's `while not q.empty(): q.get()`.
//! `try_recv` fails both when the channel is closed and when no job has
//! arrived *yet*; work that comes later finds nobody left to do it.

use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex, PoisonError};
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
                loop {
                    // The guard is a temporary of this `let` statement: it is
                    // dropped at the `;`, before the job runs. A poisoned lock
                    // (another worker panicked while holding it) still guards
                    // a perfectly good receiver, so take it anyway.
                    let next = jobs
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .try_recv();
                    match next {
                        Ok(job) => {
                            job();
                            ran += 1;
                        }
                        Err(_) => return ran, // nothing there: done?
                    }
                }
            })
        })
        .collect()
}
// ANCHOR_END: workers
