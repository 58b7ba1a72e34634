//! MISTAKE (exercise 2): the panic is noticed, but its message is thrown away.
//!
//! `Err(_) => "a worker panicked"` keeps the program alive but leaves
//! whoever reads the error guessing which job failed and why. Caught by
//! `ex2_panics::the_panic_message_is_kept`.

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
    handles
        .into_iter()
        .map(|h| h.join().map_err(|_| "a worker panicked".to_string()))
        .collect()
}
