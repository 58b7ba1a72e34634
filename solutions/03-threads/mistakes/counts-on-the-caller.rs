//! MISTAKE (exercise 5): the thread-local counter is read on the wrong thread.
//!
//! Each worker does its tasks, but `tasks_done_here()` is called after
//! `join`, on the caller, whose own counter never moved: every report says
//! 0. A thread-local belongs to the thread that touches it. Caught by
//! `ex5_named::each_thread_counts_its_own_work`.

use std::cell::Cell;
use std::thread;

thread_local! {
    static TASKS_DONE: Cell<u64> = const { Cell::new(0) };
}

pub fn do_task(n: u64) -> u64 {
    TASKS_DONE.with(|c| c.set(c.get() + 1));
    n * n
}

pub fn tasks_done_here() -> u64 {
    TASKS_DONE.with(Cell::get)
}

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
            .spawn(move || {
                let sum: u64 = batch.iter().map(|&n| do_task(n)).sum();
                (thread::current().name().map(String::from), sum)
            })?;
        handles.push(handle);
    }
    Ok(handles
        .into_iter()
        .map(|h| {
            let (name, sum) = h.join().expect("a worker panicked");
            Report {
                name,
                tasks_done: tasks_done_here(),
                sum,
            }
        })
        .collect())
}
