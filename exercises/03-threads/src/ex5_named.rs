//! Exercise 5: named threads, and a counter each thread keeps for itself.
//!
//! `std::thread::Builder` starts a thread with options: a name (shown in
//! panic messages, debuggers and `thread::current().name()`) and a stack
//! size. `thread_local!` declares a variable of which every thread has its
//! own copy, like Python's `threading.local()`.

// ANCHOR: stub
/// Does one task (returns `n * n`) and adds one to a counter that belongs to
/// the calling thread alone: declare it with `thread_local!`, e.g. a
/// `Cell<u64>` starting at 0.
pub fn do_task(n: u64) -> u64 {
    todo!("bump this thread's own counter, then return n * n")
}

/// How many times the calling thread has called [`do_task`] (0 on a thread
/// that never did).
pub fn tasks_done_here() -> u64 {
    todo!("read this thread's own counter")
}

/// What one worker of [`run_named`] reports about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The worker's name, as the worker itself sees it (`thread::current().name()`).
    pub name: Option<String>,
    /// The worker's own [`tasks_done_here`] after its batch.
    pub tasks_done: u64,
    /// The sum of [`do_task`] over its batch.
    pub sum: u64,
}

/// Starts one thread per batch, named `"{prefix}-{k}"` for batch `k`, with
/// `std::thread::Builder` (give it a modest stack too, say 256 KiB: these
/// workers need little). Each worker calls [`do_task`] on every number of
/// its batch and returns its [`Report`]. Returns the reports in batch order,
/// or the error if a thread could not be started.
pub fn run_named(prefix: &str, batches: Vec<Vec<u64>>) -> std::io::Result<Vec<Report>> {
    todo!("Builder::new().name(..).stack_size(..).spawn(..)?, then join in order")
}
// ANCHOR_END: stub
