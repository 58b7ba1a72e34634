//! Pools chapter: what a task costs on each kind of pool, how chunksize
//! trades overhead against balance, and how the pools cope with tasks of
//! very different sizes.
//!
//! The pools measured are the chapter's own designs, written out here in
//! their shortest form (the benches must build without `solutions/`): the
//! chunk-queue `map` of exercise 2, the thread pool of exercise 4 and the
//! forked process pool of exercise 5 (postcard frames over pipes, without
//! the recovery from dead workers, which costs nothing while no worker
//! dies); and rayon's pool.

use std::fs::File;
use std::hint::black_box;
use std::io::{self, Read, Write};
use std::mem::ManuallyDrop;
use std::ops::Range;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::{self, JoinHandle};

use nix::libc;
use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, Pid, fork, pipe};
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

fn write_frame(w: &mut impl Write, payload: &[u8]) -> io::Result<()> {
    let mut frame = Vec::with_capacity(4 + payload.len());
    frame.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    frame.extend_from_slice(payload);
    w.write_all(&frame)
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

/// Exercise 5's process pool, without the replacement of failed workers:
/// forked workers, each fed postcard frames over its own pair of pipes.
pub struct ProcessPool<T, R> {
    workers: Vec<Worker>,
    _job: fn(T) -> R,
}

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
    // SAFETY: fd 0 and 1 are the pipes just put there; never closed twice.
    let mut input = ManuallyDrop::new(unsafe { File::from_raw_fd(0) });
    // SAFETY: as above.
    let mut output = ManuallyDrop::new(unsafe { File::from_raw_fd(1) });
    let code = loop {
        let Ok(frame) = read_frame(&mut *input) else {
            break 0;
        };
        let Ok(task) = postcard::from_bytes::<T>(&frame) else {
            break 2;
        };
        let reply = postcard::to_stdvec(&job(task)).expect("encodes");
        if write_frame(&mut *output, &reply).is_err() {
            break 3;
        }
    };
    // SAFETY: ends the worker without running the parent's destructors.
    unsafe { libc::_exit(code) }
}

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
            let (task_r, task_w) = pipe()?;
            let (reply_r, reply_w) = pipe()?;
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

    /// The results in input order; panics if a worker fails (the bench's
    /// tasks never do).
    pub fn map(&mut self, tasks: &[T]) -> Vec<R> {
        let next = Mutex::new(tasks.iter().enumerate());
        let mut done: Vec<(usize, R)> = Vec::with_capacity(tasks.len());
        thread::scope(|s| {
            let feeders: Vec<_> = self
                .workers
                .iter_mut()
                .map(|w| {
                    let next = &next;
                    s.spawn(move || {
                        let mut mine = Vec::new();
                        loop {
                            let item = next.lock().unwrap().next();
                            let Some((i, task)) = item else { break };
                            let bytes = postcard::to_stdvec(task).expect("encodes");
                            write_frame(&mut w.tasks, &bytes).expect("the worker reads");
                            let reply = read_frame(&mut w.replies).expect("the worker replies");
                            mine.push((i, postcard::from_bytes(&reply).expect("decodes")));
                        }
                        mine
                    })
                })
                .collect();
            for f in feeders {
                done.extend(f.join().expect("a feeder does not panic"));
            }
        });
        done.sort_by_key(|(i, _)| *i);
        done.into_iter().map(|(_, r)| r).collect()
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
pub fn skewed_rayon(pool: &rayon::ThreadPool, n: u64, heavy: u64) -> u64 {
    pool.install(|| {
        (0..n)
            .into_par_iter()
            .map(|i| busy(skewed_cost(i, n, heavy), i))
            .reduce(|| 0, u64::wrapping_add)
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

    #[test]
    fn every_version_of_the_skewed_load_agrees() {
        let want = skewed_serial(100, 50);
        assert_eq!(skewed_static(100, 50, 2), want);
        assert_eq!(skewed_static(101, 50, 3), skewed_serial(101, 50));
        assert_eq!(skewed_queue(100, 50, 2, Some(1)), want);
        assert_eq!(skewed_rayon(&rayon_pool(2), 100, 50), want);
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
