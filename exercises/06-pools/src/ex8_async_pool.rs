//! Exercise 8: Python's asynchronous API on a process pool.
//!
//! Exercise 5's pool works only inside one call of `map`: its feeder
//! threads are scoped to it. Python's `Pool` also hands out work one task
//! at a time: `apply_async` returns an `AsyncResult` at once, whose
//! `get(timeout)` waits at most that long; `imap_unordered` yields each
//! result as soon as it is ready; `starmap` calls `f(*args)` for each tuple.
//! For that the feeders must outlive any one call: exercise 4's design
//! (a queue of jobs, long-lived threads) with exercise 5's workers.
//!
//! * `new` forks `size` workers (as in exercise 5) and starts one feeder
//!   thread per worker that owns it. The feeders share one job queue (an
//!   mpsc `Receiver` behind `Arc<Mutex<..>>`, as in exercise 4). A job is a
//!   task and a way to deliver its outcome: a boxed `FnOnce` the feeder
//!   calls with `Ok(result)` or `Err(why)`.
//! * A feeder runs each job's task on its worker (write a frame, read the
//!   reply). A task that panics is `Err` with its message; a worker that
//!   dies or replies garbage is `Err` too, and the feeder replaces it with
//!   a fresh one (see exercise 5), so the pool keeps its size.
//! * `apply_async` queues one job that delivers into a channel of its own
//!   and returns the receiving end inside an [`AsyncResult`]. `get(timeout)`
//!   waits at most `timeout`: [`GetError::Timeout`] if the task is not done,
//!   and a later `get` can still succeed.
//! * `imap_unordered` queues every task with a job that delivers
//!   `(index, outcome)` into one shared channel, and returns an iterator
//!   that yields whatever arrives first and ends after the last.
//! * `map` keeps the input order; `starmap` is `map` for a job that takes
//!   a pair (Rust has no `*args`: a tuple *is* the argument list).
//! * Dropping the pool lets the feeders finish the queued jobs, then
//!   closes every task pipe and reaps every worker.

use std::fmt;
use std::fs::File;
use std::io;
use std::marker::PhantomData;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork, pipe};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::given::{self, Reply};

/// Why [`AsyncResult::get`] has no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GetError {
    /// The task is not done yet; `get` may be called again.
    Timeout,
    /// The task failed (it panicked, or its worker died): why.
    Failed(String),
}

impl fmt::Display for GetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GetError::Timeout => write!(f, "the task is not done yet"),
            GetError::Failed(why) => write!(f, "the task failed: {why}"),
        }
    }
}

// ANCHOR: stub
/// A process pool with Python's asynchronous API.
pub struct AsyncPool<T, R> {
    // Replace with your fields: the sending end of the job queue, the
    // feeder threads' handles, and the workers' pids (shared with the
    // feeders, which replace failed workers).
    todo: PhantomData<fn(T) -> R>,
}

impl<T, R> AsyncPool<T, R>
where
    T: Serialize + DeserializeOwned + Send + 'static,
    R: Serialize + DeserializeOwned + Send + 'static,
{
    /// Forks `size` workers (at least 1), each with a feeder thread.
    pub fn new(size: usize, job: fn(T) -> R) -> io::Result<Self> {
        todo!("fork the workers; start a feeder thread for each")
    }

    /// The pids of the current workers.
    pub fn pids(&self) -> Vec<i32> {
        todo!()
    }

    /// Queues `task` and returns at once; the result comes through the
    /// handle.
    pub fn apply_async(&self, task: T) -> AsyncResult<R> {
        todo!("queue a job that delivers into a channel of its own")
    }

    /// Every task's `(index, outcome)`, each as soon as it is ready.
    #[allow(unreachable_code)] // remove with the todo!()
    pub fn imap_unordered(
        &self,
        tasks: Vec<T>,
    ) -> impl Iterator<Item = (usize, Result<R, String>)> + use<T, R> {
        todo!("queue every task, all delivering into one channel");
        std::iter::empty()
    }

    /// Every task's outcome, in input order.
    pub fn map(&self, tasks: Vec<T>) -> Vec<Result<R, String>> {
        todo!()
    }
}

impl<A, B, R> AsyncPool<(A, B), R>
where
    (A, B): Serialize + DeserializeOwned + Send + 'static,
    R: Serialize + DeserializeOwned + Send + 'static,
{
    /// `job((a, b))` for every pair, in input order: Python's `starmap`.
    pub fn starmap(&self, pairs: Vec<(A, B)>) -> Vec<Result<R, String>> {
        todo!()
    }
}

impl<T, R> Drop for AsyncPool<T, R> {
    /// Lets the queued jobs finish, then closes and reaps every worker.
    fn drop(&mut self) {}
}

/// The result of one `apply_async`, like Python's `AsyncResult`.
pub struct AsyncResult<R> {
    // Replace with your field: the receiving end of the job's channel.
    todo: PhantomData<R>,
}

impl<R> AsyncResult<R> {
    /// The result if it comes within `timeout`; `Err(GetError::Timeout)`
    /// if not (and a later call may still get it); `Err(Failed(why))` if
    /// the task failed.
    pub fn get(&self, timeout: Duration) -> Result<R, GetError> {
        todo!("wait at most timeout")
    }

    /// Waits as long as it takes.
    pub fn wait(&self) -> Result<R, String> {
        todo!()
    }
}
// ANCHOR_END: stub
