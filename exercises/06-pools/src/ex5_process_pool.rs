//! Exercise 5: a process pool that survives its workers.
//!
//! Python's `Pool` forks its workers, pickles tasks and results over pipes,
//! and has one weak spot: when a worker dies in the middle of a task (killed,
//! segfault, `os._exit`), the pool starts a replacement but the lost task is
//! never answered, and `map` waits forever. Build a pool without that flaw.
//!
//! * `new` forks `size` workers. A worker gets two pipes: tasks in, replies
//!   out. In the child, call [`given::worker_main`] right after `fork`: it
//!   moves the pipes to fd 0 and 1, answers tasks, and `_exit`s when its task
//!   pipe reaches end-of-file. In the parent, close the child's ends.
//! * `map` sends each task as one frame ([`given::write_frame`] of
//!   [`given::encode`]) and reads one reply frame ([`given::read_frame`],
//!   [`given::decode`] as a [`given::Reply<R>`]). Keep every worker busy at
//!   once: one feeder thread per worker (scoped threads may borrow the
//!   workers mutably) taking tasks from a shared queue works well.
//! * When a reply never comes (the pipe reaches end-of-file) or is not a
//!   valid reply, that task's result is a [`TaskError`] naming the task; the
//!   failed worker is killed if needed and reaped, and a fresh one takes its
//!   place, so the pool keeps its size and the other tasks go on.
//! * Dropping the pool closes every task pipe and reaps every worker.

use std::fmt;
use std::fs::File;
use std::io;
use std::marker::PhantomData;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::Mutex;
use std::thread;

use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork, pipe};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::given::{self, FrameError, Reply};

/// Why one task has no result. Every variant names the task (its index in
/// the input of `map`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskError {
    /// The task panicked in its worker; the worker lives on.
    Panicked { task: usize, message: String },
    /// The worker running the task died or closed its pipe before replying.
    WorkerDied { task: usize, pid: i32, how: String },
    /// The worker's reply was not a valid frame of a valid `Reply<R>`.
    BadReply { task: usize, why: String },
}

impl TaskError {
    /// The index of the task this error belongs to.
    pub fn task(&self) -> usize {
        match self {
            TaskError::Panicked { task, .. }
            | TaskError::WorkerDied { task, .. }
            | TaskError::BadReply { task, .. } => *task,
        }
    }
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TaskError::Panicked { task, message } => write!(f, "task {task} panicked: {message}"),
            TaskError::WorkerDied { task, pid, how } => {
                write!(f, "task {task}: its worker (pid {pid}) died: {how}")
            }
            TaskError::BadReply { task, why } => write!(f, "task {task}: bad reply: {why}"),
        }
    }
}

// ANCHOR: stub
/// A pool of forked worker processes running `job`.
pub struct ProcessPool<T, R> {
    // Replace with your fields: the workers (pid and the parent's ends of
    // their pipes), and `job`, to start replacements with.
    todo: PhantomData<fn(T) -> R>,
}

impl<T, R> ProcessPool<T, R>
where
    T: Serialize + DeserializeOwned + Sync,
    R: Serialize + DeserializeOwned + Send,
{
    /// Forks `size` workers (at least 1) that run `job` on every task.
    pub fn new(size: usize, job: fn(T) -> R) -> io::Result<Self> {
        todo!("fork size workers, each with a task pipe and a reply pipe")
    }

    /// How many workers the pool has.
    pub fn size(&self) -> usize {
        todo!()
    }

    /// The pids of the current workers.
    pub fn pids(&self) -> Vec<i32> {
        todo!()
    }

    /// `[job(tasks[0]), job(tasks[1]), ...]` in input order, computed by the
    /// workers; a task whose worker panicked, died or replied garbage gets
    /// an `Err` naming it, and its worker is replaced.
    pub fn map(&mut self, tasks: &[T]) -> Vec<Result<R, TaskError>> {
        todo!("a feeder thread per worker; replace a worker that fails")
    }
}

impl<T, R> Drop for ProcessPool<T, R> {
    /// Closes every task pipe and reaps every worker.
    fn drop(&mut self) {}
}
// ANCHOR_END: stub
