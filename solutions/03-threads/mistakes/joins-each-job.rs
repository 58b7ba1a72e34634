//! MISTAKE (exercise 2): each job is joined right after it is started.
//!
//! `map(thread::spawn).map(join)` reads like "start all, then join all", but
//! iterators are lazy: the chain spawns job 0, joins it, then spawns job 1.
//! The jobs run one after another. Caught by
//! `ex2_panics::every_job_runs_at_the_same_time`.

use std::any::Any;
use std::thread;

/// One job for [`run_all`]: a closure that computes a number on another
/// thread (and might panic).
pub type Job = Box<dyn FnOnce() -> u64 + Send + 'static>;

// ANCHOR: solution
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

pub fn run_all(jobs: Vec<Job>) -> Vec<Result<u64, String>> {
    jobs.into_iter()
        .map(thread::spawn)
        .map(|h| h.join().map_err(|payload| panic_message(&*payload)))
        .collect()
}
// ANCHOR_END: solution
