//! Exercise 5 solution: `thread::Builder` and a `thread_local!` counter.

use std::cell::Cell;
use std::thread;

// ANCHOR: solution
thread_local! {
    /// Every thread has its own copy, starting at 0: no lock, no sharing.
    static TASKS_DONE: Cell<u64> = const { Cell::new(0) };
}

pub fn do_task(n: u64) -> u64 {
    TASKS_DONE.with(|c| c.set(c.get() + 1));
    n * n
}

pub fn tasks_done_here() -> u64 {
    TASKS_DONE.with(Cell::get)
}

/// What one worker of [`run_named`] reports about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub name: Option<String>,
    pub tasks_done: u64,
    pub sum: u64,
}

pub fn run_named(prefix: &str, batches: Vec<Vec<u64>>) -> std::io::Result<Vec<Report>> {
    let mut handles = Vec::new();
    for (k, batch) in batches.into_iter().enumerate() {
        let handle = thread::Builder::new()
            .name(format!("{prefix}-{k}"))
            .stack_size(256 * 1024)
            .spawn(move || {
                let sum = batch.iter().map(|&n| do_task(n)).sum();
                Report {
                    // Read inside the worker: its own name, its own counter.
                    name: thread::current().name().map(String::from),
                    tasks_done: tasks_done_here(),
                    sum,
                }
            })?;
        handles.push(handle);
    }
    Ok(handles
        .into_iter()
        .map(|h| h.join().expect("a worker panicked"))
        .collect())
}
// ANCHOR_END: solution
