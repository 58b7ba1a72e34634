//! Exercise 4: a thread pool by hand, with a handle per job.
//!
//! Python's `ThreadPoolExecutor(max_workers=n)` keeps `n` threads; `submit`
//! puts a job on a queue and returns a `Future`; `future.result()` waits for
//! the job and re-raises its exception. Build that: a fixed number of
//! worker threads that take boxed jobs off one channel, and a `JobHandle`
//! per job that waits for its result.
//!
//! Two promises make a pool trustworthy:
//! * a job that panics is that job's failure, reported through its handle;
//!   the worker that ran it goes on to the next job, so the pool never
//!   shrinks;
//! * dropping the pool finishes the jobs already submitted, then joins
//!   every worker thread: no thread outlives the pool.

use std::fmt;
use std::marker::PhantomData;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::{self, JoinHandle};

use crate::given::panic_message;

/// A job panicked; `message` is what it passed to `panic!`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobPanicked {
    pub message: String,
}

impl fmt::Display for JobPanicked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the job panicked: {}", self.message)
    }
}

// ANCHOR: stub
/// A fixed set of worker threads taking jobs from one channel.
pub struct ThreadPool {
    // Replace with your fields: the sending end of the job channel, and the
    // JoinHandles of the workers.
    todo: (),
}

/// What `submit` returns: waits for one job's result (Python's `Future`).
pub struct JobHandle<R> {
    // Replace with your field: the receiving end of this job's result.
    todo: PhantomData<R>,
}

impl ThreadPool {
    /// Starts `size` worker threads (at least 1). Each takes the next job
    /// from a shared channel, runs it, and goes back for another, until
    /// the channel is closed.
    pub fn new(size: usize) -> ThreadPool {
        todo!("one channel of boxed jobs; size threads share its receiver")
    }

    /// How many worker threads the pool has.
    pub fn size(&self) -> usize {
        todo!()
    }

    /// Queues `job` and returns a handle to its result. Never blocks.
    pub fn submit<R, F>(&self, job: F) -> JobHandle<R>
    where
        R: Send + 'static,
        F: FnOnce() -> R + Send + 'static,
    {
        todo!("box a closure that runs the job and sends its outcome to the handle")
    }
}

impl<R> JobHandle<R> {
    /// Waits for the job; `Err` if it panicked, with the panic's message.
    pub fn wait(self) -> Result<R, JobPanicked> {
        todo!()
    }
}

impl Drop for ThreadPool {
    /// Lets the workers finish every submitted job, then joins them all.
    fn drop(&mut self) {}
}
// ANCHOR_END: stub
