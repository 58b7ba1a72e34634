//! Exercise 8 solution: Python's asynchronous API on a process pool.

use std::fmt;
use std::fs::File;
use std::io;
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

/// What a feeder calls with a task's outcome: `Ok(result)`, or why not.
type Deliver<R> = Box<dyn FnOnce(Result<R, String>) + Send>;

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
    // SAFETY: the child runs only `worker_main`, which `_exit`s.
    match unsafe { fork() }? {
        ForkResult::Child => given::worker_main(task_r.as_raw_fd(), reply_w.as_raw_fd(), job),
        ForkResult::Parent { child } => {
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

/// Closes a worker's task pipe and reaps it (a failed one is killed first).
fn retire(worker: Worker, failed: bool) -> String {
    if failed {
        let _ = kill(worker.pid, Signal::SIGKILL);
    }
    drop(worker.tasks);
    drop(worker.replies);
    match waitpid(worker.pid, None) {
        Ok(WaitStatus::Exited(_, code)) => format!("exited with status {code}"),
        Ok(WaitStatus::Signaled(_, sig, _)) => format!("killed by {sig}"),
        Ok(other) => format!("ended: {other:?}"),
        Err(e) => format!("could not be reaped: {e}"),
    }
}

/// Runs one task; a worker that fails is replaced in `worker`.
fn run_one<T, R>(worker: &mut Worker, job: fn(T) -> R, task: &T) -> Result<R, String>
where
    T: Serialize + DeserializeOwned,
    R: DeserializeOwned + Serialize,
{
    let reply = given::write_frame(&mut worker.tasks, &given::encode(task))
        .map_err(|e| e.to_string())
        .and_then(|()| given::read_frame(&mut worker.replies).map_err(|e| e.to_string()))
        .and_then(|frame| given::decode::<Reply<R>>(&frame).map_err(|e| e.to_string()));
    match reply {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(message)) => Err(format!("the task panicked: {message}")),
        Err(why) => {
            let pid = worker.pid;
            let how = match start_worker(job) {
                Ok(fresh) => retire(std::mem::replace(worker, fresh), true),
                Err(e) => format!("could not be replaced: {e}"),
            };
            Err(format!("its worker (pid {pid}) failed ({why}) and {how}"))
        }
    }
}

// ANCHOR: pool
/// A process pool with Python's asynchronous API. Each worker has a feeder
/// thread that lives as long as the pool and takes jobs from one queue.
pub struct AsyncPool<T, R> {
    queue: Option<mpsc::Sender<(T, Deliver<R>)>>,
    feeders: Vec<JoinHandle<()>>,
    pids: Arc<Mutex<Vec<i32>>>,
}

impl<T, R> AsyncPool<T, R>
where
    T: Serialize + DeserializeOwned + Send + 'static,
    R: Serialize + DeserializeOwned + Send + 'static,
{
    pub fn new(size: usize, job: fn(T) -> R) -> io::Result<Self> {
        let (queue, jobs) = mpsc::channel::<(T, Deliver<R>)>();
        let jobs = Arc::new(Mutex::new(jobs));
        let mut pool = AsyncPool {
            queue: Some(queue),
            feeders: Vec::new(),
            pids: Arc::new(Mutex::new(Vec::new())),
        };
        for slot in 0..size.max(1) {
            // On an error, `pool` is dropped here and reaps the ones started.
            let mut worker = start_worker(job)?;
            pool.pids.lock().unwrap().push(worker.pid.as_raw());
            let (jobs, pids) = (Arc::clone(&jobs), Arc::clone(&pool.pids));
            pool.feeders.push(thread::spawn(move || {
                loop {
                    let next = jobs.lock().unwrap().recv();
                    let Ok((task, deliver)) = next else { break };
                    let result = run_one(&mut worker, job, &task);
                    pids.lock().unwrap()[slot] = worker.pid.as_raw();
                    deliver(result);
                }
                retire(worker, false);
            }));
        }
        Ok(pool)
    }

    pub fn pids(&self) -> Vec<i32> {
        self.pids.lock().unwrap().clone()
    }

    fn submit(&self, task: T, deliver: Deliver<R>) {
        if let Some(queue) = &self.queue {
            let _ = queue.send((task, deliver));
        }
    }

    pub fn apply_async(&self, task: T) -> AsyncResult<R> {
        let (tx, rx) = mpsc::channel();
        self.submit(task, Box::new(move |r| drop(tx.send(r))));
        AsyncResult { rx }
    }

    pub fn imap_unordered(
        &self,
        tasks: Vec<T>,
    ) -> impl Iterator<Item = (usize, Result<R, String>)> + use<T, R> {
        let (tx, rx) = mpsc::channel();
        for (i, task) in tasks.into_iter().enumerate() {
            let tx = tx.clone();
            self.submit(task, Box::new(move |r| drop(tx.send((i, r)))));
        }
        // Ends when every job has delivered: each holds a Sender.
        rx.into_iter()
    }

    pub fn map(&self, tasks: Vec<T>) -> Vec<Result<R, String>> {
        let handles: Vec<_> = tasks.into_iter().map(|t| self.apply_async(t)).collect();
        handles.into_iter().map(|h| h.wait()).collect()
    }
}

impl<A, B, R> AsyncPool<(A, B), R>
where
    (A, B): Serialize + DeserializeOwned + Send + 'static,
    R: Serialize + DeserializeOwned + Send + 'static,
{
    pub fn starmap(&self, pairs: Vec<(A, B)>) -> Vec<Result<R, String>> {
        self.map(pairs)
    }
}

impl<T, R> Drop for AsyncPool<T, R> {
    fn drop(&mut self) {
        // Each feeder finishes the queue, then retires its worker (closes,
        // reaps) and ends; the queue itself goes with the pool's fields.
        for feeder in self.feeders.drain(..) {
            let _ = feeder.join();
        }
    }
}
// ANCHOR_END: pool

// ANCHOR: result
/// The result of one `apply_async`, like Python's `AsyncResult`.
pub struct AsyncResult<R> {
    rx: mpsc::Receiver<Result<R, String>>,
}

impl<R> AsyncResult<R> {
    pub fn get(&self, timeout: Duration) -> Result<R, GetError> {
        match self.rx.recv_timeout(timeout) {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(why)) => Err(GetError::Failed(why)),
            Err(RecvTimeoutError::Timeout) => Err(GetError::Timeout),
            Err(RecvTimeoutError::Disconnected) => Err(GetError::Failed(
                "no result: it was taken already, or the pool is gone".into(),
            )),
        }
    }

    /// Waits as long as it takes.
    pub fn wait(&self) -> Result<R, String> {
        self.rx
            .recv()
            .unwrap_or_else(|_| Err("no result: it was taken already, or the pool is gone".into()))
    }
}
// ANCHOR_END: result
