//! Code the process pool (exercise 5) uses but does not ask you to write:
//! the wire format between the pool and its workers, and the worker's side.
//!
//! **Framing.** A pipe carries bytes, not messages, so every message is a
//! *frame*: its length as 4 bytes (little-endian `u32`), then that many
//! bytes. [`read_frame`] refuses a length above [`MAX_FRAME`] before it
//! allocates anything, so a worker that writes garbage costs an error, not
//! gigabytes of memory.
//!
//! **Encoding.** The bytes of a frame are [postcard](https://docs.rs/postcard):
//! a compact binary format for serde types with a documented, stable wire
//! format (Python's Pool uses pickle here). A task is encoded as `T`; a reply
//! as `Result<R, String>`, where `Err` carries a panicking task's message.
//!
//! **The worker.** [`worker_main`] is what a forked worker runs: it moves
//! its two pipe ends to fd 0 (tasks in) and fd 1 (replies out), closes every
//! other inherited descriptor, then answers frames until its task pipe
//! reaches end-of-file, and `_exit`s. It never returns into the caller.

use std::fs::File;
use std::io::{self, Read, Write};
use std::mem::ManuallyDrop;
use std::os::fd::{FromRawFd, RawFd};
use std::panic::{self, AssertUnwindSafe};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The largest frame [`read_frame`] accepts: 1 MiB.
pub const MAX_FRAME: usize = 1 << 20;

/// Why a frame could not be read.
#[derive(Debug)]
pub enum FrameError {
    /// The pipe reached end-of-file (every write end is closed) before a
    /// whole frame arrived.
    Closed,
    /// The length prefix is larger than [`MAX_FRAME`].
    TooLong(u64),
    /// The read itself failed.
    Io(io::Error),
}

impl std::fmt::Display for FrameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FrameError::Closed => write!(f, "the pipe was closed before a whole frame came"),
            FrameError::TooLong(n) => {
                write!(f, "a frame claims {n} bytes, more than {MAX_FRAME}")
            }
            FrameError::Io(e) => write!(f, "reading the pipe failed: {e}"),
        }
    }
}

/// Writes one frame: the length of `payload`, then `payload`.
pub fn write_frame(w: &mut impl Write, payload: &[u8]) -> io::Result<()> {
    let len = u32::try_from(payload.len())
        .ok()
        .filter(|&n| n as usize <= MAX_FRAME)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "frame too long"))?;
    let mut frame = Vec::with_capacity(4 + payload.len());
    frame.extend_from_slice(&len.to_le_bytes());
    frame.extend_from_slice(payload);
    // One write call: a frame of up to PIPE_BUF bytes reaches the reader whole.
    w.write_all(&frame)
}

/// Reads one frame and returns its payload.
pub fn read_frame(r: &mut impl Read) -> Result<Vec<u8>, FrameError> {
    let mut len = [0u8; 4];
    read_all(r, &mut len)?;
    let len = u32::from_le_bytes(len) as u64;
    if len > MAX_FRAME as u64 {
        return Err(FrameError::TooLong(len));
    }
    let mut payload = vec![0u8; len as usize];
    read_all(r, &mut payload)?;
    Ok(payload)
}

fn read_all(r: &mut impl Read, buf: &mut [u8]) -> Result<(), FrameError> {
    // `read_exact` retries reads that a signal interrupted; it fails with
    // UnexpectedEof when the pipe ends first.
    r.read_exact(buf).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => FrameError::Closed,
        _ => FrameError::Io(e),
    })
}

/// Encodes a value with postcard.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    postcard::to_stdvec(value).expect("postcard encodes every serde value into a Vec")
}

/// Decodes a value with postcard; garbage is an error, never a panic.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, postcard::Error> {
    postcard::from_bytes(bytes)
}

/// A worker's reply to one task: the result, or the message of the task's
/// panic.
pub type Reply<R> = Result<R, String>;

// ANCHOR: worker_main
/// The body of a forked worker. Call it in the child right after `fork`,
/// with the child's ends of its two pipes: `tasks` (read end) and `replies`
/// (write end). It never returns.
pub fn worker_main<T, R>(tasks: RawFd, replies: RawFd, job: impl Fn(T) -> R) -> !
where
    T: DeserializeOwned,
    R: Serialize,
{
    become_worker(tasks, replies);
    // SAFETY: fd 0 and 1 are the pipes `become_worker` just put there; the
    // Files are never dropped (ManuallyDrop), so nothing closes them twice.
    let mut input = ManuallyDrop::new(unsafe { File::from_raw_fd(0) });
    // SAFETY: as above, for fd 1.
    let mut output = ManuallyDrop::new(unsafe { File::from_raw_fd(1) });
    let code = loop {
        let frame = match read_frame(&mut *input) {
            Ok(frame) => frame,
            // End-of-file on the task pipe: the pool is done with us.
            Err(FrameError::Closed) => break 0,
            Err(_) => break 2,
        };
        let Ok(task) = decode::<T>(&frame) else {
            break 3;
        };
        let reply: Reply<R> = panic::catch_unwind(AssertUnwindSafe(|| job(task)))
            .map_err(|payload| panic_message(&*payload));
        if write_frame(&mut *output, &encode(&reply)).is_err() {
            break 4;
        }
    };
    // SAFETY: ends the worker at once, without running the parent's atexit
    // handlers or destructors of state it copied from the parent.
    unsafe { libc::_exit(code) }
}
// ANCHOR_END: worker_main

/// Puts the task pipe on fd 0 and the reply pipe on fd 1, and closes every
/// other descriptor from 3 up: the pipes of the *other* workers, copied by
/// `fork`, must not stay open here, or those workers never see end-of-file.
fn become_worker(tasks: RawFd, replies: RawFd) {
    // SAFETY: fcntl, dup2 and close_range are plain system calls on
    // descriptors. Both pipes are first copied to 3 or above, so that
    // neither dup2 below can overwrite the other pipe, whatever its number.
    unsafe {
        let tasks = libc::fcntl(tasks, libc::F_DUPFD, 3);
        let replies = libc::fcntl(replies, libc::F_DUPFD, 3);
        libc::dup2(tasks, 0);
        libc::dup2(replies, 1);
        libc::close_range(3, u32::MAX, 0);
    }
}

/// The message a panic was started with, if it was a string.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}
