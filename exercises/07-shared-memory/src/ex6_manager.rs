//! Exercise 6: Python's `Manager()` in Rust, a server process that owns a
//! map and clients that talk to it.
//!
//! Everything before this exercise put plain data in shared pages. A
//! `HashMap<String, i64>` cannot live there (its keys and buckets are on
//! one process's heap), so Python's `Manager` does something else: a
//! *server process* holds the real object, and every other process sends
//! it requests through a socket and waits for the reply.
//!
//! Build the same: [`Manager::start`] binds a Unix socket and forks the
//! server; [`serve`] accepts connections and serves each one on a thread
//! of its own; [`Client`] connects, proves it knows the key, and sends
//! [`Request`]s. The wire is the Pipes chapter's: frames with a length in
//! front ([`read_frame`](crate::given::read_frame) and
//! [`write_frame`](crate::given::write_frame) are given, and so are the
//! request and reply encodings in `given.rs`), and the same
//! challenge-and-answer handshake with a keyed digest
//! ([`answer`](crate::given::answer) and
//! [`is_right_answer`](crate::given::is_right_answer) are given).
//!
//! A client is not to be trusted until it has answered the challenge, and
//! its bytes never: a garbled request is answered with `Reply::Refused`,
//! a frame too long or cut short ends that connection, and neither stops
//! the server from serving everyone else.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;

use nix::sys::signal::{Signal, kill};
use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, Pid, fork};

use crate::given::{
    CHALLENGE, FAILURE, HANDSHAKE_MAX, REQUEST_MAX, WELCOME, answer, is_right_answer,
    random_challenge, read_frame, write_frame,
};
pub use crate::given::{FrameError, Reply, Request};

/// The server's side of the handshake, as in the Pipes chapter: send one
/// frame holding `CHALLENGE` followed by 32 fresh random bytes; read the
/// answer (a frame of at most `HANDSHAKE_MAX` bytes); if
/// `is_right_answer(key, random_bytes, answer)`, send `WELCOME` and return
/// `Ok`, otherwise send `FAILURE` and return
/// `FrameError::AuthenticationFailed`. A peer that hangs up is a failure too.
pub fn deliver_challenge(stream: &mut (impl Read + Write), key: &[u8]) -> Result<(), FrameError> {
    todo!("challenge, read the answer, check it, send the verdict")
}

/// The client's side: read the challenge frame, check that it starts with
/// `CHALLENGE`, send `answer(key, rest)`, and read the verdict: `WELCOME`
/// is `Ok`, anything else `FrameError::AuthenticationFailed`.
pub fn answer_challenge(stream: &mut (impl Read + Write), key: &[u8]) -> Result<(), FrameError> {
    todo!("read the challenge, answer it, read the verdict")
}

// ANCHOR: handle
/// What the server does with one request, on the map it owns:
///
/// * `Get(key)`: `Reply::Value(v)`, or `Reply::Missing` if the key is not
///   there;
/// * `Set(key, v)`: store it, `Reply::Done`;
/// * `Add(key, d)`: add `d` to the value (a missing key counts as 0) and
///   reply `Reply::Value(sum)`; a sum that does not fit in an `i64` is
///   `Reply::Refused` and leaves the value as it was.
pub fn handle(map: &mut HashMap<String, i64>, request: Request) -> Reply {
    todo!("match on the request")
}
// ANCHOR_END: handle

// ANCHOR: serve
/// The server: owns a `HashMap<String, i64>` behind a `Mutex`, accepts
/// connections on `listener` for ever, and serves each on a thread of its
/// own, so that a client that connects and then sends nothing does not
/// stop anyone else. Returns only if `accept` fails.
///
/// Serving one connection: [`deliver_challenge`] (hang up if it fails);
/// then, until the client hangs up between two frames, read a request
/// frame of at most `REQUEST_MAX` bytes, decode it
/// (`Request::decode`), [`handle`] it under the lock and write the reply.
/// A request that does not decode gets `Reply::Refused(why)`, and the
/// connection goes on; a frame too large or cut short gets
/// `Reply::Refused(why)` if the client still listens, and the connection
/// ends. Never panic on what a client sent.
pub fn serve(listener: UnixListener, key: &[u8]) -> io::Result<()> {
    todo!("accept, and a thread per connection")
}
// ANCHOR_END: serve

// ANCHOR: manager
/// A running manager: the server process, and the socket it listens on.
#[derive(Debug)]
pub struct Manager {
    server: Option<Pid>,
    path: PathBuf,
}
// ANCHOR_END: manager

impl Manager {
    // ANCHOR: start
    /// Python's `Manager().start()`: binds a Unix socket at `path` (which
    /// must not exist yet), then forks the server process, which runs
    /// [`serve`] and `_exit`s if that ever returns. The parent keeps no
    /// copy of the listener. Bind *before* the fork, so that a client may
    /// connect as soon as `start` returns.
    ///
    /// Call `start` before your program starts threads of its own: the
    /// server is a forked child that allocates and starts threads.
    pub fn start(path: impl AsRef<Path>, key: &[u8]) -> io::Result<Manager> {
        todo!("bind, fork, serve in the child")
    }
    // ANCHOR_END: start

    /// Where the socket is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The server's process id (0 once it has been shut down).
    pub fn server_pid(&self) -> u32 {
        self.server.map_or(0, |p| p.as_raw() as u32)
    }

    /// A client of this manager: `Client::connect(self.path(), key)`.
    pub fn connect(&self, key: &[u8]) -> Result<Client, FrameError> {
        Client::connect(&self.path, key)
    }

    // ANCHOR: shutdown
    /// Python's `manager.shutdown()`: stops the server (SIGTERM), waits
    /// for it so that no zombie is left, and removes the socket file.
    pub fn shutdown(self) -> io::Result<()> {
        todo!("stop the server, reap it, remove the socket")
    }
    // ANCHOR_END: shutdown
}

impl Drop for Manager {
    /// A manager dropped without [`Manager::shutdown`] is shut down here
    /// (errors ignored); one already shut down is left alone.
    fn drop(&mut self) {
        todo!("the same as shutdown, unless it is already done")
    }
}

// ANCHOR: client
/// One connection to a manager, what a Python proxy holds.
#[derive(Debug)]
pub struct Client {
    stream: UnixStream,
}
// ANCHOR_END: client

impl Client {
    /// Connects to the manager listening at `path` and answers its
    /// challenge: [`Client::over`] on a new connection.
    pub fn connect(path: impl AsRef<Path>, key: &[u8]) -> Result<Client, FrameError> {
        todo!("UnixStream::connect, then Client::over")
    }

    /// A client on a stream that is already connected to a server: runs
    /// [`answer_challenge`] and keeps the stream. A wrong key is
    /// `FrameError::AuthenticationFailed`.
    pub fn over(stream: UnixStream, key: &[u8]) -> Result<Client, FrameError> {
        todo!("answer the challenge")
    }

    /// Sends one request frame and reads one reply frame (at most
    /// `REQUEST_MAX` bytes), decoded. A server that hangs up instead of
    /// replying is an error (`FrameError::Io`, `UnexpectedEof`).
    pub fn request(&mut self, request: &Request) -> Result<Reply, FrameError> {
        todo!("write the request, read and decode the reply")
    }

    /// `d.get(key)`: the value, or `None` if the key is missing. A reply
    /// other than `Value` or `Missing` is an error.
    pub fn get(&mut self, key: &str) -> Result<Option<i64>, FrameError> {
        todo!("one Get request")
    }

    /// `d[key] = value`. A reply other than `Done` is an error.
    pub fn set(&mut self, key: &str, value: i64) -> Result<(), FrameError> {
        todo!("one Set request")
    }

    // ANCHOR: add
    /// `d[key] += delta`, returning the new value, done *atomically*: no
    /// other client's change to `key` may be lost, whatever the clients
    /// do at the same time. A `Refused` reply (the sum overflows) is an
    /// error.
    pub fn add(&mut self, key: &str, delta: i64) -> Result<i64, FrameError> {
        todo!("add the value to key, so that no other client's change is lost")
    }
    // ANCHOR_END: add
}
