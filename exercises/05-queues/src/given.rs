//! Code the exercises use but do not ask you to write.
//!
//! * [`sync`]: the hand-made queues of exercises 4 and 6 take their `Mutex`,
//!   `Condvar` and `Arc` from here, never from `std` directly. In an ordinary
//!   build these *are* std's types; built with `--features model` they are
//!   [loom](https://docs.rs/loom)'s, and the model-checked tests run each
//!   small scenario once per possible interleaving (as in the
//!   Synchronization chapter).
//! * [`fork_child`], [`spawn_writer`] and [`wait_for`]: starting and reaping
//!   the producer processes of exercises 1 and 7, following the fork rule
//!   (the child only computes, writes to a raw file descriptor and calls
//!   `_exit`).
//! * [`log_text`]: how a log record reads (exercise 8).

use std::fs::File;
use std::io;
use std::os::fd::OwnedFd;

use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork, pipe, write};

/// `Mutex`, `Condvar`, `Arc` and atomics: std's, or loom's under `model`.
pub mod sync {
    #[cfg(feature = "model")]
    pub use loom::sync::atomic::AtomicUsize;
    #[cfg(feature = "model")]
    pub use loom::sync::{Arc, Condvar, Mutex, MutexGuard};

    #[cfg(not(feature = "model"))]
    pub use std::sync::atomic::AtomicUsize;
    #[cfg(not(feature = "model"))]
    pub use std::sync::{Arc, Condvar, Mutex, MutexGuard};

    /// The same type in both builds.
    pub use std::sync::atomic::Ordering;
}

/// `spawn`: std's, or loom's under `model`.
pub mod thread {
    #[cfg(feature = "model")]
    pub use loom::thread::{JoinHandle, spawn};
    #[cfg(not(feature = "model"))]
    pub use std::thread::{JoinHandle, spawn};
}

/// Forks a child process that runs `job` and ends with `_exit(code)`, where
/// `code` is what `job` returned (or 101 if it panicked). Returns the
/// child's pid in the parent.
///
/// `job` runs in a copy of a process that may have other threads, so it
/// must only compute and write to file descriptors it owns: no printing,
/// no locks, no returning into the caller. In the parent, `job` is dropped
/// without running: whatever it owns (a pipe end moved into it, say) is
/// closed there, which is usually what you want.
pub fn fork_child(job: impl FnOnce() -> i32) -> io::Result<Pid> {
    // SAFETY: the child runs only `job` (which the contract above limits to
    // computing and writing to its own descriptors), then `_exit`s: it never
    // returns to code that could touch a lock another thread held at the fork.
    match unsafe { fork() }? {
        ForkResult::Child => {
            let code = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job)).unwrap_or(101);
            // SAFETY: `_exit` ends the child at once, without running the
            // parent's exit handlers or returning into its code.
            unsafe { libc::_exit(code) }
        }
        ForkResult::Parent { child } => Ok(child),
    }
}

/// The byte at position `i` of what [`spawn_writer`]'s child writes.
pub fn pattern(i: usize) -> u8 {
    (i % 251) as u8
}

// ANCHOR: spawn_writer
/// Starts a child process that writes `bytes` bytes ([`pattern`]) into a
/// pipe and exits with status 0, the way a Python process that `put` a big
/// object on a `multiprocessing.Queue` flushes it before it can exit.
/// Returns the child's pid and the pipe's read end.
pub fn spawn_writer(bytes: usize) -> io::Result<(Pid, File)> {
    let (read_end, write_end) = pipe()?;
    let chunk: Vec<u8> = (0..4096).map(pattern).collect();
    let child = fork_child(|| {
        let mut done = 0;
        while done < bytes {
            let start = done % 251;
            let end = (start + bytes - done).min(chunk.len());
            match write(&write_end, &chunk[start..end]) {
                Ok(k) => done += k,
                Err(_) => return 1,
            }
        }
        0
    })?;
    // The parent keeps only the read end: when the child exits, read sees
    // the end of the data.
    drop(write_end);
    Ok((child, File::from(read_end)))
}
// ANCHOR_END: spawn_writer

/// Waits for the child `pid` and returns its exit code (128 + signal
/// number if a signal killed it).
pub fn wait_for(pid: Pid) -> io::Result<i32> {
    loop {
        match waitpid(pid, None)? {
            WaitStatus::Exited(_, code) => return Ok(code),
            WaitStatus::Signaled(_, sig, _) => return Ok(128 + sig as i32),
            _ => continue,
        }
    }
}

/// How a log record reads in the log, before it is made one line:
/// `[pid] LEVEL message` (what a `logging.Formatter` does in Python).
pub fn log_text(record: &log::Record) -> String {
    let pid = std::process::id();
    format!("[{pid}] {} {}", record.level(), record.args())
}

/// Makes a pipe and returns (read end, write end); a small convenience for
/// the tests and for exercise 7.
pub fn make_pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    Ok(pipe()?)
}

/// The frames of exercise 7 (the Pipes chapter's framing, plus a marker
/// and the producer's id, so a consumer can tell garbage from a frame and
/// name who sent it).
///
/// ```text
/// frame = "QF" | producer: u32 big-endian | length: u32 big-endian | payload
/// ```
pub mod frame {
    use std::fmt;
    use std::io;

    /// The two bytes every frame starts with.
    pub const MAGIC: [u8; 2] = *b"QF";
    /// Marker, producer id and length: 10 bytes.
    pub const HEADER: usize = 10;

    /// One message from one producer.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Frame {
        pub producer: u32,
        pub payload: Vec<u8>,
    }

    // ANCHOR: header
    /// The header of a frame from `producer` carrying `len` bytes.
    pub fn header(producer: u32, len: usize) -> io::Result<[u8; HEADER]> {
        let too_big = |_| io::Error::other("a frame carries < 4 GiB");
        let len = u32::try_from(len).map_err(too_big)?;
        let mut h = [0u8; HEADER];
        h[..2].copy_from_slice(&MAGIC);
        h[2..6].copy_from_slice(&producer.to_be_bytes());
        h[6..].copy_from_slice(&len.to_be_bytes());
        Ok(h)
    }

    /// Reads the header at the start of `buf`: `Ok(None)` if fewer than
    /// [`HEADER`] bytes are there yet, `Ok(Some((producer, length)))`,
    /// or `Err(why)` as soon as the bytes cannot be the start of a frame.
    pub fn parse_header(buf: &[u8]) -> Result<Option<(u32, usize)>, String> {
        let seen = buf.len().min(2);
        if buf[..seen] != MAGIC[..seen] {
            return Err(format!(
                "a frame starts with \"QF\", these bytes start with {:?}",
                &buf[..seen]
            ));
        }
        if buf.len() < HEADER {
            return Ok(None);
        }
        let (producer, len) = (word(&buf[2..6]), word(&buf[6..10]));
        Ok(Some((producer, len as usize)))
    }
    // ANCHOR_END: header

    /// Four bytes, big-endian.
    fn word(b: &[u8]) -> u32 {
        u32::from_be_bytes([b[0], b[1], b[2], b[3]])
    }

    /// What can go wrong with one producer's stream. Every variant but
    /// `Io` names the producer.
    #[derive(Debug)]
    pub enum QueueError {
        /// The stream ended inside a frame (the producer died mid-frame):
        /// `wanted` bytes were needed, `got` were there.
        Truncated {
            producer: u32,
            wanted: usize,
            got: usize,
        },
        /// The length field asks for more than the queue's limit.
        TooLarge {
            producer: u32,
            len: usize,
            max: usize,
        },
        /// The bytes are not a frame from this producer.
        Garbled { producer: u32, why: String },
        /// The operating system said no.
        Io(io::Error),
    }

    impl QueueError {
        /// The producer whose stream went bad, if known.
        pub fn producer(&self) -> Option<u32> {
            match self {
                QueueError::Truncated { producer, .. }
                | QueueError::TooLarge { producer, .. }
                | QueueError::Garbled { producer, .. } => Some(*producer),
                QueueError::Io(_) => None,
            }
        }
    }

    impl fmt::Display for QueueError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                QueueError::Truncated {
                    producer,
                    wanted,
                    got,
                } => write!(
                    f,
                    "producer {producer}: stream ended inside a frame \
                     (wanted {wanted} bytes, got {got})"
                ),
                QueueError::TooLarge { producer, len, max } => write!(
                    f,
                    "producer {producer}: frame of {len} bytes, the limit is {max}"
                ),
                QueueError::Garbled { producer, why } => {
                    write!(f, "producer {producer}: garbled: {why}")
                }
                QueueError::Io(e) => write!(f, "I/O error: {e}"),
            }
        }
    }

    impl std::error::Error for QueueError {}
}
