//! Exercise 8: logging from many processes into one place.
//!
//! Python sends every worker's log records through a queue
//! (`logging.handlers.QueueHandler`) to one `QueueListener` in the parent,
//! the only one that writes the log. Build both halves over one pipe that
//! every producer process shares:
//!
//! * `PipeLogger` is a `log::Log`: each record becomes one line
//!   (`one_line(&log_text(record))`) sent with a single `write`. A write of
//!   at most `PIPE_BUF` (4096) bytes to a pipe is atomic; two writes from
//!   one process can have another process's line land between them.
//! * `PipeLogger::goodbye` sends [`GOODBYE`], the sentinel: this producer
//!   will log nothing more.
//! * `Listener::start` runs a thread that reads lines from the pipe and
//!   writes each record line to `out` (goodbyes are not written, nor a
//!   last piece without a newline). It stops once `producers` goodbyes
//!   have arrived, or when the pipe ends: a producer that was killed never
//!   says goodbye, but its end of the pipe closes.
//! * `Listener::wait` returns `out` with every line, flushed.

// Fields and parameters are unused until the todo!()s are filled in.
#![allow(dead_code, unused_variables, unused_imports)]

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::os::fd::OwnedFd;
use std::thread::{self, JoinHandle};

use log::{Log, Metadata, Record};
use nix::errno::Errno;
use nix::unistd::write;

pub use crate::given::log_text;

/// The line a producer sends when it will log nothing more (the sentinel).
/// Every record line starts with `[`, so no record can look like it.
pub const GOODBYE: &[u8] = b"bye\n";

// ANCHOR: one_line
/// `text` as one line of at most `PIPE_BUF` (4096) bytes, the newline
/// included: newlines inside become spaces, and a longer text is cut at
/// a character boundary.
pub fn one_line(text: &str) -> Vec<u8> {
    todo!()
}
// ANCHOR_END: one_line

// ANCHOR: logger
/// A `log::Log` whose records travel over a pipe shared by every producer
/// process: Python's `QueueHandler`.
pub struct PipeLogger {
    pipe: OwnedFd,
}

impl PipeLogger {
    pub fn new(pipe: OwnedFd) -> PipeLogger {
        todo!()
    }

    /// Sends [`GOODBYE`]: this producer will log nothing more.
    pub fn goodbye(&self) -> io::Result<()> {
        todo!()
    }
}

impl Log for PipeLogger {
    fn enabled(&self, _: &Metadata) -> bool {
        true
    }

    /// Sends the record as one line, with one `write`.
    fn log(&self, record: &Record) {
        todo!()
    }

    fn flush(&self) {}
}
// ANCHOR_END: logger

// ANCHOR: listener
/// The one place that writes the log: a thread that reads lines from the
/// pipe and writes them to `out`. Python's `QueueListener`.
pub struct Listener<W> {
    thread: JoinHandle<io::Result<W>>,
}

impl<W: Write + Send + 'static> Listener<W> {
    /// Starts the listener thread on the pipe's read end. It stops when
    /// `producers` producers have said goodbye, or when the pipe ends
    /// (every write end closed: a producer that died is done too).
    pub fn start(pipe: OwnedFd, producers: usize, out: W) -> Listener<W> {
        todo!()
    }

    /// Waits for the listener to stop and returns `out`, flushed, with
    /// every line that arrived before the end; or the first error.
    pub fn wait(self) -> io::Result<W> {
        todo!()
    }
}
// ANCHOR_END: listener
