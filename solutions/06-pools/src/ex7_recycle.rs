//! Exercise 7 solution: `initializer` and `maxtasksperchild`.

use std::fs::File;
use std::io;
use std::mem;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::Mutex;
use std::thread;

use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, Pid, fork, pipe};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::given::{self, Reply};

// ANCHOR: start
/// One worker, the parent's ends of its pipes, and how many tasks it has
/// answered.
struct Worker {
    pid: Pid,
    tasks: File,
    replies: File,
    done: usize,
}

fn start<T, R>(initializer: Option<fn()>, job: fn(T) -> R) -> io::Result<Worker>
where
    T: DeserializeOwned,
    R: Serialize,
{
    let (task_r, task_w): (OwnedFd, OwnedFd) = pipe()?;
    let (reply_r, reply_w): (OwnedFd, OwnedFd) = pipe()?;
    // SAFETY: the child runs the initializer and `worker_main`, which
    // `_exit`s; it never returns into our caller.
    match unsafe { fork() }? {
        ForkResult::Child => {
            // In the child, before the first task: once per process.
            if let Some(init) = initializer {
                init();
            }
            given::worker_main(task_r.as_raw_fd(), reply_w.as_raw_fd(), job)
        }
        ForkResult::Parent { child } => {
            drop(task_r);
            drop(reply_w);
            Ok(Worker {
                pid: child,
                tasks: File::from(task_w),
                replies: File::from(reply_r),
                done: 0,
            })
        }
    }
}

/// Closes a worker's task pipe (it exits on end-of-file) and reaps it.
fn retire(worker: Worker) {
    drop(worker.tasks);
    drop(worker.replies);
    let _ = waitpid(worker.pid, None);
}
// ANCHOR_END: start

/// Sends one task and reads its reply; any failure is an `io::Error`.
fn run<T: Serialize, R: DeserializeOwned>(worker: &mut Worker, task: &T) -> io::Result<R> {
    given::write_frame(&mut worker.tasks, &given::encode(task))?;
    let frame = given::read_frame(&mut worker.replies)
        .map_err(|e| io::Error::other(format!("worker {}: {e}", worker.pid)))?;
    match given::decode::<Reply<R>>(&frame) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(message)) => Err(io::Error::other(format!("a task panicked: {message}"))),
        Err(e) => Err(io::Error::new(io::ErrorKind::InvalidData, e)),
    }
}

// ANCHOR: pool
pub struct RecyclingPool<T, R> {
    workers: Vec<Worker>,
    initializer: Option<fn()>,
    maxtasksperchild: Option<usize>,
    job: fn(T) -> R,
}

impl<T, R> RecyclingPool<T, R>
where
    T: Serialize + DeserializeOwned + Sync,
    R: Serialize + DeserializeOwned + Send,
{
    pub fn new(
        size: usize,
        initializer: Option<fn()>,
        maxtasksperchild: Option<usize>,
        job: fn(T) -> R,
    ) -> io::Result<Self> {
        if maxtasksperchild == Some(0) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "maxtasksperchild must be at least 1",
            ));
        }
        let mut pool = RecyclingPool {
            workers: Vec::new(),
            initializer,
            maxtasksperchild,
            job,
        };
        for _ in 0..size.max(1) {
            pool.workers.push(start(initializer, job)?);
        }
        Ok(pool)
    }

    pub fn pids(&self) -> Vec<i32> {
        self.workers.iter().map(|w| w.pid.as_raw()).collect()
    }

    pub fn map(&mut self, tasks: &[T]) -> io::Result<Vec<R>> {
        let (init, job) = (self.initializer, self.job);
        let limit = self.maxtasksperchild;
        let next = Mutex::new(tasks.iter().enumerate());
        let mut done = Vec::with_capacity(tasks.len());
        thread::scope(|s| {
            let feeders: Vec<_> = self
                .workers
                .iter_mut()
                .map(|worker| {
                    let next = &next;
                    s.spawn(move || -> io::Result<Vec<(usize, R)>> {
                        let mut mine = Vec::new();
                        loop {
                            let item = next.lock().unwrap().next();
                            let Some((i, task)) = item else { break };
                            mine.push((i, run(worker, task)?));
                            worker.done += 1;
                            // Right after its k-th reply: a fresh worker
                            // takes the slot, the old one is reaped now.
                            if Some(worker.done) == limit {
                                let fresh = start(init, job)?;
                                retire(mem::replace(worker, fresh));
                            }
                        }
                        Ok(mine)
                    })
                })
                .collect();
            let mut result = Ok(());
            for feeder in feeders {
                match feeder.join().expect("a feeder thread does not panic") {
                    Ok(mine) => done.extend(mine),
                    Err(e) => result = Err(e),
                }
            }
            result
        })?;
        done.sort_by_key(|(i, _)| *i);
        Ok(done.into_iter().map(|(_, r)| r).collect())
    }
}

impl<T, R> Drop for RecyclingPool<T, R> {
    fn drop(&mut self) {
        for worker in self.workers.drain(..) {
            retire(worker);
        }
    }
}
// ANCHOR_END: pool
