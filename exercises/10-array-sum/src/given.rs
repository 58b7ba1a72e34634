//! Code the exercises use but do not ask you to write.
//!
//! * [`map_shared`] makes an anonymous shared mapping (the Shared memory
//!   chapter's first exercise) and [`Region`] owns it (`munmap` on drop).
//! * [`fork_worker`] forks a child that follows the fork rule: it runs
//!   your closure (which only computes and writes to shared memory), then
//!   `_exit`s with status 0, or 101 if the closure panicked. Waiting for
//!   the child is yours to do.
//! * [`SumError`] and [`Ended`] are what exercise 3 reports.

use std::fmt;
use std::io;
use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};
use std::ptr::NonNull;

use nix::sys::mman::{MapFlags, ProtFlags, mmap_anonymous, munmap};
use nix::unistd::{ForkResult, Pid, fork};

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
// SAFETY: as above: &Region gives out raw pointers only.
unsafe impl Sync for Region {}

/// `len` zeroed bytes (at least one page), page-aligned, shared with every
/// child forked after this call: a child's writes are the parent's too.
pub fn map_shared(len: usize) -> io::Result<Region> {
    let size = NonZeroUsize::new(len.max(1)).expect("at least 1");
    // SAFETY: a new anonymous mapping aliases nothing.
    let ptr = unsafe {
        mmap_anonymous(
            None,
            size,
            ProtFlags::PROT_READ | ProtFlags::PROT_WRITE,
            MapFlags::MAP_SHARED,
        )
    }?;
    Ok(Region {
        ptr: ptr.cast(),
        len: size.get(),
    })
}

impl Region {
    /// The first byte; page-aligned, so aligned for any type up to 4096.
    pub fn as_ptr(&self) -> *mut u8 {
        self.ptr.as_ptr()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Drop for Region {
    fn drop(&mut self) {
        // SAFETY: our mapping, and nothing borrowed from it outlives self.
        let _ = unsafe { munmap(self.ptr.cast(), self.len) };
    }
}
// ANCHOR_END: region

impl fmt::Debug for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Region({:p}, {} bytes)", self.ptr, self.len)
    }
}

// ANCHOR: fork_worker
/// Forks a child that runs `work` and `_exit`s: status 0 if `work`
/// returned, 101 if it panicked. Returns the child's pid; reaping it
/// (`waitpid`) is the caller's job. `work` must only compute and write to
/// shared memory (the fork rule).
pub fn fork_worker(work: impl FnOnce()) -> io::Result<Pid> {
    // SAFETY: the child only runs `work` (which the caller promises keeps
    // to the fork rule) and then _exits without returning into the caller.
    match unsafe { fork() }? {
        ForkResult::Child => {
            let ok = panic::catch_unwind(AssertUnwindSafe(work)).is_ok();
            // SAFETY: _exit ends the child at once, running no destructors
            // and no atexit handlers that belong to the parent.
            unsafe { libc::_exit(if ok { 0 } else { 101 }) }
        }
        ForkResult::Parent { child } => Ok(child),
    }
}
// ANCHOR_END: fork_worker

// ANCHOR: errors
/// How a worker process that failed ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// It exited with this status, not 0 (101: its closure panicked).
    Exited(i32),
    /// A signal with this number killed it (9 is SIGKILL).
    Killed(i32),
}

/// Why a sum in processes has no answer.
#[derive(Debug)]
pub enum SumError {
    /// Asked for 0 workers.
    NoWorkers,
    /// A system call failed (mmap, fork, waitpid).
    Os(io::Error),
    /// Worker `worker` (the lowest-numbered one that failed) did not exit
    /// with status 0, so its part of the sum is missing.
    WorkerDied { worker: usize, how: Ended },
}
// ANCHOR_END: errors

impl From<io::Error> for SumError {
    fn from(e: io::Error) -> SumError {
        SumError::Os(e)
    }
}

impl From<nix::Error> for SumError {
    fn from(e: nix::Error) -> SumError {
        SumError::Os(e.into())
    }
}

impl fmt::Display for SumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SumError::NoWorkers => write!(f, "a sum needs at least one worker"),
            SumError::Os(e) => write!(f, "a system call failed: {e}"),
            SumError::WorkerDied { worker, how } => {
                write!(f, "worker {worker} failed ({how:?}); its part is missing")
            }
        }
    }
}

impl std::error::Error for SumError {}

#[cfg(test)]
mod tests {
    use super::*;
    use nix::sys::wait::{WaitStatus, waitpid};

    #[test]
    fn a_forked_worker_exits_0_or_101() {
        let ok = fork_worker(|| {}).unwrap();
        assert!(matches!(waitpid(ok, None), Ok(WaitStatus::Exited(_, 0))));
        let bad = fork_worker(|| panic!("on purpose")).unwrap();
        assert!(matches!(waitpid(bad, None), Ok(WaitStatus::Exited(_, 101))));
    }

    #[test]
    fn a_region_is_shared_with_a_child() {
        let r = map_shared(8).unwrap();
        assert_eq!(r.len(), 8);
        assert!(!r.is_empty());
        let p = r.as_ptr() as usize;
        let pid = fork_worker(|| {
            // SAFETY: inside the mapping, aligned, only this child writes.
            unsafe { *(p as *mut u64) = 42 }
        })
        .unwrap();
        waitpid(pid, None).unwrap();
        // SAFETY: the child is gone; inside the mapping.
        assert_eq!(unsafe { *(r.as_ptr() as *const u64) }, 42);
        assert!(format!("{r:?}").contains("8 bytes"));
    }

    #[test]
    fn errors_say_what_happened() {
        let e = SumError::WorkerDied {
            worker: 2,
            how: Ended::Killed(9),
        };
        assert!(e.to_string().contains("worker 2"));
        assert!(SumError::NoWorkers.to_string().contains("one worker"));
        let os: SumError = nix::Error::EAGAIN.into();
        assert!(os.to_string().contains("system call"));
    }
}
