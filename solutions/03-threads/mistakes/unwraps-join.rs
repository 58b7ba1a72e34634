//! MISTAKE (exercise 2): `join().unwrap()` turns a worker's panic into a new one in the caller.
//!
//! `unwrap` on the `Err` that `join` returns panics in the *caller*, so one
//! failing job takes `run_all` (and everything that called it) down, and
//! the other jobs' results are lost. Caught by
//! `ex2_panics::one_panic_does_not_sink_the_rest`.

use std::any::Any;
use std::thread;

pub type Job = Box<dyn FnOnce() -> u64 + Send + 'static>;

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
    handles.into_iter().map(|h| Ok(h.join().unwrap())).collect()
}
