//! Exercise 2: a worker's panic is reported, not lost.
//!
//! A panic ends only the thread it happens on. The thread that joins it gets
//! `Err(payload)` from `JoinHandle::join`, where the payload is whatever was
//! given to `panic!`: a `&'static str` for `panic!("literal")`, a `String`
//! for `panic!("with {}", args)`.

use std::any::Any;

/// One job for [`run_all`]: a closure that computes a number on another
/// thread (and might panic).
pub type Job = Box<dyn FnOnce() -> u64 + Send + 'static>;

// ANCHOR: stub
/// The text of a panic payload: the `&str` or `String` given to `panic!`,
/// or `"unknown panic"` if the payload is anything else.
///
/// Hint: `payload.downcast_ref::<&str>()` and `payload.downcast_ref::<String>()`.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    todo!("downcast the payload to &str, then to String")
}

/// Runs every job on a thread of its own (start them all, then join them)
/// and returns one entry per job, in job order: `Ok(value)` if the job
/// returned, `Err(message)` if it panicked, where `message` is
/// [`panic_message`] of the payload.
///
/// One job's panic must not stop the other jobs, nor `run_all` itself.
pub fn run_all(jobs: Vec<Job>) -> Vec<Result<u64, String>> {
    todo!("spawn each job, then match on each handle's join()")
}
// ANCHOR_END: stub
