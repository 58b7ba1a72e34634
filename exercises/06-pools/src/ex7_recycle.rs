//! Exercise 7: `initializer` and `maxtasksperchild`.
//!
//! Python's `Pool(initializer=init, maxtasksperchild=k)` runs `init()` once
//! in every worker process before its first task (open a connection, load a
//! model), and retires a worker after it has done `k` tasks: the worker
//! exits and a fresh one, which runs `init()` again, takes its place. It is
//! the cure for a leak in code you cannot fix. Build the same on forked
//! workers.
//!
//! * `new` forks `size` workers like exercise 5 (two pipes each, the child
//!   calls [`given::worker_main`]). In the child, run the initializer
//!   *before* handing over to `worker_main`: once per process, never in the
//!   parent, never per task. `maxtasksperchild` of `Some(0)` is an error
//!   (`io::ErrorKind::InvalidInput`), as in Python.
//! * `map` returns `[job(tasks[0]), job(tasks[1]), ...]` in input order,
//!   keeping every worker busy (a feeder thread per worker, as in exercise
//!   5). Count the tasks each worker has answered; right after its `k`-th
//!   reply, retire it (close its task pipe: it exits; then reap it with
//!   `waitpid` at once, not at drop) and start a fresh worker in its slot.
//!   The count belongs to the worker, not to one call of `map`.
//! * A failure (a task that panics, a worker that dies) makes `map` return
//!   an `Err`; exercise 5 shows how to do better, and this exercise does not
//!   ask for it.
//! * Dropping the pool closes every task pipe and reaps every worker.

use std::fs::File;
use std::io;
use std::marker::PhantomData;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::Mutex;
use std::thread;

use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, Pid, fork, pipe};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::given::{self, Reply};

// ANCHOR: stub
/// A pool of forked workers that each run `initializer` once and retire
/// after `maxtasksperchild` tasks.
pub struct RecyclingPool<T, R> {
    // Replace with your fields: the workers (pid, the parent's pipe ends,
    // how many tasks each has answered), the initializer, the limit and the
    // job, to start replacements with.
    todo: PhantomData<fn(T) -> R>,
}

impl<T, R> RecyclingPool<T, R>
where
    T: Serialize + DeserializeOwned + Sync,
    R: Serialize + DeserializeOwned + Send,
{
    /// Forks `size` workers (at least 1); each runs `initializer` (if any)
    /// once, then `job` on every task it gets, and is replaced by a fresh
    /// one after `maxtasksperchild` tasks (if any).
    pub fn new(
        size: usize,
        initializer: Option<fn()>,
        maxtasksperchild: Option<usize>,
        job: fn(T) -> R,
    ) -> io::Result<Self> {
        todo!("check the limit; fork size workers that run the initializer")
    }

    /// The pids of the current workers.
    pub fn pids(&self) -> Vec<i32> {
        todo!()
    }

    /// `[job(tasks[0]), job(tasks[1]), ...]` in input order; a worker that
    /// reaches its limit is retired, reaped and replaced on the way.
    pub fn map(&mut self, tasks: &[T]) -> io::Result<Vec<R>> {
        todo!("a feeder thread per worker, counting each worker's tasks")
    }
}

impl<T, R> Drop for RecyclingPool<T, R> {
    /// Closes every task pipe and reaps every worker.
    fn drop(&mut self) {}
}
// ANCHOR_END: stub
