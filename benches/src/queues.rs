//! Workloads of the queues chapter's benchmarks.
//!
//! * one-way message rate: `n` messages of 64 bytes from a producer to a
//!   consumer, through std's channels, crossbeam's, a hand-built
//!   `Mutex<VecDeque>` + `Condvar` channel (threads), and a framed pipe
//!   from a forked producer process;
//! * batching: `n` small items (8 bytes each) sent `batch` items per
//!   message, between threads and between processes (Python's `chunksize`,
//!   applied to a queue);
//! * a three-stage pipeline (each stage 1, 10 or 100 µs of CPU per item):
//!   one loop, three threads joined by std or crossbeam channels, three
//!   processes joined by pipes.
//!
//! Every workload returns a checksum of what the consumer received, which
//! the unit tests compare with what the producer sent.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::sync::{Arc, Condvar, Mutex, mpsc};
use std::thread;

use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, fork, pipe};

use crate::pools::{ITERS_1US, busy};

/// A message of the rate benchmark: 64 bytes.
pub type Msg = [u8; 64];

fn msg(i: usize) -> Msg {
    let mut m = [0u8; 64];
    m[..8].copy_from_slice(&(i as u64).to_le_bytes());
    m
}

fn tag(m: &Msg) -> u64 {
    u64::from_le_bytes(m[..8].try_into().expect("8 bytes"))
}

/// What the consumer must find: the sum of 0..n.
pub fn expected(n: usize) -> u64 {
    (n as u64) * (n as u64).saturating_sub(1) / 2
}

/// `n` messages through `std::sync::mpsc::channel()` (unbounded).
pub fn std_unbounded(n: usize) -> u64 {
    let (tx, rx) = mpsc::channel();
    let p = thread::spawn(move || (0..n).for_each(|i| tx.send(msg(i)).unwrap()));
    let sum = rx.iter().map(|m| tag(&m)).sum();
    p.join().unwrap();
    sum
}

/// `n` messages through `std::sync::mpsc::sync_channel(cap)`.
pub fn std_bounded(n: usize, cap: usize) -> u64 {
    let (tx, rx) = mpsc::sync_channel(cap);
    let p = thread::spawn(move || (0..n).for_each(|i| tx.send(msg(i)).unwrap()));
    let sum = rx.iter().map(|m| tag(&m)).sum();
    p.join().unwrap();
    sum
}

/// `n` messages through crossbeam's `unbounded()`.
pub fn crossbeam_unbounded(n: usize) -> u64 {
    let (tx, rx) = crossbeam_channel::unbounded();
    let p = thread::spawn(move || (0..n).for_each(|i| tx.send(msg(i)).unwrap()));
    let sum = rx.iter().map(|m| tag(&m)).sum();
    p.join().unwrap();
    sum
}

/// `n` messages through crossbeam's `bounded(cap)` (0: a rendezvous).
pub fn crossbeam_bounded(n: usize, cap: usize) -> u64 {
    let (tx, rx) = crossbeam_channel::bounded(cap);
    let p = thread::spawn(move || (0..n).for_each(|i| tx.send(msg(i)).unwrap()));
    let sum = rx.iter().map(|m| tag(&m)).sum();
    p.join().unwrap();
    sum
}

// ANCHOR: hand_built
/// The chapter's exercise 6 in miniature: one Mutex, two Condvars, plus
/// a note of who is asleep, so that `send` and `recv` notify only when
/// someone waits (std's `notify_one` is a system call even when nobody
/// does). `always` notifies on every operation, as exercise 6 does.
struct HandBuilt<T> {
    state: Mutex<State<T>>,
    not_empty: Condvar,
    not_full: Condvar,
    cap: usize,
    always: bool,
}

struct State<T> {
    items: VecDeque<T>,
    done: bool,
    receiver_asleep: bool,
    senders_asleep: usize,
}

impl<T> HandBuilt<T> {
    fn send(&self, item: T) {
        let mut s = self.state.lock().unwrap();
        while s.items.len() == self.cap {
            s.senders_asleep += 1;
            s = self.not_full.wait(s).unwrap();
            s.senders_asleep -= 1;
        }
        s.items.push_back(item);
        let wake = s.receiver_asleep || self.always;
        drop(s);
        if wake {
            self.not_empty.notify_one();
        }
    }

    fn close(&self) {
        self.state.lock().unwrap().done = true;
        self.not_empty.notify_all();
    }

    fn recv(&self) -> Option<T> {
        let mut s = self.state.lock().unwrap();
        loop {
            if let Some(item) = s.items.pop_front() {
                let wake = s.senders_asleep > 0 || self.always;
                drop(s);
                if wake {
                    self.not_full.notify_one();
                }
                return Some(item);
            }
            if s.done {
                return None;
            }
            s.receiver_asleep = true;
            s = self.not_empty.wait(s).unwrap();
            s.receiver_asleep = false;
        }
    }
}
// ANCHOR_END: hand_built

/// `n` messages through the hand-built channel of capacity `cap`; with
/// `always`, every operation notifies the other side, asleep or not.
pub fn hand_built(n: usize, cap: usize, always: bool) -> u64 {
    let ch = Arc::new(HandBuilt {
        state: Mutex::new(State {
            items: VecDeque::with_capacity(cap),
            done: false,
            receiver_asleep: false,
            senders_asleep: 0,
        }),
        not_empty: Condvar::new(),
        not_full: Condvar::new(),
        cap,
        always,
    });
    let c2 = Arc::clone(&ch);
    let p = thread::spawn(move || {
        (0..n).for_each(|i| c2.send(msg(i)));
        c2.close();
    });
    let mut sum = 0;
    while let Some(m) = ch.recv() {
        sum += tag(&m);
    }
    p.join().unwrap();
    sum
}

/// Writes all of `buf` to `fd`; false on an error. Used by forked children:
/// no allocation, no locks.
fn write_all_raw(fd: RawFd, mut buf: &[u8]) -> bool {
    while !buf.is_empty() {
        // SAFETY: `buf` is a valid slice for its whole length.
        let k = unsafe { libc::write(fd, buf.as_ptr().cast(), buf.len()) };
        if k < 0 {
            if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return false;
        }
        buf = &buf[k as usize..];
    }
    true
}

/// Header of the pipe queue's frames: a 4-byte length (the chapter's
/// exercise 7 adds a marker and the producer id; one producer needs
/// neither).
const LEN: usize = 4;

// ANCHOR: pipe_queue
/// `n_msgs` messages of `payload` bytes (filled by `fill` from the message
/// number), each one framed write of a forked producer process into a
/// pipe, read and unframed by this process. Returns the first 8 bytes of
/// every message received.
fn pipe_queue(
    n_msgs: usize,
    payload: usize,
    fill: impl Fn(usize, &mut [u8]),
) -> io::Result<Vec<u8>> {
    let (read_end, write_end): (OwnedFd, OwnedFd) = pipe()?;
    let mut frame = vec![0u8; LEN + payload];
    frame[..LEN].copy_from_slice(&(payload as u32).to_be_bytes());
    // SAFETY: the child only fills a buffer allocated before the fork,
    // writes it to a raw fd and calls `_exit`: no allocation, no locks.
    match unsafe { fork() }? {
        ForkResult::Child => {
            drop(read_end);
            let fd = write_end.as_raw_fd();
            for i in 0..n_msgs {
                fill(i, &mut frame[LEN..]);
                if !write_all_raw(fd, &frame) {
                    // SAFETY: `_exit` ends the child without returning.
                    unsafe { libc::_exit(1) }
                }
            }
            // SAFETY: as above.
            unsafe { libc::_exit(0) }
        }
        ForkResult::Parent { child } => {
            drop(write_end);
            let pipe = std::fs::File::from(read_end);
            let mut reader = io::BufReader::with_capacity(64 << 10, pipe);
            let mut out = Vec::with_capacity(n_msgs * payload);
            let mut head = [0u8; LEN];
            let mut body = vec![0u8; payload];
            for _ in 0..n_msgs {
                reader.read_exact(&mut head)?;
                let len = u32::from_be_bytes(head) as usize;
                if len != payload {
                    let kind = io::ErrorKind::InvalidData;
                    return Err(io::Error::new(kind, "bad frame"));
                }
                reader.read_exact(&mut body)?;
                out.extend_from_slice(&body[..8.min(payload)]);
            }
            waitpid(child, None)?;
            Ok(out)
        }
    }
}
// ANCHOR_END: pipe_queue

/// `n` 64-byte messages from a forked producer process, one framed write
/// each.
pub fn process_pipe(n: usize) -> io::Result<u64> {
    let tags = pipe_queue(n, 64, |i, buf| {
        buf[..8].copy_from_slice(&(i as u64).to_le_bytes())
    })?;
    Ok(tags
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
        .sum())
}

/// `n` items of 8 bytes, `batch` per message, over crossbeam's
/// `bounded(64)` between threads.
pub fn batched_threads(n: usize, batch: usize) -> u64 {
    let (tx, rx) = crossbeam_channel::bounded::<Vec<u64>>(64);
    let p = thread::spawn(move || {
        let mut i = 0;
        while i < n {
            let end = (i + batch).min(n);
            tx.send((i as u64..end as u64).collect()).unwrap();
            i = end;
        }
    });
    let sum = rx.iter().flatten().sum();
    p.join().unwrap();
    sum
}

/// `n` items of 8 bytes, `batch` per message (n divisible by batch), over
/// a pipe from a forked producer process.
pub fn batched_processes(n: usize, batch: usize) -> io::Result<u64> {
    assert!(n.is_multiple_of(batch), "n must be a multiple of batch");
    let firsts = pipe_queue(n / batch, batch * 8, |m, buf| {
        for (k, slot) in buf.chunks_exact_mut(8).enumerate() {
            slot.copy_from_slice(&((m * batch + k) as u64).to_le_bytes());
        }
    })?;
    // The consumer keeps the first item of each message; the unit test
    // checks those, the benchmark moves all of them.
    Ok(firsts
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
        .sum())
}

// ANCHOR: stage
/// One stage's work on one item: `us` microseconds of pure CPU (the
/// Pools chapter's `busy`), different for each stage `k`.
pub fn stage(k: u64, us: u64, x: u64) -> u64 {
    busy(us * ITERS_1US, x ^ k)
}
// ANCHOR_END: stage

/// Items 0..n through stages 1, 2 and 3 in one loop; the sum of what
/// comes out of stage 3.
pub fn pipeline_serial(n: u64, us: u64) -> u64 {
    (0..n)
        .map(|x| stage(3, us, stage(2, us, stage(1, us, x))))
        .fold(0, u64::wrapping_add)
}

// ANCHOR: pipeline_threads
/// The same three stages on three threads (stage 3 on this one), joined
/// by two channels that `channel` makes.
fn pipeline_threads<S, R>(n: u64, us: u64, channel: impl Fn() -> (S, R)) -> u64
where
    S: Put + Send + 'static,
    R: IntoIterator<Item = u64> + Send + 'static,
{
    let (tx1, rx1) = channel();
    let (tx2, rx2) = channel();
    let one = thread::spawn(move || {
        for x in 0..n {
            tx1.put(stage(1, us, x));
        }
    });
    let two = thread::spawn(move || {
        for x in rx1 {
            tx2.put(stage(2, us, x));
        }
    });
    let sum = rx2
        .into_iter()
        .map(|x| stage(3, us, x))
        .fold(0, u64::wrapping_add);
    one.join().unwrap();
    two.join().unwrap();
    sum
}

/// Joined by std's `sync_channel(64)`.
pub fn pipeline_std(n: u64, us: u64) -> u64 {
    pipeline_threads(n, us, || mpsc::sync_channel(64))
}

/// Joined by crossbeam's `bounded(64)`.
pub fn pipeline_crossbeam(n: u64, us: u64) -> u64 {
    pipeline_threads(n, us, || crossbeam_channel::bounded(64))
}
// ANCHOR_END: pipeline_threads

/// A channel's sending end, as the pipeline uses it: std's and
/// crossbeam's have a `send` each, but no trait in common.
trait Put {
    /// Sends `x`; panics if the receiving end is gone (never, here).
    fn put(&self, x: u64);
}

impl Put for mpsc::SyncSender<u64> {
    fn put(&self, x: u64) {
        self.send(x).unwrap();
    }
}

impl Put for crossbeam_channel::Sender<u64> {
    fn put(&self, x: u64) {
        self.send(x).unwrap();
    }
}

/// Reads one item (8 bytes) from `fd`: None at end-of-file or on an
/// error. For forked children: no allocation, no locks.
fn read_item(fd: RawFd) -> Option<u64> {
    let mut buf = [0u8; 8];
    let mut got = 0;
    while got < 8 {
        // SAFETY: the pointer and length describe the unfilled part of
        // `buf`, which lives across the call.
        let k = unsafe { libc::read(fd, buf[got..].as_mut_ptr().cast(), 8 - got) };
        if k < 0 && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
            continue;
        }
        if k <= 0 {
            return None;
        }
        got += k as usize;
    }
    Some(u64::from_le_bytes(buf))
}

/// Forks a child that runs `job` and `_exit`s (1 if it returned false).
fn fork_stage(job: impl FnOnce() -> bool) -> io::Result<nix::unistd::Pid> {
    // SAFETY: the child only computes, reads and writes raw fds it owns,
    // and `_exit`s: no allocation, no locks.
    match unsafe { fork() }? {
        ForkResult::Child => {
            let code = i32::from(!job());
            // SAFETY: `_exit` ends the child without returning.
            unsafe { libc::_exit(code) }
        }
        ForkResult::Parent { child } => Ok(child),
    }
}

// ANCHOR: pipeline_processes
/// The same three stages in three processes: stage 1 in a child, which
/// writes each item (8 bytes, one `write`) into a pipe to stage 2, another
/// child, which writes into a pipe to stage 3, this process.
pub fn pipeline_processes(n: u64, us: u64) -> io::Result<u64> {
    let (r1, w1) = pipe()?;
    let one = fork_stage(|| {
        (0..n).all(|x| {
            let y = stage(1, us, x);
            write_all_raw(w1.as_raw_fd(), &y.to_le_bytes())
        })
    })?;
    drop(w1); // stage 1 holds the only write end: its exit ends the pipe
    let (r2, w2) = pipe()?;
    let two = fork_stage(|| {
        while let Some(x) = read_item(r1.as_raw_fd()) {
            let y = stage(2, us, x);
            if !write_all_raw(w2.as_raw_fd(), &y.to_le_bytes()) {
                return false;
            }
        }
        true
    })?;
    drop((r1, w2));
    let mut sum = 0u64;
    while let Some(x) = read_item(r2.as_raw_fd()) {
        sum = sum.wrapping_add(stage(3, us, x));
    }
    waitpid(one, None)?;
    waitpid(two, None)?;
    Ok(sum)
}
// ANCHOR_END: pipeline_processes

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_channel_delivers_every_message() {
        let n = 5000;
        assert_eq!(std_unbounded(n), expected(n));
        assert_eq!(std_bounded(n, 1), expected(n));
        assert_eq!(crossbeam_unbounded(n), expected(n));
        assert_eq!(crossbeam_bounded(n, 0), expected(n));
        assert_eq!(crossbeam_bounded(n, 1024), expected(n));
        assert_eq!(hand_built(n, 1, false), expected(n));
        assert_eq!(hand_built(n, 1024, false), expected(n));
        assert_eq!(hand_built(n, 1024, true), expected(n));
        assert_eq!(process_pipe(n).unwrap(), expected(n));
    }

    #[test]
    fn every_pipeline_computes_the_same() {
        let want = pipeline_serial(300, 1);
        assert_eq!(pipeline_std(300, 1), want);
        assert_eq!(pipeline_crossbeam(300, 1), want);
        assert_eq!(pipeline_processes(300, 1).unwrap(), want);
        assert_ne!(pipeline_serial(300, 2), want, "the work depends on us");
    }

    #[test]
    fn batches_carry_every_item() {
        assert_eq!(batched_threads(10_000, 64), expected(10_000));
        assert_eq!(batched_threads(10_000, 1), expected(10_000));
        // First item of each of the 10 batches of 64: 0, 64, ..., 576.
        assert_eq!(
            batched_processes(640, 64).unwrap(),
            (0..10).map(|m| m * 64).sum::<u64>()
        );
    }
}
