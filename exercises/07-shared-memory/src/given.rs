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
//!
//! What may live in shared memory is plain data: no pointers, no `Vec`,
//! `String` or `Box` (their heap is in one process only). The bound for
//! that is [`Pod`] ("plain old data", from the `bytemuck` crate).

use std::fmt;
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use nix::sys::mman::munmap;
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork};

pub use bytemuck::{Pod, Zeroable};

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
    pub magic: AtomicU64,
    /// How many slots follow the control block.
    pub capacity: AtomicU64,
    _pad0: [u64; 6],
    /// How many messages were ever taken (the next slot to read is
    /// `head % capacity`).
    pub head: AtomicU64,
    _pad1: [u64; 7],
    /// How many messages were ever put (the next slot to write is
    /// `tail % capacity`).
    pub tail: AtomicU64,
    _pad2: [u64; 7],
}
// ANCHOR_END: ring_control

impl RingControl {
    pub const MAGIC: u64 = u64::from_le_bytes(*b"WBSHRING");
    /// The slots start this many bytes into the region.
    pub const LEN: usize = std::mem::size_of::<RingControl>();
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

    #[test]
    fn layouts_are_what_the_docs_say() {
        assert_eq!(std::mem::size_of::<Header>(), 24);
        assert_eq!(std::mem::offset_of!(RingControl, head), 64);
        assert_eq!(std::mem::offset_of!(RingControl, tail), 128);
        assert_eq!(RingControl::LEN, 192);
    }
}
