//! Workloads of the shared-memory chapter's benchmarks.
//!
//! * the parallel sum of the tutorials (10^7 `u64`): serial, threads, rayon,
//!   forked processes reading a shared mapping (forked for each sum, or a
//!   pool forked once that sums on request), and forked processes that
//!   receive their part as a copy through a pipe; beside them a streaming
//!   read (XOR of every word) with one thread and with all, the machine's
//!   memory bandwidth for this access pattern;
//! * a counter incremented by several processes: one shared atomic, one
//!   padded atomic per process, a robust process-shared mutex, and a
//!   manager process that owns the counter (exercise 6's design: one
//!   request over a Unix socket per increment);
//! * messages from one process to another: a pipe against a ring in shared
//!   memory, at 64 bytes and 4 KiB;
//! * handing 100 MB to another process: a copy through a pipe against the
//!   segment itself (a memfd the child maps).
//!
//! Every fork follows the fork rule: the child computes, writes to shared
//! memory or a raw fd, and `_exit`s; except the manager's server, which
//! allocates and starts threads (as exercise 6's does), which glibc's
//! `fork` allows.

use std::cell::UnsafeCell;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Write};
use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::num::NonZeroUsize;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::net::{UnixListener, UnixStream};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

use nix::sys::mman::{MapFlags, ProtFlags, mmap_anonymous, munmap};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork};
use rayon::prelude::*;

/// An anonymous shared mapping, unmapped on drop.
pub struct Shared {
    ptr: NonNull<u8>,
    len: usize,
}

// SAFETY: an address range reached through raw pointers and atomics only.
unsafe impl Send for Shared {}
// SAFETY: as above.
unsafe impl Sync for Shared {}

impl Shared {
    /// `len` zeroed bytes shared with every child forked afterwards.
    pub fn new(len: usize) -> io::Result<Shared> {
        let size = NonZeroUsize::new(len.max(1)).expect("at least 1");
        // SAFETY: a fresh anonymous mapping aliases nothing.
        let ptr = unsafe {
            mmap_anonymous(
                None,
                size,
                ProtFlags::PROT_READ | ProtFlags::PROT_WRITE,
                MapFlags::MAP_SHARED,
            )
        }?;
        Ok(Shared {
            ptr: ptr.cast(),
            len: size.get(),
        })
    }

    /// The first `n` 64-byte-apart atomics (one per cache line).
    pub fn padded(&self, i: usize) -> &AtomicU64 {
        assert!((i + 1) * 64 <= self.len);
        // SAFETY: in bounds (checked), page-aligned base so 8-aligned.
        unsafe { &*self.ptr.as_ptr().add(i * 64).cast::<AtomicU64>() }
    }

    /// A 32-bit atomic at the start of cache line `i` (for a futex).
    pub fn word32(&self, i: usize) -> &AtomicU32 {
        assert!((i + 1) * 64 <= self.len);
        // SAFETY: in bounds (checked), page-aligned base so 4-aligned.
        unsafe { &*self.ptr.as_ptr().add(i * 64).cast::<AtomicU32>() }
    }

    /// The mapping as `u64`s (for the data of the sum).
    pub fn words(&self) -> &[u64] {
        // SAFETY: aligned, in bounds; written only before any reader forks.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr().cast(), self.len / 8) }
    }

    /// The mapping as mutable `u64`s, for filling it before forking.
    pub fn words_mut(&mut self) -> &mut [u64] {
        // SAFETY: as words, and &mut self makes this the only view.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr().cast(), self.len / 8) }
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        // SAFETY: our mapping; nothing borrowed from it outlives self.
        let _ = unsafe { munmap(self.ptr.cast(), self.len) };
    }
}

/// Forks a child that runs `work` and `_exit(0)`s (101 if it panicked).
pub(crate) fn spawn(work: impl FnOnce()) -> io::Result<Pid> {
    // SAFETY: the child runs `work` (computation and writes to shared
    // memory or raw fds only) and _exits without returning.
    match unsafe { fork() }? {
        ForkResult::Child => {
            let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).is_ok();
            // SAFETY: ends the child without running the parent's cleanup.
            unsafe { libc::_exit(if ok { 0 } else { 101 }) }
        }
        ForkResult::Parent { child } => Ok(child),
    }
}

/// Waits for `pids`; an error if any did not exit 0.
pub(crate) fn reap(pids: Vec<Pid>) -> io::Result<()> {
    let mut bad = None;
    for pid in pids {
        match waitpid(pid, None)? {
            WaitStatus::Exited(_, 0) => {}
            other => bad = Some(other),
        }
    }
    match bad {
        None => Ok(()),
        Some(s) => Err(io::Error::other(format!("a worker ended with {s:?}"))),
    }
}

/// The part of `0..len` worker `i` of `n` sums.
pub(crate) fn part(len: usize, n: usize, i: usize) -> std::ops::Range<usize> {
    let size = len.div_ceil(n);
    (i * size).min(len)..((i + 1) * size).min(len)
}

// ---------------------------------------------------------------- the sum

/// The numbers to sum: `0..n`, in a shared mapping (so that processes can
/// read them too; threads do not care).
pub fn numbers(n: usize) -> io::Result<Shared> {
    let mut s = Shared::new(n * 8)?;
    for (i, w) in s.words_mut().iter_mut().enumerate() {
        *w = i as u64;
    }
    Ok(s)
}

// ANCHOR: sums
pub fn sum_serial(data: &[u64]) -> u64 {
    data.iter().fold(0u64, |a, &x| a.wrapping_add(x))
}

pub fn sum_threads(data: &[u64], n: usize) -> u64 {
    thread::scope(|s| {
        let parts: Vec<_> = (0..n)
            .map(|i| s.spawn(move || sum_serial(&data[part(data.len(), n, i)])))
            .collect();
        parts
            .into_iter()
            .fold(0u64, |a, h| a.wrapping_add(h.join().unwrap()))
    })
}

pub fn sum_rayon(data: &[u64]) -> u64 {
    data.par_iter()
        .fold(|| 0u64, |a, &x| a.wrapping_add(x))
        .reduce(|| 0, u64::wrapping_add)
}

/// `n` forked processes read their part of `data` (a shared mapping, or
/// any memory they inherit) and leave their sums in padded slots.
pub fn sum_processes_shared(data: &[u64], n: usize) -> io::Result<u64> {
    let slots = Shared::new(n * 64)?;
    let mut pids = Vec::with_capacity(n);
    for i in 0..n {
        let (slots, data) = (&slots, data);
        pids.push(spawn(move || {
            let s = sum_serial(&data[part(data.len(), n, i)]);
            slots.padded(i).store(s, Ordering::Relaxed);
        })?);
    }
    reap(pids)?;
    Ok((0..n).fold(0u64, |a, i| {
        a.wrapping_add(slots.padded(i).load(Ordering::Relaxed))
    }))
}
// ANCHOR_END: sums

// ANCHOR: pool
/// `n` worker processes forked ONCE, each summing its part of `data`
/// every time [`SumPool::sum`] asks. Forking per sum costs a fork, an exit
/// and a wait per worker, and a page fault for every page a new child
/// touches (a child starts with empty page tables for a shared mapping);
/// long-lived workers pay that once. A sum is one round: the parent bumps
/// a generation number and wakes the workers (a futex in the shared
/// control block); each stores its part in its padded slot and counts
/// itself done; the last one wakes the parent.
pub struct SumPool<'a> {
    ctl: Shared,
    pids: Vec<Pid>,
    /// The workers read `data` as it was at fork: it must not change.
    _data: PhantomData<&'a [u64]>,
}

/// Cache lines of the control block: the generation, the done count, then
/// one slot per worker.
const GO: usize = 0;
const DONE: usize = 1;
const FIRST_SLOT: usize = 2;
/// The generation that tells the workers to exit.
const STOP: u32 = u32::MAX;

impl<'a> SumPool<'a> {
    pub fn new(data: &'a [u64], n: usize) -> io::Result<SumPool<'a>> {
        let ctl = Shared::new((FIRST_SLOT + n) * 64)?;
        let mut pool = SumPool {
            ctl,
            pids: Vec::with_capacity(n),
            _data: PhantomData,
        };
        for i in 0..n {
            let ctl = &pool.ctl;
            let pid = spawn(move || {
                let (go, done) = (ctl.word32(GO), ctl.word32(DONE));
                let mut seen = 0;
                loop {
                    seen = wait_while(go, seen);
                    if seen == STOP {
                        return;
                    }
                    let s = sum_serial(&data[part(data.len(), n, i)]);
                    ctl.padded(FIRST_SLOT + i).store(s, Ordering::Relaxed);
                    if done.fetch_add(1, Ordering::AcqRel) + 1 == n as u32 {
                        futex_wake(done);
                    }
                }
            });
            // On an error, dropping `pool` stops the workers started so far.
            pool.pids.push(pid?);
        }
        Ok(pool)
    }

    /// One parallel sum by the pool's workers.
    pub fn sum(&self) -> io::Result<u64> {
        let n = self.pids.len() as u32;
        let (go, done) = (self.ctl.word32(GO), self.ctl.word32(DONE));
        done.store(0, Ordering::Relaxed);
        // Release: the reset of `done` happens before any worker sees the
        // new generation (Acquire) and counts itself.
        go.fetch_add(1, Ordering::Release);
        futex_wake(go);
        loop {
            let d = done.load(Ordering::Acquire);
            if d == n {
                break;
            }
            let tick = std::time::Duration::from_millis(100);
            if !futex_wait(done, d, Some(tick)) {
                self.check_alive()?;
            }
        }
        let slot = |i: usize| self.ctl.padded(FIRST_SLOT + i);
        Ok((0..self.pids.len()).fold(0u64, |a, i| a.wrapping_add(slot(i).load(Ordering::Relaxed))))
    }

    /// An error if a worker has ended (it would never count itself done).
    fn check_alive(&self) -> io::Result<()> {
        for &pid in &self.pids {
            match waitpid(pid, Some(nix::sys::wait::WaitPidFlag::WNOHANG))? {
                WaitStatus::StillAlive => {}
                s => {
                    let e = format!("a pool worker ended: {s:?}");
                    return Err(io::Error::other(e));
                }
            }
        }
        Ok(())
    }
}

impl Drop for SumPool<'_> {
    fn drop(&mut self) {
        let go = self.ctl.word32(GO);
        go.store(STOP, Ordering::Release);
        futex_wake(go);
        for &pid in &self.pids {
            let _ = waitpid(pid, None);
        }
    }
}

/// Waits until `a` is no longer `seen`; returns its new value.
fn wait_while(a: &AtomicU32, seen: u32) -> u32 {
    loop {
        let now = a.load(Ordering::Acquire);
        if now != seen {
            return now;
        }
        futex_wait(a, seen, None);
    }
}
// ANCHOR_END: pool

/// Sleeps while `*a == expected` (or until `timeout`); false if it timed
/// out. A shared (not PRIVATE) futex: it works between processes that
/// map the same page.
fn futex_wait(a: &AtomicU32, expected: u32, timeout: Option<std::time::Duration>) -> bool {
    let ts = timeout.map(|t| libc::timespec {
        tv_sec: t.as_secs() as libc::time_t,
        tv_nsec: t.subsec_nanos() as libc::c_long,
    });
    let tp = ts
        .as_ref()
        .map_or(std::ptr::null(), |t| t as *const libc::timespec);
    // SAFETY: `a` is a live, aligned u32 for the whole call; the kernel
    // only reads it and the timespec.
    let r = unsafe { libc::syscall(libc::SYS_futex, a.as_ptr(), libc::FUTEX_WAIT, expected, tp) };
    !(r == -1 && io::Error::last_os_error().raw_os_error() == Some(libc::ETIMEDOUT))
}

/// Wakes every process sleeping on `a`.
fn futex_wake(a: &AtomicU32) {
    // SAFETY: as futex_wait; FUTEX_WAKE reads nothing but the address.
    unsafe { libc::syscall(libc::SYS_futex, a.as_ptr(), libc::FUTEX_WAKE, i32::MAX) };
}

/// `n` forked processes each receive a copy of their part through a pipe
/// (written by one parent thread per child) and sum it as it arrives.
pub fn sum_processes_pipe(data: &[u64], n: usize) -> io::Result<u64> {
    let slots = Shared::new(n * 64)?;
    let mut pids = Vec::with_capacity(n);
    let mut writers = Vec::with_capacity(n);
    for i in 0..n {
        let (r, w): (OwnedFd, OwnedFd) = nix::unistd::pipe()?;
        let slots = &slots;
        let rfd = r.as_raw_fd();
        let wfd = w.as_raw_fd();
        let earlier: Vec<i32> = writers.iter().map(|w: &File| w.as_raw_fd()).collect();
        pids.push(spawn(move || {
            // SAFETY: the child's copies of this and the earlier pipes'
            // write ends; closing them lets every reader see end-of-file.
            unsafe { libc::close(wfd) };
            for fd in &earlier {
                // SAFETY: as above.
                unsafe { libc::close(*fd) };
            }
            let mut buf = [0u64; 8192];
            let mut sum = 0u64;
            let mut carry = 0usize; // bytes of a split word already in buf
            loop {
                let bytes = buf.as_mut_ptr().cast::<u8>();
                // SAFETY: reads into the rest of our stack buffer.
                let k =
                    unsafe { libc::read(rfd, bytes.add(carry).cast(), size_of_val(&buf) - carry) };
                if k <= 0 {
                    break;
                }
                let have = carry + k as usize;
                let whole = have / 8;
                sum = buf[..whole].iter().fold(sum, |a, &x| a.wrapping_add(x));
                carry = have % 8;
                // SAFETY: moves the split word's bytes to the front.
                unsafe { std::ptr::copy(bytes.add(whole * 8), bytes, carry) };
            }
            slots.padded(i).store(sum, Ordering::Relaxed);
        })?);
        drop(r);
        writers.push(File::from(w));
    }
    thread::scope(|s| {
        for (i, mut w) in writers.into_iter().enumerate() {
            s.spawn(move || {
                let words = &data[part(data.len(), n, i)];
                // SAFETY: u64s seen as their bytes.
                let bytes = unsafe {
                    std::slice::from_raw_parts(words.as_ptr().cast::<u8>(), size_of_val(words))
                };
                std::io::Write::write_all(&mut w, bytes)
            });
        }
    });
    reap(pids)?;
    Ok((0..n).fold(0u64, |a, i| {
        a.wrapping_add(slots.padded(i).load(Ordering::Relaxed))
    }))
}

// ANCHOR: bandwidth
/// A streaming read of `data` with `n` threads: XOR of every word, the
/// least work per byte, so the time is the memory's.
pub fn read_bandwidth(data: &[u64], n: usize) -> u64 {
    thread::scope(|s| {
        let parts: Vec<_> = (0..n)
            .map(|i| {
                s.spawn(move || {
                    data[part(data.len(), n, i)]
                        .iter()
                        .fold(0u64, |a, &x| a ^ x)
                })
            })
            .collect();
        parts.into_iter().fold(0, |a, h| a ^ h.join().unwrap())
    })
}
// ANCHOR_END: bandwidth

// ------------------------------------------------------------ the counter

/// The baseline: one process adding `total` to a local variable.
pub fn count_serial(total: u64) -> u64 {
    let mut n = 0u64;
    for _ in 0..total {
        n = std::hint::black_box(n + 1);
    }
    n
}

// ANCHOR: counters
/// `procs` processes each add 1 `per` times to ONE shared atomic.
pub fn count_one_atomic(procs: usize, per: u64) -> io::Result<u64> {
    let m = Shared::new(64)?;
    let pids = (0..procs)
        .map(|_| {
            spawn(|| {
                for _ in 0..per {
                    m.padded(0).fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect::<io::Result<Vec<_>>>()?;
    reap(pids)?;
    Ok(m.padded(0).load(Ordering::Relaxed))
}

/// Each process adds to its OWN atomic, on its own cache line.
pub fn count_padded(procs: usize, per: u64) -> io::Result<u64> {
    let m = Shared::new(procs * 64)?;
    let pids = (0..procs)
        .map(|i| {
            let m = &m;
            spawn(move || {
                for _ in 0..per {
                    m.padded(i).fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect::<io::Result<Vec<_>>>()?;
    reap(pids)?;
    Ok((0..procs)
        .map(|i| m.padded(i).load(Ordering::Relaxed))
        .sum())
}
// ANCHOR_END: counters

/// A robust, process-shared pthread mutex and the count it guards.
#[repr(C)]
struct Locked {
    mutex: UnsafeCell<libc::pthread_mutex_t>,
    count: UnsafeCell<u64>,
}

/// Every increment under a robust process-shared mutex.
pub fn count_robust_mutex(procs: usize, per: u64) -> io::Result<u64> {
    let m = Shared::new(4096)?;
    let locked = m.ptr.as_ptr().cast::<Locked>();
    let mut attr = MaybeUninit::<libc::pthread_mutexattr_t>::uninit();
    // SAFETY: the mapping is page-aligned and big enough for Locked;
    // attr is initialised before use and destroyed after.
    unsafe {
        libc::pthread_mutexattr_init(attr.as_mut_ptr());
        libc::pthread_mutexattr_setpshared(attr.as_mut_ptr(), libc::PTHREAD_PROCESS_SHARED);
        libc::pthread_mutexattr_setrobust(attr.as_mut_ptr(), libc::PTHREAD_MUTEX_ROBUST);
        libc::pthread_mutex_init(
            UnsafeCell::raw_get(&raw const (*locked).mutex),
            attr.as_ptr(),
        );
        libc::pthread_mutexattr_destroy(attr.as_mut_ptr());
    }
    // SAFETY: initialised above; lives as long as `m`.
    let l = unsafe { &*locked };
    let pids = (0..procs)
        .map(|_| {
            spawn(|| {
                for _ in 0..per {
                    // SAFETY: the count is touched only with the mutex held.
                    unsafe {
                        assert_eq!(libc::pthread_mutex_lock(l.mutex.get()), 0);
                        *l.count.get() += 1;
                        libc::pthread_mutex_unlock(l.mutex.get());
                    }
                }
            })
        })
        .collect::<io::Result<Vec<_>>>()?;
    reap(pids)?;
    // SAFETY: every child is gone; nobody else holds the lock.
    Ok(unsafe { *l.count.get() })
}

// ----------------------------------------------------------- the manager

/// The counter kept by a manager: a server process owns a
/// `Mutex<HashMap<String, i64>>` and serves each connection on a thread of
/// its own; each of `procs` client processes connects over a Unix socket
/// and sends `per` requests `Add("count", 1)`, each a frame (a big-endian
/// `u32` length, then the payload, as in the Pipes chapter) answered by one
/// reply frame. That is exercise 6's manager, one round trip per increment.
///
/// The server is written here rather than taken from the chapter: the
/// students' lab copies have no `solutions/`, and the exercise crate is
/// the student's own work. The wire is the chapter's (`given.rs`: tag 3,
/// the key's length and bytes, the `i64`; the reply tag 1 and the `i64`);
/// the handshake is left out, since it happens once per connection and
/// not once per increment.
pub fn count_manager(procs: usize, per: u64) -> io::Result<u64> {
    static SEQ: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "workbook-bench-manager-{}-{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("manager.sock");
    let counted = (|| {
        let listener = UnixListener::bind(&path)?;
        let server = spawn(move || {
            let map = Arc::new(Mutex::new(HashMap::<String, i64>::new()));
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let map = Arc::clone(&map);
                thread::spawn(move || serve_counter(stream, &map));
            }
        })?;
        let clients = (0..procs)
            .map(|_| {
                spawn(|| {
                    let mut s = UnixStream::connect(&path).expect("connect");
                    for _ in 0..per {
                        manager_request(&mut s, 3, 1).expect("add");
                    }
                })
            })
            .collect::<io::Result<Vec<_>>>();
        let total = clients.and_then(reap).and_then(|()| {
            let mut s = UnixStream::connect(&path)?;
            manager_request(&mut s, 1, 0)
        });
        let _ = nix::sys::signal::kill(server, nix::sys::signal::Signal::SIGKILL);
        waitpid(server, None)?;
        Ok(total? as u64)
    })();
    let _ = std::fs::remove_dir_all(&dir);
    counted
}

/// The key every request names.
const COUNTER_KEY: &[u8] = b"count";

/// Sends one request (tag 1 Get or 3 Add, on `COUNTER_KEY`) and returns
/// the value the reply carries.
fn manager_request(s: &mut UnixStream, tag: u8, delta: i64) -> io::Result<i64> {
    let mut frame = Vec::with_capacity(32);
    let len = 1 + 4 + COUNTER_KEY.len() + if tag == 3 { 8 } else { 0 };
    frame.extend_from_slice(&(len as u32).to_be_bytes());
    frame.push(tag);
    frame.extend_from_slice(&(COUNTER_KEY.len() as u32).to_be_bytes());
    frame.extend_from_slice(COUNTER_KEY);
    if tag == 3 {
        frame.extend_from_slice(&delta.to_be_bytes());
    }
    s.write_all(&frame)?;
    let reply = read_manager_frame(s)?.ok_or(io::ErrorKind::UnexpectedEof)?;
    match reply.as_slice() {
        [1, v @ ..] if v.len() == 8 => Ok(i64::from_be_bytes(v.try_into().expect("8 bytes"))),
        [2] => Ok(0), // Missing: nothing was ever added
        _ => Err(io::Error::other("an unexpected reply")),
    }
}

/// One frame of at most 64 bytes; `None` at a clean end of the stream.
fn read_manager_frame(s: &mut UnixStream) -> io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    if let Err(e) = s.read_exact(&mut len) {
        return match e.kind() {
            io::ErrorKind::UnexpectedEof => Ok(None),
            _ => Err(e),
        };
    }
    let len = u32::from_be_bytes(len) as usize;
    if len > 64 {
        return Err(io::Error::other("a frame too large"));
    }
    let mut payload = vec![0u8; len];
    s.read_exact(&mut payload)?;
    Ok(Some(payload))
}

/// The server's thread for one connection: Get and Add on the map.
fn serve_counter(mut s: UnixStream, map: &Mutex<HashMap<String, i64>>) {
    while let Ok(Some(p)) = read_manager_frame(&mut s) {
        let Some((&tag, rest)) = p.split_first() else {
            return;
        };
        let Some((klen, rest)) = rest.split_first_chunk::<4>() else {
            return;
        };
        let klen = u32::from_be_bytes(*klen) as usize;
        let Some(key) = rest.get(..klen).and_then(|k| std::str::from_utf8(k).ok()) else {
            return;
        };
        let mut m = map.lock().unwrap_or_else(|e| e.into_inner());
        let reply = match (tag, &rest[klen..]) {
            (1, []) => m
                .get(key)
                .map_or(vec![2], |v| [&[1u8][..], &v.to_be_bytes()].concat()),
            (3, d) if d.len() == 8 => {
                let v = m.entry(key.to_string()).or_insert(0);
                *v += i64::from_be_bytes(d.try_into().expect("8 bytes"));
                [&[1u8][..], &v.to_be_bytes()].concat()
            }
            _ => return,
        };
        drop(m);
        let mut frame = (reply.len() as u32).to_be_bytes().to_vec();
        frame.extend_from_slice(&reply);
        if s.write_all(&frame).is_err() {
            return;
        }
    }
}

// ------------------------------------------------------- pipe against ring

/// Slots in the benchmark's ring.
const RING_SLOTS: usize = 64;

/// Writes the sequence number `i` into the first 8 bytes of `msg`.
fn stamp(msg: &mut [u8], i: u64) {
    msg[..8].copy_from_slice(&i.to_le_bytes());
}

fn seq(msg: &[u8]) -> u64 {
    u64::from_le_bytes(msg[..8].try_into().expect("8 bytes"))
}

/// A child sends `count` messages of `size` bytes (at least 8) through a
/// pipe; the parent reads them and checks their order. Returns `count`.
pub fn pipe_messages(size: usize, count: u64) -> io::Result<u64> {
    let (r, w): (OwnedFd, OwnedFd) = nix::unistd::pipe()?;
    let (rfd, wfd) = (r.as_raw_fd(), w.as_raw_fd());
    let mut msg = vec![0u8; size];
    let pid = spawn(|| {
        // SAFETY: the child's copy of the read end.
        unsafe { libc::close(rfd) };
        for i in 0..count {
            stamp(&mut msg, i);
            let mut done = 0;
            while done < size {
                // SAFETY: writes from our buffer to our fd.
                let k = unsafe { libc::write(wfd, msg[done..].as_ptr().cast(), size - done) };
                assert!(k > 0, "write to the pipe failed");
                done += k as usize;
            }
        }
    })?;
    drop(w);
    let mut r = File::from(r);
    let mut got = vec![0u8; size];
    for i in 0..count {
        r.read_exact(&mut got)?;
        if seq(&got) != i {
            return Err(io::Error::other("pipe: out of order"));
        }
    }
    reap(vec![pid])?;
    Ok(count)
}

// ANCHOR: ring
/// The same through a ring of 64 slots of `size` bytes in shared memory:
/// the producer copies a message into slot `tail % 64` and publishes
/// `tail + 1`; the consumer copies it out and publishes `head + 1`. Each
/// side reads the other's index only when what it saw last is used up,
/// and a side that must wait spins briefly, then sleeps on a futex (see
/// `wait_for` and `publish` below).
pub fn ring_messages(size: usize, count: u64) -> io::Result<u64> {
    let m = Shared::new(128 + RING_SLOTS * size)?;
    // Line 0: head and the producer's sleeping flag; line 1: tail and the
    // consumer's.
    let (head, producer_sleeps) = (m.padded(0), m.flag(0));
    let (tail, consumer_sleeps) = (m.padded(1), m.flag(1));
    let slot = |i: u64| {
        // SAFETY: slot i % 64 lies inside the mapping, after the indices.
        unsafe { m.ptr.as_ptr().add(128 + (i as usize % RING_SLOTS) * size) }
    };
    let slots = RING_SLOTS as u64;
    let pid = spawn(|| {
        let mut msg = vec![0u8; size];
        let mut seen_head = 0;
        for i in 0..count {
            if i - seen_head == slots {
                seen_head = wait_for(head, producer_sleeps, |h| i - h < slots);
            }
            stamp(&mut msg, i);
            // SAFETY: the consumer is done with this slot (head, Acquire).
            unsafe { std::ptr::copy_nonoverlapping(msg.as_ptr(), slot(i), size) };
            publish(tail, i + 1, consumer_sleeps);
        }
    })?;
    let mut got = vec![0u8; size];
    let mut seen_tail = 0;
    for i in 0..count {
        if seen_tail == i {
            seen_tail = wait_for(tail, consumer_sleeps, |t| t > i);
        }
        // SAFETY: the producer finished this slot before publishing it.
        unsafe { std::ptr::copy_nonoverlapping(slot(i), got.as_mut_ptr(), size) };
        publish(head, i + 1, producer_sleeps);
        if seq(&got) != i {
            return Err(io::Error::other("ring: out of order"));
        }
    }
    reap(vec![pid])?;
    Ok(count)
}
// ANCHOR_END: ring

// ------------------------------------------- waiting on the ring: futex

impl Shared {
    /// The 32-bit flag right after padded atomic `i`, on the same line.
    fn flag(&self, i: usize) -> &AtomicU32 {
        assert!(i * 64 + 12 <= self.len);
        // SAFETY: in bounds (checked), 4-aligned (page base + i * 64 + 8).
        unsafe { &*self.ptr.as_ptr().add(i * 64 + 8).cast::<AtomicU32>() }
    }
}

/// Looks at `word` this many times, spinning, before going to sleep.
const SPINS: u32 = 100;

/// Waits until `ready(word)`, and returns the value that was ready: a
/// short spin, then sleeps on the futex at `word` with `flag` set, so
/// that [`publish`] knows to wake us. `SeqCst` on the flag's store and
/// the word's load here, and on the word's store and the flag's load in
/// `publish`: one order of the four that both processes agree on, so
/// either we see the new value or the publisher sees the flag.
fn wait_for(word: &AtomicU64, flag: &AtomicU32, ready: impl Fn(u64) -> bool) -> u64 {
    for _ in 0..SPINS {
        let v = word.load(Ordering::Acquire);
        if ready(v) {
            return v;
        }
        std::hint::spin_loop();
    }
    loop {
        flag.store(1, Ordering::SeqCst);
        let v = word.load(Ordering::SeqCst);
        if ready(v) {
            flag.store(0, Ordering::Relaxed);
            return v;
        }
        futex(word, libc::FUTEX_WAIT, v as u32);
        flag.store(0, Ordering::Relaxed);
    }
}

/// Stores `value` in `word` and wakes a sleeper if `flag` says there may
/// be one: no system call while the other side is awake.
fn publish(word: &AtomicU64, value: u64, flag: &AtomicU32) {
    word.store(value, Ordering::SeqCst);
    if flag.load(Ordering::SeqCst) != 0 {
        futex(word, libc::FUTEX_WAKE, i32::MAX as u32);
    }
}

/// FUTEX_WAIT (sleep while the low half of `word` is `val`) or FUTEX_WAKE
/// (wake up to `val` sleepers), shared between processes: no
/// FUTEX_PRIVATE_FLAG.
fn futex(word: &AtomicU64, op: libc::c_int, val: u32) {
    let low = word.as_ptr().cast::<u32>();
    let low = if cfg!(target_endian = "big") {
        low.wrapping_add(1)
    } else {
        low
    };
    // SAFETY: `low` is 4 aligned bytes inside a live AtomicU64; no
    // timeout (null) and the unused arguments are null/0.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            low,
            op,
            val,
            std::ptr::null::<libc::timespec>(),
            std::ptr::null::<u32>(),
            0u32,
        );
    }
}

// ---------------------------------------- handing 100 MB to a process

/// Bytes that live in a memfd segment (no name), mapped here too.
pub struct Bytes {
    fd: OwnedFd,
    map: Shared,
}

impl Bytes {
    /// `len` bytes (at least 1), byte `i` holding `i as u8`.
    pub fn new(len: usize) -> io::Result<Bytes> {
        use nix::sys::memfd::{MFdFlags, memfd_create};
        let fd = memfd_create("workbook-handover", MFdFlags::MFD_CLOEXEC)?;
        let size = NonZeroUsize::new(len.max(1)).expect("at least 1");
        nix::unistd::ftruncate(&fd, size.get() as libc::off_t)?;
        let prot = ProtFlags::PROT_READ | ProtFlags::PROT_WRITE;
        // SAFETY: a new mapping of a file that is `size` bytes long.
        let ptr = unsafe { nix::sys::mman::mmap(None, size, prot, MapFlags::MAP_SHARED, &fd, 0) }?;
        let mut map = Shared {
            ptr: ptr.cast(),
            len: size.get(),
        };
        for (i, b) in map.bytes_mut().iter_mut().enumerate() {
            *b = i as u8;
        }
        Ok(Bytes { fd, map })
    }

    pub fn as_slice(&self) -> &[u8] {
        // SAFETY: the mapping's bytes; nobody writes them after new().
        unsafe { std::slice::from_raw_parts(self.map.ptr.as_ptr(), self.map.len) }
    }
}

impl Shared {
    fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: the mapping's bytes, and &mut self is the only view.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

/// What a receiver reports: how many bytes it has, and the last one, in
/// one word (`len << 8 | last`), so the sender can check the hand-over.
fn receipt(len: usize, last: u8) -> u64 {
    ((len as u64) << 8) | u64::from(last)
}

// ANCHOR: handover
/// Hands `bytes` to a forked child as a copy through a pipe: the child
/// reads all of them into memory of its own (what a `Queue.put` of a
/// `bytes` object amounts to, without the pickle).
pub fn hand_over_pipe(bytes: &Bytes) -> io::Result<u64> {
    let data = bytes.as_slice();
    let len = data.len();
    let out = Shared::new(64)?;
    let (r, w): (OwnedFd, OwnedFd) = nix::unistd::pipe()?;
    let (rfd, wfd) = (r.as_raw_fd(), w.as_raw_fd());
    let pid = spawn(|| {
        // SAFETY: the child's copy of the write end.
        unsafe { libc::close(wfd) };
        let mut mine = Shared::new(len).expect("memory for the copy");
        let buf = mine.bytes_mut();
        let mut got = 0;
        while got < len {
            let rest = buf[got..].as_mut_ptr().cast();
            // SAFETY: reads into the rest of our own mapping.
            let k = unsafe { libc::read(rfd, rest, len - got) };
            assert!(k > 0, "the pipe ended after {got} bytes");
            got += k as usize;
        }
        out.padded(0)
            .store(receipt(got, buf[len - 1]), Ordering::Relaxed);
    })?;
    drop(r);
    std::io::Write::write_all(&mut File::from(w), data)?;
    reap(vec![pid])?;
    Ok(out.padded(0).load(Ordering::Relaxed))
}

/// Hands the same bytes over as the segment itself: the child gets the
/// memfd (inherited here; `SCM_RIGHTS` over a socket works as well),
/// maps it and reads the last byte. Nothing is copied.
pub fn hand_over_segment(bytes: &Bytes) -> io::Result<u64> {
    let out = Shared::new(64)?;
    let (fd, len) = (bytes.fd.as_raw_fd(), bytes.map.len);
    let pid = spawn(|| {
        // SAFETY: the parent's memfd, open across fork.
        let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
        let size = NonZeroUsize::new(len).expect("not empty");
        let (prot, flags) = (ProtFlags::PROT_READ, MapFlags::MAP_SHARED);
        // SAFETY: a new read-only mapping of a file `len` bytes long.
        let ptr = unsafe { nix::sys::mman::mmap(None, size, prot, flags, fd, 0) }.expect("mmap");
        // SAFETY: the last byte of the mapping just made.
        let last = unsafe { *ptr.as_ptr().cast::<u8>().add(len - 1) };
        out.padded(0).store(receipt(len, last), Ordering::Relaxed);
        // SAFETY: our mapping, and nothing borrowed from it is left.
        let _ = unsafe { munmap(ptr, len) };
    })?;
    reap(vec![pid])?;
    Ok(out.padded(0).load(Ordering::Relaxed))
}
// ANCHOR_END: handover

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sum_is_right() {
        let d = numbers(100_003).unwrap();
        let want: u64 = (0..100_003u64).sum();
        assert_eq!(sum_serial(d.words()), want);
        assert_eq!(sum_threads(d.words(), 3), want);
        assert_eq!(sum_rayon(d.words()), want);
        assert_eq!(sum_processes_shared(d.words(), 3).unwrap(), want);
        assert_eq!(sum_processes_pipe(d.words(), 3).unwrap(), want);
        let pool = SumPool::new(d.words(), 3).unwrap();
        for _ in 0..3 {
            assert_eq!(pool.sum().unwrap(), want);
        }
        drop(pool);
        let x = d.words().iter().fold(0, |a, &w| a ^ w);
        assert_eq!(read_bandwidth(d.words(), 2), x);
    }

    #[test]
    fn every_counter_counts_exactly() {
        assert_eq!(count_serial(1000), 1000);
        assert_eq!(count_one_atomic(2, 10_000).unwrap(), 20_000);
        assert_eq!(count_padded(2, 10_000).unwrap(), 20_000);
        assert_eq!(count_robust_mutex(2, 10_000).unwrap(), 20_000);
        assert_eq!(count_manager(2, 2_000).unwrap(), 4_000);
        assert_eq!(count_manager(1, 0).unwrap(), 0);
    }

    #[test]
    fn both_hand_overs_deliver_every_byte() {
        let b = Bytes::new(300_001).unwrap();
        let want = receipt(300_001, (300_000 % 256) as u8);
        assert_eq!(hand_over_pipe(&b).unwrap(), want);
        assert_eq!(hand_over_segment(&b).unwrap(), want);
    }

    #[test]
    fn messages_arrive_in_order() {
        for size in [64, 4096] {
            assert_eq!(pipe_messages(size, 2_000).unwrap(), 2_000);
            assert_eq!(ring_messages(size, 2_000).unwrap(), 2_000);
        }
    }
}
