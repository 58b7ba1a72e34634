//! Exercise 2 solution: match on `join()` instead of unwrapping it.

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
    let handles: Vec<_> = jobs.into_iter().map(thread::spawn).collect();
    handles
        .into_iter()
        .map(|h| h.join().map_err(|payload| panic_message(&*payload)))
        .collect()
}
// ANCHOR_END: solution
