//! Exercise 7: a queue between processes.
//!
//! Python's `multiprocessing.Queue` is a pipe that every producer process
//! writes pickled objects into, under a lock. Build the consumer's side
//! and the producers' side of such a queue, with the frames of
//! `crate::given::frame` (a marker, the producer's id, a length, the
//! payload).
//!
//! * `Queue::add_producer` makes a producer (ids 1, 2, 3, ...). The test
//!   moves it into a child process (`given::fork_child`), which calls
//!   `Producer::send` for each message and exits.
//! * `Queue::recv` returns the next message from *any* producer, `Err` for
//!   a producer whose stream went bad (truncated: it died mid-frame;
//!   garbled; too large: a length above the limit), and `None` once every
//!   producer is done. A bad producer must not stop the others, a frame
//!   must never be torn or lost, whatever its size, and a producer that
//!   dies must not leave `recv` waiting.
//!
//! Think about what is shared between producers and what is not: a write
//! to a pipe of at most `PIPE_BUF` (4096) bytes is atomic, a larger one is
//! not.

// Fields, imports and parameters are unused until the todo!()s are filled in.
#![allow(dead_code, unused_imports, unused_variables)]

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, IoSlice, Read};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::uio::writev;
use nix::unistd::write;

pub use crate::given::frame::{Frame, HEADER, MAGIC, QueueError, header, parse_header};

// ANCHOR: producer
/// The sending end one producer process owns: the write end of its own
/// pipe.
pub struct Producer {
    id: u32,
    pipe: OwnedFd,
}

impl Producer {
    pub fn id(&self) -> u32 {
        self.id
    }

    /// Writes one frame: `given::frame::header`, then the payload.
    pub fn send(&mut self, payload: &[u8]) -> io::Result<()> {
        todo!()
    }
}

impl AsFd for Producer {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.pipe.as_fd()
    }
}
// ANCHOR_END: producer

struct Source {
    id: u32,
    pipe: File,
    /// Bytes read but not yet a whole frame.
    buf: Vec<u8>,
}

/// The consumer's end: one pipe per producer, read whichever has data.
pub struct Queue {
    sources: Vec<Source>,
    max_frame: usize,
    next_id: u32,
    ready: VecDeque<Result<Frame, QueueError>>,
}

impl Queue {
    /// A queue whose frames may carry at most `max_frame` payload bytes.
    pub fn new(max_frame: usize) -> Queue {
        Queue {
            sources: Vec::new(),
            max_frame,
            next_id: 1,
            ready: VecDeque::new(),
        }
    }

    // ANCHOR: add_producer
    /// Makes a new producer (ids 1, 2, 3, ...) with a pipe of its own. The
    /// queue keeps only the read end: when the producer's process ends,
    /// its pipe reaches end-of-file.
    pub fn add_producer(&mut self) -> io::Result<Producer> {
        todo!()
    }
    // ANCHOR_END: add_producer

    // ANCHOR: recv
    /// The next frame from any producer, in the order frames become
    /// readable; `Err` for a producer whose stream went bad (that producer
    /// is dropped, the others go on); `None` once every producer's pipe has
    /// ended.
    pub fn recv(&mut self) -> Option<Result<Frame, QueueError>> {
        todo!()
    }
    // ANCHOR_END: recv
}
