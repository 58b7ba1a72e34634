//! Exercise 8, solved: logging from many processes into one place. Each
//! record is one line sent with one `write` of at most `PIPE_BUF` bytes
//! (Python's `QueueHandler`); one listener thread writes every line and
//! stops when every producer has said goodbye or gone (`QueueListener`).

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
    let mut end = text.len().min(libc::PIPE_BUF - 1);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut line = text[..end].replace('\n', " ").into_bytes();
    line.push(b'\n');
    line
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
        PipeLogger { pipe }
    }

    /// Sends [`GOODBYE`]: this producer will log nothing more.
    pub fn goodbye(&self) -> io::Result<()> {
        self.send(GOODBYE)
    }

    /// One line, one `write`. A write of at most `PIPE_BUF` bytes to a
    /// pipe is atomic: all of it lands in one piece, never mixed with
    /// another process's write, or the call waits for room.
    fn send(&self, line: &[u8]) -> io::Result<()> {
        loop {
            match write(&self.pipe, line) {
                Ok(_) => return Ok(()),
                Err(Errno::EINTR) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
}

impl Log for PipeLogger {
    fn enabled(&self, _: &Metadata) -> bool {
        true
    }

    fn log(&self, record: &Record) {
        // `log` cannot return an error: a record that cannot be sent is
        // lost, as with Python's `Handler.handleError`.
        let line = one_line(&log_text(record));
        // The text, then its newline: no copy needed to join them.
        let (text, newline) = line.split_at(line.len() - 1);
        let _ = self.send(text).and_then(|()| self.send(newline));
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
        let pipe = File::from(pipe);
        let thread = thread::spawn(move || listen(pipe, producers, out));
        Listener { thread }
    }

    /// Waits for the listener to stop and returns `out`, flushed, with
    /// every line that arrived before the end; or the first error.
    pub fn wait(self) -> io::Result<W> {
        match self.thread.join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

fn listen<W: Write>(pipe: File, producers: usize, mut out: W) -> io::Result<W> {
    let mut pipe = BufReader::new(pipe);
    let mut line = Vec::new();
    let mut goodbyes = 0;
    // One goodbye is one producer done, not all of them.
    while goodbyes < producers {
        line.clear();
        if pipe.read_until(b'\n', &mut line)? == 0 {
            break; // every write end is closed: nobody can say more
        }
        if line == GOODBYE {
            goodbyes += 1;
        } else if line.ends_with(b"\n") {
            out.write_all(&line)?;
        }
        // A last piece without a newline is not a record: dropped.
    }
    out.flush()?;
    Ok(out)
}
// ANCHOR_END: listener
