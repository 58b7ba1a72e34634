//! Exercise 5 solution: a process pool that survives its workers.

use std::fmt;
use std::fs::File;
use std::io;
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

// ANCHOR: worker
/// One worker process and the parent's ends of its two pipes.
struct Worker {
    pid: Pid,
    tasks: File,
    replies: File,
}

fn start_worker<T, R>(job: fn(T) -> R) -> io::Result<Worker>
where
    T: DeserializeOwned,
    R: Serialize,
{
    let (task_r, task_w): (OwnedFd, OwnedFd) = pipe()?;
    let (reply_r, reply_w): (OwnedFd, OwnedFd) = pipe()?;
    // SAFETY: the child runs only `worker_main`, which reads and writes raw
    // descriptors, runs `job`, and `_exit`s; it never returns into our caller.
    match unsafe { fork() }? {
        ForkResult::Child => given::worker_main(task_r.as_raw_fd(), reply_w.as_raw_fd(), job),
        ForkResult::Parent { child } => {
            // The child's ends must close here, or the parent never reads
            // end-of-file when the child dies.
            drop(task_r);
            drop(reply_w);
            Ok(Worker {
                pid: child,
                tasks: File::from(task_w),
                replies: File::from(reply_r),
            })
        }
    }
}
// ANCHOR_END: worker

/// Kills (if still alive) and reaps a worker that failed; says how it ended.
fn bury(pid: Pid) -> String {
    // A worker that sent garbage may still be running; one that closed its
    // pipe is probably dead already. SIGKILL to a dead, unreaped child is
    // harmless, and waitpid then reports how it really ended.
    let _ = kill(pid, Signal::SIGKILL);
    match waitpid(pid, None) {
        Ok(WaitStatus::Exited(_, code)) => format!("exited with status {code}"),
        Ok(WaitStatus::Signaled(_, sig, _)) => format!("killed by {sig}"),
        Ok(other) => format!("ended: {other:?}"),
        Err(e) => format!("could not be reaped: {e}"),
    }
}

// ANCHOR: run_one
/// Sends one task to `worker` and reads its reply. On any failure the
/// worker is buried and replaced, and the error names the task.
fn run_one<T, R>(
    worker: &mut Worker,
    job: fn(T) -> R,
    task: usize,
    input: &T,
) -> Result<R, TaskError>
where
    T: Serialize + DeserializeOwned,
    R: Serialize + DeserializeOwned,
{
    let sent = given::write_frame(&mut worker.tasks, &given::encode(input));
    let error = match sent
        .map_err(FrameError::Io)
        .and_then(|()| given::read_frame(&mut worker.replies))
    {
        Ok(frame) => match given::decode::<Reply<R>>(&frame) {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(message)) => return Err(TaskError::Panicked { task, message }),
            Err(e) => TaskError::BadReply {
                task,
                why: format!("the reply could not be decoded: {e}"),
            },
        },
        Err(FrameError::Closed) => TaskError::WorkerDied {
            task,
            pid: worker.pid.as_raw(),
            how: String::new(),
        },
        Err(e) => TaskError::BadReply {
            task,
            why: e.to_string(),
        },
    };
    // The worker is dead, or its pipe is out of step: bury it and start a
    // fresh one in its place, so the pool keeps its size.
    let how = bury(worker.pid);
    if let Ok(fresh) = start_worker(job) {
        *worker = fresh;
    }
    Err(match error {
        TaskError::WorkerDied { task, pid, .. } => TaskError::WorkerDied { task, pid, how },
        other => other,
    })
}
// ANCHOR_END: run_one

// ANCHOR: pool
pub struct ProcessPool<T, R> {
    workers: Vec<Worker>,
    job: fn(T) -> R,
}

impl<T, R> ProcessPool<T, R>
where
    T: Serialize + DeserializeOwned + Sync,
    R: Serialize + DeserializeOwned + Send,
{
    pub fn new(size: usize, job: fn(T) -> R) -> io::Result<Self> {
        let mut pool = ProcessPool {
            workers: Vec::new(),
            job,
        };
        for _ in 0..size.max(1) {
            // On an error, `pool` is dropped here and reaps the ones started.
            pool.workers.push(start_worker(job)?);
        }
        Ok(pool)
    }

    pub fn size(&self) -> usize {
        self.workers.len()
    }

    pub fn pids(&self) -> Vec<i32> {
        self.workers.iter().map(|w| w.pid.as_raw()).collect()
    }

    pub fn map(&mut self, tasks: &[T]) -> Vec<Result<R, TaskError>> {
        let job = self.job;
        let next = Mutex::new(tasks.iter().enumerate());
        let mut done: Vec<(usize, Result<R, TaskError>)> = Vec::with_capacity(tasks.len());
        thread::scope(|s| {
            // One thread per worker feeds it tasks, one at a time.
            let feeders: Vec<_> = self
                .workers
                .iter_mut()
                .map(|worker| {
                    let next = &next;
                    s.spawn(move || {
                        let mut mine = Vec::new();
                        loop {
                            let item = next.lock().unwrap().next();
                            let Some((i, input)) = item else { break };
                            mine.push((i, run_one(worker, job, i, input)));
                        }
                        mine
                    })
                })
                .collect();
            for feeder in feeders {
                done.extend(feeder.join().expect("a feeder thread does not panic"));
            }
        });
        // Back to input order.
        done.sort_by_key(|(i, _)| *i);
        done.into_iter().map(|(_, r)| r).collect()
    }
}

impl<T, R> Drop for ProcessPool<T, R> {
    fn drop(&mut self) {
        for worker in self.workers.drain(..) {
            // Closing the task pipe is the worker's signal to `_exit`.
            drop(worker.tasks);
            drop(worker.replies);
        }
    }
}
// ANCHOR_END: pool
