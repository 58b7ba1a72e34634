//! Code the exercises use but do not ask you to write.
//!
//! * [`Region`] owns a mapping (`munmap` on drop); exercise 1 makes one.
//! * [`fork_child`] and [`run_in_children`] fork children that follow the
//!   fork rule: the child runs your closure (which only computes and
//!   writes to shared memory), then `_exit`s; it never returns into the
//!   caller. A child is killed and reaped if its handle is dropped.
//! * [`unique_name`] makes a segment name nobody else will pick.
//! * [`Header`] and [`RingControl`] are the layouts exercises 2 and 5 keep
//!   at the start of their shared memory.
//! * [`futex_wait`] and [`futex_wake`] let exercise 5's ring sleep until the
//!   other process changes an index; [`process_is_gone`] tells a sleeper
//!   whether the process it waits for still exists.
//! * [`pipes_wire`] is the Pipes chapter's `given.rs`, the very file: the
//!   error type and the handshake's keyed digest. With [`write_frame`],
//!   [`read_frame`], [`Request`] and [`Reply`], exercise 6's manager speaks
//!   the Pipes chapter's framing, so you do not write framing again.
//! * [`sync`]: the atomics exercise 5's ring is made of. In an ordinary
//!   build they are std's; built with `--features model` they are
//!   [loom](https://docs.rs/loom)'s, the futex becomes loom's thread parking,
//!   and the model-checked tests run a ring between two threads once per
//!   possible interleaving (as in the Synchronization chapter).
//!
//! What may live in shared memory is plain data: no pointers, no `Vec`,
//! `String` or `Box` (their heap is in one process only). The bound for
//! that is [`Pod`] ("plain old data", from the `bytemuck` crate).

use std::fmt;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::panic::{self, AssertUnwindSafe};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use nix::sys::mman::munmap;
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork};

pub use bytemuck::{Pod, Zeroable};

/// The atomics of exercise 5's ring: std's, or loom's under `model`.
pub mod sync {
    #[cfg(feature = "model")]
    pub use loom::sync::atomic::{AtomicU32, AtomicU64, fence};
    #[cfg(not(feature = "model"))]
    pub use std::sync::atomic::{AtomicU32, AtomicU64, fence};

    /// The same type in both builds.
    pub use std::sync::atomic::Ordering;
}

/// Every segment this workbook creates starts with this, so that leftovers
/// are easy to find (and the test harness removes them).
pub const SHM_PREFIX: &str = "workbook-";

/// A name for a new segment, `/workbook-<tag>-<pid>-<n>-<nanoseconds>`:
/// unique on this machine, and hard to guess for another user.
pub fn unique_name(tag: &str) -> String {
    static SEQ: AtomicUsize = AtomicUsize::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "/{SHM_PREFIX}{tag}-{}-{}-{nanos}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    )
}

// ANCHOR: region
/// A mapping of `len` bytes that this value owns: dropping it unmaps the
/// pages (in this process only; other processes keep theirs).
pub struct Region {
    ptr: NonNull<u8>,
    len: usize,
}

// SAFETY: a Region is an address range; the bytes in it are only reached
// through raw pointers or atomics, which are fine from any thread.
unsafe impl Send for Region {}
// SAFETY: as above: &Region gives out raw pointers and atomics only.
unsafe impl Sync for Region {}

impl Region {
    /// Takes ownership of a mapping.
    ///
    /// # Safety
    /// `ptr` must be the start of a mapping of at least `len` bytes, from
    /// `mmap`, readable and writable, that nothing else will unmap.
    pub unsafe fn from_raw_parts(ptr: NonNull<u8>, len: usize) -> Region {
        Region { ptr, len }
    }

    pub fn as_ptr(&self) -> *mut u8 {
        self.ptr.as_ptr()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The region seen as `len / 8` atomic counters, the way to read and
    /// write shared memory that another process changes at the same time.
    pub fn atomics(&self) -> &[AtomicU64] {
        // SAFETY: mmap returns page-aligned memory, so it is aligned for
        // AtomicU64; len / 8 counters fit in len bytes; atomics may be
        // changed by anyone at any time, which is what shared memory is.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr().cast::<AtomicU64>(), self.len / 8) }
    }
}

impl Drop for Region {
    fn drop(&mut self) {
        // SAFETY: we own the mapping (from_raw_parts' contract) and nothing
        // borrowed from it outlives self.
        let _ = unsafe { munmap(self.ptr.cast(), self.len) };
    }
}
// ANCHOR_END: region

impl fmt::Debug for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Region({:p}, {} bytes)", self.ptr, self.len)
    }
}

/// A forked child. Dropping the handle without [`Child::wait`] kills and
/// reaps it, so no test leaves a child behind.
#[derive(Debug)]
pub struct Child {
    pid: Option<Pid>,
}

impl Child {
    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.pid.map_or(0, |p| p.as_raw() as u32)
    }

    /// Waits for the child. `Ok` if it exited with status 0; otherwise an
    /// error that says how it ended (exit status or signal).
    pub fn wait(mut self) -> io::Result<()> {
        let pid = self.pid.take().expect("a child is waited for once");
        loop {
            match waitpid(pid, None) {
                Ok(WaitStatus::Exited(_, 0)) => return Ok(()),
                Ok(WaitStatus::Exited(_, code)) => {
                    return Err(io::Error::other(format!(
                        "child {pid} exited with status {code} (101 means it panicked)"
                    )));
                }
                Ok(WaitStatus::Signaled(_, sig, _)) => {
                    return Err(io::Error::other(format!(
                        "child {pid} was killed by signal {}",
                        sig.as_str()
                    )));
                }
                Ok(_) => continue,
                Err(nix::errno::Errno::EINTR) => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Sends SIGKILL and reaps the child.
    pub fn kill_and_reap(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(pid) = self.pid.take() {
            let _ = kill(pid, Signal::SIGKILL);
            let _ = waitpid(pid, None);
        }
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        self.stop();
    }
}

// ANCHOR: fork_child
/// Forks a child that runs `work` and `_exit`s: status 0 if `work`
/// returned, 101 if it panicked. `work` must only compute and write to
/// shared memory or raw file descriptors (the fork rule).
pub fn fork_child(work: impl FnOnce()) -> io::Result<Child> {
    // SAFETY: the child only runs `work` (which the caller promises keeps
    // to the fork rule) and then _exits without returning into the caller.
    match unsafe { fork() }? {
        ForkResult::Child => {
            let ok = panic::catch_unwind(AssertUnwindSafe(work)).is_ok();
            // SAFETY: _exit ends the child at once, running no destructors
            // and no atexit handlers that belong to the parent.
            unsafe { libc::_exit(if ok { 0 } else { 101 }) }
        }
        ForkResult::Parent { child } => Ok(Child { pid: Some(child) }),
    }
}
// ANCHOR_END: fork_child

/// Forks `n` children at once, child `i` running `work(i)`, and waits for
/// all of them. The first child that failed is the error.
pub fn run_in_children(n: usize, work: impl Fn(usize)) -> io::Result<()> {
    let mut children = Vec::with_capacity(n);
    for i in 0..n {
        children.push(fork_child(|| work(i))?);
    }
    let mut first_error = None;
    for child in children {
        if let Err(e) = child.wait() {
            first_error.get_or_insert(e);
        }
    }
    first_error.map_or(Ok(()), Err)
}

// ANCHOR: header
/// Exercise 2: what a named segment starts with, so that a process that
/// attaches can check it is looking at the right thing.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Always [`Header::MAGIC`].
    pub magic: u64,
    /// Always [`Header::VERSION`].
    pub version: u32,
    pub _reserved: u32,
    /// How many data bytes follow the header.
    pub data_len: u64,
}

impl Header {
    pub const MAGIC: u64 = u64::from_le_bytes(*b"WBSHMSEG");
    pub const VERSION: u32 = 1;
    /// The data starts this many bytes into the segment (one cache line).
    pub const LEN: usize = 64;
}
// ANCHOR_END: header

// SAFETY: four plain integers, repr(C), no padding (8 + 4 + 4 + 8 bytes).
unsafe impl Zeroable for Header {}
// SAFETY: as above; every bit pattern is a valid Header.
unsafe impl Pod for Header {}

// ANCHOR: ring_control
/// Exercise 5: the control block at the start of a ring's region, followed
/// by `capacity` slots of `AtomicU64`. `head` is written by the consumer
/// only, `tail` by the producer only; each has a cache line of its own so
/// the two processes do not keep stealing one line from each other.
#[repr(C)]
pub struct RingControl {
    /// Always [`RingControl::MAGIC`] once initialised.
    pub magic: sync::AtomicU64,
    /// How many slots follow the control block.
    pub capacity: sync::AtomicU64,
    _pad0: [u64; 6],
    /// How many messages were ever taken (the next slot to read is
    /// `head % capacity`). A full ring's producer sleeps on this word.
    pub head: sync::AtomicU64,
    /// 1 while the producer is (or is about to be) asleep on `head`.
    pub producer_sleeping: sync::AtomicU32,
    /// The process that last took a message (0: none yet).
    pub consumer_pid: sync::AtomicU32,
    _pad1: [u64; 6],
    /// How many messages were ever put (the next slot to write is
    /// `tail % capacity`). An empty ring's consumer sleeps on this word.
    pub tail: sync::AtomicU64,
    /// 1 while the consumer is (or is about to be) asleep on `tail`.
    pub consumer_sleeping: sync::AtomicU32,
    /// The process that last put a message (0: none yet).
    pub producer_pid: sync::AtomicU32,
    _pad2: [u64; 6],
}
// ANCHOR_END: ring_control

impl RingControl {
    pub const MAGIC: u64 = u64::from_le_bytes(*b"WBSHRING");
    /// The slots start this many bytes into the region.
    pub const LEN: usize = std::mem::size_of::<RingControl>();

    /// A control block in ordinary memory, for a ring between threads of
    /// one process (the model-checked tests use one): initialised, empty.
    pub fn new(capacity: u64) -> RingControl {
        RingControl {
            magic: sync::AtomicU64::new(RingControl::MAGIC),
            capacity: sync::AtomicU64::new(capacity),
            _pad0: [0; 6],
            head: sync::AtomicU64::new(0),
            producer_sleeping: sync::AtomicU32::new(0),
            consumer_pid: sync::AtomicU32::new(0),
            _pad1: [0; 6],
            tail: sync::AtomicU64::new(0),
            consumer_sleeping: sync::AtomicU32::new(0),
            producer_pid: sync::AtomicU32::new(0),
            _pad2: [0; 6],
        }
    }
}

// ANCHOR: futex
/// How a [`futex_wait`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waited {
    /// Woken by [`futex_wake`], or the word had already changed, or a
    /// signal arrived: look at the word again.
    Woken,
    /// The time ran out and nobody woke us.
    TimedOut,
}

/// Sleeps in the kernel while `word` still holds `seen`, until another
/// thread or process calls [`futex_wake`] on it, or `timeout` passes.
///
/// The kernel compares and goes to sleep in one step, so a change made
/// just before the call is never missed: the call returns at once. The
/// futex is *shared* (no `FUTEX_PRIVATE_FLAG`): the kernel finds the
/// sleeper by the physical page, so a wake from another process that maps
/// the same page reaches it. A futex word is 32 bits; this one is the low
/// half of the index, which changes with every increment.
#[cfg(not(feature = "model"))]
pub fn futex_wait(word: &sync::AtomicU64, seen: u64, timeout: Duration) -> Waited {
    let ts = libc::timespec {
        tv_sec: timeout.as_secs().try_into().unwrap_or(libc::time_t::MAX),
        tv_nsec: timeout.subsec_nanos().into(),
    };
    // SAFETY: low_half points at 4 aligned bytes of the live `word`, which
    // the kernel only reads; `ts` outlives the call; FUTEX_WAIT ignores the
    // last two arguments.
    let r = unsafe {
        libc::syscall(
            libc::SYS_futex,
            low_half(word),
            libc::FUTEX_WAIT,
            seen as u32,
            &raw const ts,
            std::ptr::null::<u32>(),
            0u32,
        )
    };
    let errno = io::Error::last_os_error().raw_os_error();
    if r == -1 && errno == Some(libc::ETIMEDOUT) {
        Waited::TimedOut
    } else {
        Waited::Woken
    }
}

/// Wakes every thread, in any process, asleep in [`futex_wait`] on `word`.
/// A system call: call it only when someone may be asleep.
#[cfg(not(feature = "model"))]
pub fn futex_wake(word: &sync::AtomicU64) {
    // SAFETY: as in futex_wait; FUTEX_WAKE does not even read the word, it
    // only finds the sleepers queued on its address.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            low_half(word),
            libc::FUTEX_WAKE,
            i32::MAX,
            std::ptr::null::<libc::timespec>(),
            std::ptr::null::<u32>(),
            0u32,
        );
    }
}
// ANCHOR_END: futex

/// Under `model`: the futex is loom's thread parking. A waiter puts its
/// thread handle in a list of sleepers (under a loom `Mutex`, not held
/// while asleep), then compares the word, and parks only if it still holds
/// `seen`; a waker empties the list and unparks everyone in it. Like the
/// kernel's futex, a change made before `futex_wake` is seen by the
/// compare, or the wake finds the waiter in the list (an unpark that comes
/// before the park makes the park return at once). There is no time in a
/// model: a sleep never times out.
#[cfg(feature = "model")]
mod model_futex {
    use super::{Duration, Ordering, Waited, sync};
    use loom::sync::Mutex;
    use loom::thread::{self, Thread};

    loom::lazy_static! {
        static ref SLEEPERS: Mutex<Vec<Thread>> = Mutex::new(Vec::new());
    }

    fn sleepers() -> loom::sync::MutexGuard<'static, Vec<Thread>> {
        SLEEPERS.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn futex_wait(word: &sync::AtomicU64, seen: u64, _timeout: Duration) -> Waited {
        let me = thread::current();
        sleepers().push(me.clone());
        if word.load(Ordering::SeqCst) as u32 == seen as u32 {
            thread::park();
        }
        sleepers().retain(|t| t.id() != me.id());
        Waited::Woken
    }

    pub fn futex_wake(_word: &sync::AtomicU64) {
        let woken = std::mem::take(&mut *sleepers());
        for t in woken {
            t.unpark();
        }
    }
}
#[cfg(feature = "model")]
pub use model_futex::{futex_wait, futex_wake};

/// The address of the 32 bits of `word` that hold its low half.
#[cfg(not(feature = "model"))]
fn low_half(word: &sync::AtomicU64) -> *const u32 {
    let p = word.as_ptr().cast::<u32>().cast_const();
    if cfg!(target_endian = "big") {
        p.wrapping_add(1)
    } else {
        p
    }
}

// ANCHOR: process_is_gone
/// True once process `pid` has ended (even if nobody has reaped it yet):
/// the kernel makes a pidfd readable when its process exits. A process
/// that still runs, or a `pid` of 0 (nobody yet), is not gone.
pub fn process_is_gone(pid: u32) -> bool {
    if pid == 0 {
        return false;
    }
    // SAFETY: pidfd_open takes a pid and flags, no pointers.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid as libc::pid_t, 0) };
    if fd < 0 {
        // No such process at all: ended and reaped.
        return io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH);
    }
    // SAFETY: pidfd_open returned a new descriptor that nobody else owns.
    let fd = unsafe { OwnedFd::from_raw_fd(fd as i32) };
    let mut p = libc::pollfd {
        fd: fd.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one pollfd, alive for the call; timeout 0 never blocks.
    let n = unsafe { libc::poll(&raw mut p, 1, 0) };
    n == 1 && p.revents & libc::POLLIN != 0
}
// ANCHOR_END: process_is_gone

// ------------------------------------------------ exercise 6: the wire

/// The Pipes chapter's `given.rs` itself (not a copy): [`FrameError`], the
/// handshake's constants and its keyed digest ([`answer`],
/// [`is_right_answer`], [`random_challenge`]). Its examples name the
/// Pipes crate, so this crate's doctests have it as a dev-dependency.
#[path = "../../02-pipes/src/given.rs"]
pub mod pipes_wire;
pub use pipes_wire::{
    CHALLENGE, FAILURE, FrameError, HANDSHAKE_MAX, MAX_FRAME, WELCOME, answer, is_right_answer,
    random_challenge,
};

/// The largest request or reply payload the manager reads: a key of a few
/// kilobytes at most. A length field above it is refused before anything
/// is allocated.
pub const REQUEST_MAX: usize = 4096;

// ANCHOR: frames
/// Writes one frame, as in the Pipes chapter: the payload's length as a
/// big-endian `u32`, then the payload. A payload above [`MAX_FRAME`] is
/// refused with `FrameError::TooLarge` and nothing is written.
pub fn write_frame(w: &mut impl io::Write, payload: &[u8]) -> Result<(), FrameError> {
    let len = u32::try_from(payload.len())
        .ok()
        .filter(|&n| n as usize <= MAX_FRAME)
        .ok_or(FrameError::TooLarge {
            len: payload.len() as u64,
            max: MAX_FRAME,
        })?;
    let mut frame = len.to_be_bytes().to_vec();
    frame.extend_from_slice(payload);
    w.write_all(&frame)?;
    w.flush()?;
    Ok(())
}

/// Reads one frame's payload; `Ok(None)` if the stream ends cleanly before
/// a frame starts. A length above `max` is `FrameError::TooLarge`, said
/// before a byte of the payload is read or allocated; a stream that ends
/// inside a frame is `FrameError::Truncated`.
pub fn read_frame(r: &mut impl io::Read, max: usize) -> Result<Option<Vec<u8>>, FrameError> {
    let mut len = [0u8; 4];
    match fill(r, &mut len)? {
        0 => return Ok(None),
        4 => {}
        got => return Err(FrameError::Truncated { wanted: 4, got }),
    }
    let len = u32::from_be_bytes(len);
    if len as usize > max {
        return Err(FrameError::TooLarge {
            len: len.into(),
            max,
        });
    }
    let mut payload = vec![0u8; len as usize];
    match fill(r, &mut payload)? {
        got if got == payload.len() => Ok(Some(payload)),
        got => Err(FrameError::Truncated {
            wanted: payload.len(),
            got,
        }),
    }
}
// ANCHOR_END: frames

/// Reads until `buf` is full or the stream ends; how many bytes came.
fn fill(r: &mut impl io::Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

// ANCHOR: wire
/// What a client asks the manager. On the wire: a tag byte, the key (a
/// big-endian `u32` byte count, then UTF-8), and for `Set` and `Add` an
/// `i64`, big-endian.
///
/// ```text
///   1 Get  key
///   2 Set  key value
///   3 Add  key delta
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// The value under the key, if any (`d.get(key)`).
    Get(String),
    /// Store a value (`d[key] = value`).
    Set(String, i64),
    /// Add to the value (a missing key counts as 0) and return the sum, in
    /// one step on the server (`d[key] += delta`, but atomic).
    Add(String, i64),
}

/// What the manager answers: a tag byte, then the fields.
///
/// ```text
///   1 Value    i64       (Get of a present key, Add)
///   2 Missing            (Get of a missing key)
///   3 Done               (Set)
///   4 Refused  reason    (a u32 byte count, then UTF-8)
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Value(i64),
    Missing,
    Done,
    /// The request was not understood or cannot be done; why, in words.
    Refused(String),
}
// ANCHOR_END: wire

impl Request {
    /// The payload of a frame that carries this request.
    pub fn encode(&self) -> Vec<u8> {
        let (tag, key, number) = match self {
            Request::Get(k) => (1u8, k, None),
            Request::Set(k, v) => (2, k, Some(*v)),
            Request::Add(k, d) => (3, k, Some(*d)),
        };
        let mut out = vec![tag];
        put_text(&mut out, key);
        if let Some(n) = number {
            out.extend_from_slice(&n.to_be_bytes());
        }
        out
    }

    /// The request a payload carries. A field that runs past the end is
    /// `Truncated`; an unknown tag, a key that is not UTF-8 or bytes left
    /// over are `Garbled`. Never panics; allocates at most the key's bytes,
    /// which are in the payload.
    pub fn decode(payload: &[u8]) -> Result<Request, FrameError> {
        let mut f = Fields(payload);
        let request = match f.byte()? {
            1 => Request::Get(f.text()?),
            2 => Request::Set(f.text()?, f.number()?),
            3 => Request::Add(f.text()?, f.number()?),
            tag => return Err(FrameError::Garbled(format!("unknown request tag {tag}"))),
        };
        f.end()?;
        Ok(request)
    }
}

impl Reply {
    /// The payload of a frame that carries this reply.
    pub fn encode(&self) -> Vec<u8> {
        match self {
            Reply::Value(v) => {
                let mut out = vec![1u8];
                out.extend_from_slice(&v.to_be_bytes());
                out
            }
            Reply::Missing => vec![2],
            Reply::Done => vec![3],
            Reply::Refused(why) => {
                let mut out = vec![4u8];
                put_text(&mut out, why);
                out
            }
        }
    }

    /// The reply a payload carries; errors as for [`Request::decode`].
    pub fn decode(payload: &[u8]) -> Result<Reply, FrameError> {
        let mut f = Fields(payload);
        let reply = match f.byte()? {
            1 => Reply::Value(f.number()?),
            2 => Reply::Missing,
            3 => Reply::Done,
            4 => Reply::Refused(f.text()?),
            tag => return Err(FrameError::Garbled(format!("unknown reply tag {tag}"))),
        };
        f.end()?;
        Ok(reply)
    }
}

fn put_text(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(&(text.len() as u32).to_be_bytes());
    out.extend_from_slice(text.as_bytes());
}

/// The unread rest of a payload.
struct Fields<'a>(&'a [u8]);

impl<'a> Fields<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], FrameError> {
        if n > self.0.len() {
            return Err(FrameError::Truncated {
                wanted: n,
                got: self.0.len(),
            });
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn byte(&mut self) -> Result<u8, FrameError> {
        Ok(self.take(1)?[0])
    }

    fn number(&mut self) -> Result<i64, FrameError> {
        let bytes = self.take(8)?;
        Ok(i64::from_be_bytes(
            bytes.try_into().expect("take(8) gives 8 bytes"),
        ))
    }

    fn text(&mut self) -> Result<String, FrameError> {
        let len = u32::from_be_bytes(self.take(4)?.try_into().expect("take(4) gives 4 bytes"));
        let bytes = self.take(len as usize)?; // checked against what is there
        let text = std::str::from_utf8(bytes)
            .map_err(|e| FrameError::Garbled(format!("a key or reason is not UTF-8: {e}")))?;
        Ok(text.to_string())
    }

    fn end(&self) -> Result<(), FrameError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(FrameError::Garbled(format!(
                "{} bytes left over after the message",
                self.0.len()
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_that_panics_or_is_killed_is_an_error() {
        let panicked = fork_child(|| panic!("on purpose")).unwrap().wait();
        assert!(panicked.unwrap_err().to_string().contains("status 101"));
        let killed = fork_child(|| {
            let _ = nix::sys::signal::raise(Signal::SIGKILL);
        })
        .unwrap()
        .wait();
        assert!(killed.unwrap_err().to_string().contains("SIGKILL"));
        assert!(fork_child(|| ()).unwrap().wait().is_ok());
        let first = run_in_children(3, |i| assert_ne!(i, 1));
        assert!(first.unwrap_err().to_string().contains("status 101"));
        assert!(run_in_children(2, |_| ()).is_ok());
    }

    #[test]
    fn a_dropped_child_is_killed_and_reaped() {
        let child = fork_child(|| {
            loop {
                // SAFETY: pause only waits for a signal.
                unsafe { libc::pause() };
            }
        })
        .unwrap();
        let pid = child.pid.unwrap();
        drop(child);
        // Reaped: waiting for it again finds no such child.
        assert_eq!(waitpid(pid, None), Err(nix::errno::Errno::ECHILD));
    }

    #[cfg(not(feature = "model"))]
    #[test]
    fn layouts_are_what_the_docs_say() {
        assert_eq!(std::mem::size_of::<Header>(), 24);
        assert_eq!(std::mem::offset_of!(RingControl, head), 64);
        assert_eq!(std::mem::offset_of!(RingControl, tail), 128);
        assert_eq!(RingControl::LEN, 192);
        assert_eq!(std::mem::offset_of!(RingControl, consumer_pid), 76);
        assert_eq!(std::mem::offset_of!(RingControl, producer_pid), 140);
    }

    #[cfg(not(feature = "model"))]
    #[test]
    fn a_futex_wait_on_a_changed_word_returns_and_an_unchanged_one_times_out() {
        let word = AtomicU64::new(5);
        assert_eq!(futex_wait(&word, 4, Duration::from_secs(5)), Waited::Woken);
        let t = Duration::from_millis(1);
        assert_eq!(futex_wait(&word, 5, t), Waited::TimedOut);
        futex_wake(&word); // nobody asleep: nothing happens
    }

    #[cfg(not(feature = "model"))]
    #[test]
    fn a_futex_wake_reaches_a_sleeper_in_another_process() {
        let region = {
            let len = std::num::NonZeroUsize::new(4096).unwrap();
            // SAFETY: a new anonymous mapping aliases nothing.
            let p = unsafe {
                nix::sys::mman::mmap_anonymous(
                    None,
                    len,
                    nix::sys::mman::ProtFlags::PROT_READ | nix::sys::mman::ProtFlags::PROT_WRITE,
                    nix::sys::mman::MapFlags::MAP_SHARED,
                )
            }
            .unwrap();
            // SAFETY: the mapping is ours, 4096 bytes, read-write.
            unsafe { Region::from_raw_parts(p.cast(), 4096) }
        };
        let word = &region.atomics()[0];
        let child = fork_child(|| {
            while word.load(Ordering::Acquire) == 0 {
                futex_wait(word, 0, Duration::from_secs(60));
            }
        })
        .unwrap();
        // Until the kernel shows the child asleep.
        while !std::fs::read_to_string(format!("/proc/{}/stat", child.pid()))
            .unwrap()
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('S'))
        {
            std::thread::yield_now();
        }
        word.store(1, Ordering::Release);
        futex_wake(word);
        child.wait().unwrap();
    }

    #[test]
    fn a_process_is_gone_once_it_exits_even_before_it_is_reaped() {
        assert!(!process_is_gone(std::process::id()));
        assert!(!process_is_gone(0));
        let child = fork_child(|| {
            // SAFETY: pause only waits for a signal.
            unsafe { libc::pause() };
        })
        .unwrap();
        let pid = child.pid();
        assert!(!process_is_gone(pid));
        kill(Pid::from_raw(pid as i32), Signal::SIGKILL).unwrap();
        // A zombie now, or soon: gone either way, without waitpid.
        while !process_is_gone(pid) {
            std::thread::yield_now();
        }
        child.kill_and_reap();
        assert!(process_is_gone(pid));
    }

    #[test]
    fn requests_and_replies_survive_the_round_trip() {
        for r in [
            Request::Get("x".into()),
            Request::Set("ключ".into(), -7),
            Request::Add(String::new(), i64::MAX),
        ] {
            assert_eq!(Request::decode(&r.encode()).unwrap(), r);
        }
        for r in [
            Reply::Value(i64::MIN),
            Reply::Missing,
            Reply::Done,
            Reply::Refused("no".into()),
        ] {
            assert_eq!(Reply::decode(&r.encode()).unwrap(), r);
        }
    }

    #[test]
    fn bad_requests_and_replies_are_errors() {
        let whole = Request::Add("key".into(), 5).encode();
        for cut in 0..whole.len() {
            let e = Request::decode(&whole[..cut]).unwrap_err();
            assert!(matches!(e, FrameError::Truncated { .. }), "{cut}: {e}");
        }
        let mut extra = whole.clone();
        extra.push(0);
        assert!(matches!(
            Request::decode(&extra),
            Err(FrameError::Garbled(_))
        ));
        assert!(matches!(Request::decode(&[9]), Err(FrameError::Garbled(_))));
        assert!(matches!(Reply::decode(&[9]), Err(FrameError::Garbled(_))));
        assert!(matches!(
            Reply::decode(&[1, 0]),
            Err(FrameError::Truncated { .. })
        ));
        assert!(matches!(
            Reply::decode(&[3, 0]),
            Err(FrameError::Garbled(_))
        ));
        assert!(matches!(
            Reply::decode(&[]),
            Err(FrameError::Truncated { .. })
        ));
        // A key that is not UTF-8.
        let bad = [1, 0, 0, 0, 1, 0xff];
        assert!(matches!(Request::decode(&bad), Err(FrameError::Garbled(_))));
        // A key length of 4 GiB in a 5-byte payload: refused, not allocated.
        let huge = [1, 0xff, 0xff, 0xff, 0xff];
        assert!(matches!(
            Request::decode(&huge),
            Err(FrameError::Truncated { .. })
        ));
        let reason = [4, 0xff, 0xff, 0xff, 0xff, b'x'];
        assert!(matches!(
            Reply::decode(&reason),
            Err(FrameError::Truncated { .. })
        ));
    }

    #[test]
    fn frames_are_bounded_and_checked() {
        let mut wire = Vec::new();
        write_frame(&mut wire, b"abc").unwrap();
        write_frame(&mut wire, b"").unwrap();
        assert_eq!(wire, [0, 0, 0, 3, b'a', b'b', b'c', 0, 0, 0, 0]);
        let mut r = &wire[..];
        assert_eq!(read_frame(&mut r, 3).unwrap().unwrap(), b"abc");
        assert_eq!(read_frame(&mut r, 3).unwrap().unwrap(), b"");
        assert!(read_frame(&mut r, 3).unwrap().is_none());
        // Too large: refused before the payload (which is not even there).
        let e = read_frame(&mut &[0xff, 0xff, 0xff, 0xff][..], REQUEST_MAX).unwrap_err();
        assert!(matches!(
            e,
            FrameError::TooLarge {
                len: 0xffff_ffff,
                ..
            }
        ));
        let e = read_frame(&mut &wire[..], 2).unwrap_err();
        assert!(matches!(e, FrameError::TooLarge { len: 3, max: 2 }));
        assert!(matches!(
            read_frame(&mut &wire[..2], 9),
            Err(FrameError::Truncated { wanted: 4, got: 2 })
        ));
        assert!(matches!(
            read_frame(&mut &wire[..6], 9),
            Err(FrameError::Truncated { wanted: 3, got: 2 })
        ));
        let big = vec![0u8; MAX_FRAME + 1];
        let mut out = Vec::new();
        assert!(matches!(
            write_frame(&mut out, &big),
            Err(FrameError::TooLarge { .. })
        ));
        assert!(out.is_empty());
        write_frame(&mut out, &big[1..]).unwrap();
        assert_eq!(out.len(), 4 + MAX_FRAME);
    }
}
