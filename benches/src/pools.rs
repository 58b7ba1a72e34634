//! Pools chapter: what a task costs on each kind of pool, how chunksize
//! trades overhead against balance, and how the pools cope with tasks of
//! very different sizes.
//!
//! The pools measured are the chapter's own designs, written out here in
//! their shortest form (the benches must build without `solutions/`): the
//! chunk-queue `map` of exercise 2, the thread pool of exercise 4 and the
//! forked process pool of exercise 5 (postcard frames over pipes, without
//! the recovery from dead workers, which costs nothing while no worker
//! dies, and with a window of tasks in flight per worker, which the
//! exercise leaves out); and rayon's pool.

use std::collections::VecDeque;
use std::fs::File;
use std::hint::black_box;
use std::io::{self, BufReader, Read, Write};
use std::mem::ManuallyDrop;
use std::ops::Range;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::panic::{self, AssertUnwindSafe};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::{self, JoinHandle};

use nix::fcntl::OFlag;
use nix::libc;
use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, Pid, fork, pipe2};
use rayon::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::processes::count_primes;

/// Python's default chunksize for `len` items on `workers` workers:
/// `len / (4 * workers)` rounded up (0 for an empty input).
pub fn default_chunksize(len: usize, workers: usize) -> usize {
    len.div_ceil(4 * workers.max(1))
}

/// The chunks of `0..len`, the last one possibly shorter.
pub fn chunk_ranges(len: usize, chunksize: usize) -> Vec<Range<usize>> {
    (0..len)
        .step_by(chunksize.max(1))
        .map(|start| start..(start + chunksize).min(len))
        .collect()
}

/// Exercise 2's `map`: `workers` scoped threads take chunks from one queue;
/// the results are put back in input order.
pub fn queue_map<F>(workers: usize, xs: &[u64], chunksize: Option<usize>, f: F) -> Vec<u64>
where
    F: Fn(u64) -> u64 + Sync,
{
    let size = chunksize.unwrap_or_else(|| default_chunksize(xs.len(), workers));
    let queue = Mutex::new(chunk_ranges(xs.len(), size).into_iter());
    let (tx, rx) = mpsc::channel();
    thread::scope(|s| {
        for _ in 0..workers.max(1) {
            let (queue, tx, f) = (&queue, tx.clone(), &f);
            s.spawn(move || {
                loop {
                    let next = queue.lock().unwrap().next();
                    let Some(r) = next else { break };
                    let start = r.start;
                    let _ = tx.send((start, xs[r].iter().map(|&x| f(x)).collect::<Vec<_>>()));
                }
            });
        }
    });
    drop(tx);
    let mut chunks: Vec<(usize, Vec<u64>)> = rx.into_iter().collect();
    chunks.sort_by_key(|(start, _)| *start);
    chunks.into_iter().flat_map(|(_, r)| r).collect()
}

type Job = Box<dyn FnOnce() + Send + 'static>;

/// Exercise 4's thread pool: fixed workers over one channel of boxed jobs.
pub struct ThreadPool {
    sender: Option<mpsc::Sender<Job>>,
    workers: Vec<JoinHandle<()>>,
}

/// One job's result, as `Future.result()` gives it.
pub struct JobHandle<R>(mpsc::Receiver<thread::Result<R>>);

impl ThreadPool {
    pub fn new(size: usize) -> ThreadPool {
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let workers = (0..size.max(1))
            .map(|_| {
                let receiver = Arc::clone(&receiver);
                thread::spawn(move || {
                    loop {
                        let job = receiver.lock().unwrap().recv();
                        match job {
                            Ok(job) => job(),
                            Err(_) => break,
                        }
                    }
                })
            })
            .collect();
        ThreadPool {
            sender: Some(sender),
            workers,
        }
    }

    pub fn submit<R: Send + 'static>(
        &self,
        job: impl FnOnce() -> R + Send + 'static,
    ) -> JobHandle<R> {
        let (tx, rx) = mpsc::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(panic::catch_unwind(AssertUnwindSafe(job)));
        });
        if let Some(sender) = &self.sender {
            let _ = sender.send(job);
        }
        JobHandle(rx)
    }
}

impl<R> JobHandle<R> {
    /// The job's result; `None` if it panicked.
    pub fn wait(self) -> Option<R> {
        self.0.recv().ok().and_then(Result::ok)
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        drop(self.sender.take());
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
    }
}

fn write_frame(w: &mut Vec<u8>, payload: &[u8]) {
    w.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    w.extend_from_slice(payload);
}

/// Reads one frame of at most 64 MiB.
fn read_frame(r: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len)?;
    let len = u32::from_le_bytes(len) as usize;
    if len > 64 << 20 {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "frame too long"));
    }
    let mut payload = vec![0u8; len];
    r.read_exact(&mut payload)?;
    Ok(payload)
}

struct Worker {
    pid: Pid,
    tasks: File,
    replies: File,
}

/// Exercise 5's process pool, without the replacement of failed workers,
/// and with a window: forked workers, each fed postcard frames over its own
/// pair of pipes, each with up to [`WINDOW`] tasks in flight.
pub struct ProcessPool<T, R> {
    workers: Vec<Worker>,
    _job: fn(T) -> R,
}

/// A worker died or answered garbage; map stops and names what it held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerLost {
    /// The worker's pid.
    pub pid: i32,
    /// Every task (its index in the input) the worker held unanswered:
    /// the one it was running and the ones queued behind it.
    pub held: Vec<usize>,
}

// ANCHOR: window
/// Tasks sent to a worker before the reply to the first of them is back.
pub const WINDOW: usize = 32;
/// At most this many bytes of tasks are in flight to one worker (beyond a
/// first task of any size). A pipe holds at least a page, so a write never
/// blocks while the worker is itself blocked writing replies that nobody
/// reads: the window cannot deadlock.
pub const WINDOW_BYTES: usize = 4096;

/// The worker: reads frames through a buffer, and writes its replies only
/// when it has no task left in that buffer, so a full window costs one
/// read and one write, not one each per task.
fn serve<T: DeserializeOwned, R: Serialize>(
    tasks: OwnedFd,
    replies: OwnedFd,
    job: fn(T) -> R,
) -> ! {
    let (t, r) = (tasks.as_raw_fd(), replies.as_raw_fd());
    // SAFETY: plain system calls on descriptors this child owns: the pipes
    // go to fd 0 and 1, and every other inherited descriptor is closed.
    unsafe {
        libc::dup2(t, 0);
        libc::dup2(r, 1);
        libc::close_range(3, u32::MAX, 0);
    }
    std::mem::forget((tasks, replies));
    serve_stdio(job)
}

/// The worker's loop on fd 0 (tasks) and fd 1 (replies), for a forked
/// worker once its pipes are there, and for a spawned one from the start.
fn serve_stdio<T: DeserializeOwned, R: Serialize>(job: fn(T) -> R) -> ! {
    // SAFETY: fd 0 and 1 are the pipes just put there; never closed twice.
    let input = ManuallyDrop::new(unsafe { File::from_raw_fd(0) });
    // SAFETY: as above.
    let mut output = ManuallyDrop::new(unsafe { File::from_raw_fd(1) });
    let mut input = BufReader::new(&*input);
    let mut out = Vec::new();
    let code = loop {
        let Ok(frame) = read_frame(&mut input) else {
            break 0;
        };
        let Ok(task) = postcard::from_bytes::<T>(&frame) else {
            break 2;
        };
        let reply = postcard::to_stdvec(&job(task)).expect("encodes");
        write_frame(&mut out, &reply);
        // Nothing more to do without a read that may block: send the
        // replies now, or the parent waits for them while we wait for it.
        if input.buffer().is_empty() || out.len() >= WINDOW_BYTES {
            if output.write_all(&out).is_err() {
                break 3;
            }
            out.clear();
        }
    };
    // SAFETY: ends the worker without running the parent's destructors.
    unsafe { libc::_exit(code) }
}

/// Feeds one worker from the shared queue, keeping up to [`WINDOW`] tasks
/// in flight, and returns its `(index, result)` pairs. Replies come back in
/// the order the tasks were sent, so the oldest task held is always the one
/// the next reply answers.
fn feed<'a, T, R>(
    w: &mut Worker,
    next: &Mutex<impl Iterator<Item = (usize, &'a T)>>,
) -> Result<Vec<(usize, R)>, WorkerLost>
where
    T: Serialize + 'a,
    R: DeserializeOwned,
{
    let mut replies = BufReader::new(&w.replies);
    let mut held: VecDeque<(usize, usize)> = VecDeque::new(); // (index, bytes)
    let mut held_bytes = 0;
    let mut waiting: Option<(usize, Vec<u8>)> = None; // taken, not yet sent
    let mut out = Vec::new();
    let mut mine = Vec::new();
    let mut broken = false; // a write failed: the worker is gone
    loop {
        // Top the window up: one write for all the tasks it takes.
        while held.len() < WINDOW && !broken {
            if waiting.is_none() {
                let item = next.lock().unwrap().next();
                let Some((i, task)) = item else { break };
                let bytes = postcard::to_stdvec(task).expect("encodes");
                waiting = Some((i, bytes));
            }
            let Some((i, bytes)) = waiting.take() else {
                break;
            };
            if !held.is_empty() && held_bytes + 4 + bytes.len() > WINDOW_BYTES {
                waiting = Some((i, bytes));
                break;
            }
            write_frame(&mut out, &bytes);
            held_bytes += 4 + bytes.len();
            held.push_back((i, 4 + bytes.len()));
        }
        if !out.is_empty() {
            // On a failed write, stop sending but read on: the replies the
            // worker sent before it died are still in its pipe.
            broken |= (&w.tasks).write_all(&out).is_err();
            out.clear();
        }
        if held.is_empty() {
            // Only after a failed write can a task be taken and not sent.
            return match waiting {
                None => Ok(mine),
                Some((i, _)) => Err(lost(w, vec![i])),
            };
        }
        // Every reply that is here already (at least one), then top up.
        while let Some(&(i, bytes)) = held.front() {
            let reply = read_frame(&mut replies).ok();
            match reply.and_then(|r| postcard::from_bytes(&r).ok()) {
                Some(r) => mine.push((i, r)),
                None => return Err(lost(w, held.iter().map(|&(i, _)| i).collect())),
            }
            held.pop_front();
            held_bytes -= bytes;
            if replies.buffer().is_empty() {
                break;
            }
        }
    }
}

fn lost(w: &Worker, held: Vec<usize>) -> WorkerLost {
    WorkerLost {
        pid: w.pid.as_raw(),
        held,
    }
}
// ANCHOR_END: window

impl<T, R> ProcessPool<T, R>
where
    T: Serialize + DeserializeOwned + Sync,
    R: Serialize + DeserializeOwned + Send,
{
    pub fn new(size: usize, job: fn(T) -> R) -> io::Result<Self> {
        let mut pool = ProcessPool {
            workers: Vec::new(),
            _job: job,
        };
        for _ in 0..size.max(1) {
            // Close-on-exec: a spawned worker started later must not
            // inherit these ends and keep a forked worker's pipe open.
            let (task_r, task_w) = pipe2(OFlag::O_CLOEXEC)?;
            let (reply_r, reply_w) = pipe2(OFlag::O_CLOEXEC)?;
            // SAFETY: the child only decodes, computes, writes raw fds and
            // `_exit`s (the fork rule); it never returns into the caller.
            match unsafe { fork() }? {
                ForkResult::Child => serve(task_r, reply_w, job),
                ForkResult::Parent { child } => pool.workers.push(Worker {
                    pid: child,
                    tasks: File::from(task_w),
                    replies: File::from(reply_r),
                }),
            }
        }
        Ok(pool)
    }

    // ANCHOR: spawn
    /// Starts `size` workers by running this very executable again with
    /// [`WORKER_FLAG`] (Python's `spawn`): a fresh process, not a copy of
    /// this one, which must call [`serve_if_worker`] first thing in `main`
    /// with the same job. Tasks go to its stdin, replies come from stdout.
    pub fn spawn(size: usize) -> io::Result<Self> {
        let exe = std::env::current_exe()?;
        let mut pool = ProcessPool {
            workers: Vec::new(),
            _job: |_| unreachable!("the job runs in the spawned executable"),
        };
        for _ in 0..size.max(1) {
            let mut child = Command::new(&exe)
                .arg(WORKER_FLAG)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()?;
            let tasks = child.stdin.take().expect("stdin is a pipe");
            let replies = child.stdout.take().expect("stdout is a pipe");
            pool.workers.push(Worker {
                pid: Pid::from_raw(child.id() as i32),
                tasks: File::from(OwnedFd::from(tasks)),
                replies: File::from(OwnedFd::from(replies)),
            });
        }
        Ok(pool)
    }
    // ANCHOR_END: spawn

    /// The results in input order, or the first worker lost, naming every
    /// task it held. A pool that lost a worker is not repaired (exercise 5
    /// shows how); the bench's tasks never fail.
    pub fn try_map(&mut self, tasks: &[T]) -> Result<Vec<R>, WorkerLost> {
        let next = Mutex::new(tasks.iter().enumerate());
        let mut done: Vec<(usize, R)> = Vec::with_capacity(tasks.len());
        let mut lost = None;
        thread::scope(|s| {
            let feeders: Vec<_> = self
                .workers
                .iter_mut()
                .map(|w| {
                    let next = &next;
                    s.spawn(move || feed(w, next))
                })
                .collect();
            for f in feeders {
                match f.join().expect("a feeder does not panic") {
                    Ok(mine) => done.extend(mine),
                    Err(e) => lost = lost.take().or(Some(e)),
                }
            }
        });
        if let Some(e) = lost {
            return Err(e);
        }
        done.sort_by_key(|(i, _)| *i);
        Ok(done.into_iter().map(|(_, r)| r).collect())
    }

    /// The results in input order; panics if a worker fails (the bench's
    /// tasks never do).
    pub fn map(&mut self, tasks: &[T]) -> Vec<R> {
        self.try_map(tasks).expect("no worker fails in a bench")
    }
}

impl<T, R> Drop for ProcessPool<T, R> {
    fn drop(&mut self) {
        for w in self.workers.drain(..) {
            drop(w.tasks);
            drop(w.replies);
            let _ = waitpid(w.pid, None);
        }
    }
}

/// The first argument that makes this executable a spawned pool worker.
pub const WORKER_FLAG: &str = "--pools-worker";

/// If this process was started by [`ProcessPool::spawn`], serves `job` on
/// stdin and stdout and exits; otherwise returns at once.
pub fn serve_if_worker<T: DeserializeOwned, R: Serialize>(job: fn(T) -> R) {
    if std::env::args().nth(1).as_deref() == Some(WORKER_FLAG) {
        serve_stdio(job)
    }
}

// ANCHOR: busy
/// A task of `iters` rounds of integer mixing: pure CPU, no memory, no
/// allocation. Its cost grows linearly with `iters`; `busy(0, x)` is the
/// tiniest task there is.
pub fn busy(iters: u64, x: u64) -> u64 {
    let mut h = x ^ 0x9e37_79b9_7f4a_7c15;
    for _ in 0..iters {
        h = black_box(h.rotate_left(5).wrapping_mul(0x0100_0000_01b3) ^ 0x5bd1_e995);
    }
    h
}
// ANCHOR_END: busy

/// Rounds of [`busy`] that take about 1 µs on the machines we tried; the
/// results page says how long one task really took.
pub const ITERS_1US: u64 = 400;
/// Rounds of [`busy`] that take about 100 µs.
pub const ITERS_100US: u64 = 100 * ITERS_1US;

/// The tiny task: one round of mixing.
pub fn tiny(x: u64) -> u64 {
    busy(1, x)
}

/// A chunk of tiny tasks, for the process pool at a chunksize above 1.
pub fn tiny_chunk(xs: Vec<u64>) -> Vec<u64> {
    xs.into_iter().map(tiny).collect()
}

/// A chunk of 1 µs tasks.
pub fn micro_chunk(xs: Vec<u64>) -> Vec<u64> {
    xs.into_iter().map(|x| busy(ITERS_1US, x)).collect()
}

/// A chunk of 100 µs tasks.
pub fn hundred_micro_chunk(xs: Vec<u64>) -> Vec<u64> {
    xs.into_iter().map(|x| busy(ITERS_100US, x)).collect()
}

/// The inputs of a run: `0..n`.
pub fn inputs(n: u64) -> Vec<u64> {
    (0..n).collect()
}

/// A checksum of results, so no version can skip work.
pub fn checksum(results: &[u64]) -> u64 {
    results.iter().fold(0, |a, &r| a.wrapping_add(r))
}

/// `f` on every input, one after another.
pub fn serial(xs: &[u64], f: fn(u64) -> u64) -> u64 {
    checksum(&xs.iter().map(|&x| f(x)).collect::<Vec<_>>())
}

/// rayon's `par_iter` in `pool`, with rayon's own splitting, or with pieces
/// of at most `max_len` items (`with_max_len(1)`: one task per item).
pub fn rayon_map(
    pool: &rayon::ThreadPool,
    xs: &[u64],
    f: fn(u64) -> u64,
    max_len: Option<usize>,
) -> u64 {
    pool.install(|| {
        let results: Vec<u64> = match max_len {
            Some(m) => xs.par_iter().with_max_len(m).map(|&x| f(x)).collect(),
            None => xs.par_iter().map(|&x| f(x)).collect(),
        };
        checksum(&results)
    })
}

/// One job per input on the thread pool of exercise 4, then every handle
/// waited for: `ThreadPoolExecutor.submit` per item.
pub fn thread_pool_map(pool: &ThreadPool, xs: &[u64], f: fn(u64) -> u64) -> u64 {
    let handles: Vec<_> = xs.iter().map(|&x| pool.submit(move || f(x))).collect();
    let results: Vec<u64> = handles
        .into_iter()
        .map(|h| h.wait().expect("the bench's tasks do not panic"))
        .collect();
    checksum(&results)
}

/// The chunk-queue `map` of exercise 2 on `workers` threads.
pub fn queue_map_sum(
    workers: usize,
    xs: &[u64],
    chunksize: Option<usize>,
    f: fn(u64) -> u64,
) -> u64 {
    checksum(&queue_map(workers, xs, chunksize, f))
}

/// The process pool of exercise 5 at chunksize 1: one frame per task.
pub fn process_map_one(pool: &mut ProcessPool<u64, u64>, xs: &[u64]) -> u64 {
    checksum(&pool.map(xs))
}

/// The process pool of exercise 5 over chunks of `chunksize` inputs: each
/// task is a whole chunk, as `Pool.map` sends them.
pub fn process_map_chunked(
    pool: &mut ProcessPool<Vec<u64>, Vec<u64>>,
    xs: &[u64],
    chunksize: usize,
) -> u64 {
    let chunks: Vec<Vec<u64>> = chunk_ranges(xs.len(), chunksize)
        .into_iter()
        .map(|r| xs[r].to_vec())
        .collect();
    let results: Vec<u64> = pool.map(&chunks).into_iter().flatten().collect();
    checksum(&results)
}

/// Python's default chunksize for `n` items on `workers` workers.
pub fn python_chunksize(n: usize, workers: usize) -> usize {
    default_chunksize(n, workers).max(1)
}

// ANCHOR: skewed
/// The skewed load: `n` tasks, where the first quarter costs `heavy`
/// rounds of [`busy`] each and the rest 1 round. Cut in two halves, the
/// first half holds nearly all the work.
pub fn skewed_cost(i: u64, n: u64, heavy: u64) -> u64 {
    if i < n / 4 { heavy } else { 1 }
}

/// The skewed load split statically: `workers` scoped threads, each given
/// one contiguous block of the tasks.
pub fn skewed_static(n: u64, heavy: u64, workers: usize) -> u64 {
    let ranges = chunk_ranges(n as usize, (n as usize).div_ceil(workers));
    std::thread::scope(|s| {
        let handles: Vec<_> = ranges
            .into_iter()
            .map(|r| {
                s.spawn(move || {
                    r.map(|i| busy(skewed_cost(i as u64, n, heavy), i as u64))
                        .fold(0u64, u64::wrapping_add)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a bench thread does not panic"))
            .fold(0, u64::wrapping_add)
    })
}
// ANCHOR_END: skewed

/// The skewed load, serially.
pub fn skewed_serial(n: u64, heavy: u64) -> u64 {
    (0..n)
        .map(|i| busy(skewed_cost(i, n, heavy), i))
        .fold(0, u64::wrapping_add)
}

/// The skewed load from the chunk queue of exercise 2.
pub fn skewed_queue(n: u64, heavy: u64, workers: usize, chunksize: Option<usize>) -> u64 {
    let xs = inputs(n);
    queue_map(workers, &xs, chunksize, |i| {
        busy(skewed_cost(i, n, heavy), i)
    })
    .into_iter()
    .fold(0, u64::wrapping_add)
}

/// The skewed load on rayon, which splits and steals as it goes.
/// `max_len: Some(1)` makes rayon split down to single tasks, so an idle
/// thread can steal a heavy one; by default it stops splitting after a few
/// halvings and runs what is left in one piece.
pub fn skewed_rayon(pool: &rayon::ThreadPool, n: u64, heavy: u64, max_len: Option<usize>) -> u64 {
    let cost = |i| busy(skewed_cost(i, n, heavy), i);
    pool.install(|| match max_len {
        // (A range of usize is an indexed iterator, one of u64 is not.)
        Some(m) => (0..n as usize)
            .into_par_iter()
            .with_max_len(m)
            .map(|i| cost(i as u64))
            .reduce(|| 0, u64::wrapping_add),
        None => (0..n)
            .into_par_iter()
            .map(cost)
            .reduce(|| 0, u64::wrapping_add),
    })
}

/// The primes below `n`, counted by rayon in `pool`.
pub fn primes_rayon(pool: &rayon::ThreadPool, n: u64) -> u64 {
    pool.install(|| (0..n).into_par_iter().map(|m| count_primes(m, m + 1)).sum())
}

/// A rayon pool of `threads` threads.
pub fn rayon_pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a rayon pool starts")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_version_of_the_tiny_map_agrees() {
        let xs = inputs(1000);
        let want = serial(&xs, tiny);
        let rp = rayon_pool(2);
        assert_eq!(rayon_map(&rp, &xs, tiny, None), want);
        assert_eq!(rayon_map(&rp, &xs, tiny, Some(1)), want);
        assert_eq!(thread_pool_map(&ThreadPool::new(2), &xs, tiny), want);
        assert_eq!(queue_map_sum(2, &xs, None, tiny), want);
        let mut one = ProcessPool::new(2, tiny).unwrap();
        assert_eq!(process_map_one(&mut one, &xs), want);
        let mut chunked = ProcessPool::new(2, tiny_chunk).unwrap();
        assert_eq!(process_map_chunked(&mut chunked, &xs, 7), want);
        assert_eq!(
            process_map_chunked(&mut chunked, &xs, python_chunksize(1000, 2)),
            want
        );
    }

    fn killed_on_500(x: u64) -> u64 {
        if x == 500 {
            let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGKILL);
        }
        x
    }

    #[test]
    fn a_lost_worker_names_every_task_it_held() {
        let mut pool = ProcessPool::new(2, killed_on_500).unwrap();
        let pids: Vec<i32> = pool.workers.iter().map(|w| w.pid.as_raw()).collect();
        let err = pool.try_map(&inputs(1000)).unwrap_err();
        assert!(
            pids.contains(&err.pid),
            "{err:?} names a worker of {pids:?}"
        );
        // Replies the worker computed but had not yet written died with it:
        // 500 need not be the oldest task held, but it is held.
        assert!(err.held.contains(&500), "{err:?} names task 500");
        assert!(err.held.len() <= WINDOW, "{err:?} holds at most a window");
        assert!(err.held.windows(2).all(|p| p[0] < p[1]), "{err:?} in order");
    }

    #[test]
    fn big_tasks_and_replies_do_not_deadlock_the_window() {
        fn echo(v: Vec<u8>) -> Vec<u8> {
            v
        }
        let tasks: Vec<Vec<u8>> = (0..40).map(|i| vec![i as u8; 3000 * i]).collect();
        let mut pool = ProcessPool::new(2, echo).unwrap();
        assert_eq!(pool.map(&tasks), tasks);
    }

    #[test]
    fn every_version_of_the_skewed_load_agrees() {
        let want = skewed_serial(100, 50);
        assert_eq!(skewed_static(100, 50, 2), want);
        assert_eq!(skewed_static(101, 50, 3), skewed_serial(101, 50));
        assert_eq!(skewed_queue(100, 50, 2, Some(1)), want);
        assert_eq!(skewed_rayon(&rayon_pool(2), 100, 50, None), want);
        assert_eq!(skewed_rayon(&rayon_pool(2), 100, 50, Some(1)), want);
    }

    #[test]
    fn rayon_counts_the_primes_right() {
        assert_eq!(primes_rayon(&rayon_pool(2), 1000), 168);
    }

    #[test]
    fn the_chunk_tasks_match_the_single_ones() {
        let xs = inputs(10);
        let want: Vec<u64> = xs.iter().map(|&x| busy(ITERS_1US, x)).collect();
        assert_eq!(micro_chunk(xs.clone()), want);
        let want: Vec<u64> = xs.iter().map(|&x| busy(ITERS_100US, x)).collect();
        assert_eq!(hundred_micro_chunk(xs), want);
    }
}
