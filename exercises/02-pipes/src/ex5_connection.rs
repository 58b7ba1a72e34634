//! Exercise 5: a duplex, authenticated connection, like
//! `multiprocessing.Pipe()` and `Client(address, authkey=...)`.
//!
//! A `Connection` wraps one end of a Unix socket pair (both directions on
//! one file descriptor, like `Pipe(duplex=True)`) and sends whole messages
//! with your framing from exercise 4.
//!
//! Before any message, the two ends prove to each other that they know the
//! same key, the way Python's `authkey` does (challenge and response):
//!
//! ```text
//! deliver_challenge (the side that checks)   answer_challenge (the side that proves)
//!   send  CHALLENGE + 32 random bytes   -->
//!                                       <--  send answer(key, the 32 bytes)
//!   right?  send WELCOME : send FAILURE -->  WELCOME? fine : AuthenticationFailed
//! ```
//!
//! `accept` (the listener's side) delivers a challenge, then answers one;
//! `connect` (the client's side) answers, then delivers. So each side
//! checks the other, and a wrong key fails on both sides. A peer that hangs
//! up before it has done its part fails the handshake too, and a handshake
//! frame is read with the limit `HANDSHAKE_MAX`, never more.

use std::os::unix::net::UnixStream;

pub use crate::given::{FrameError, Message};

/// One end of a duplex connection.
#[derive(Debug)]
pub struct Connection {
    pub stream: UnixStream,
}

// ANCHOR: stub
impl Connection {
    /// Two connected ends, like `multiprocessing.Pipe(duplex=True)`; no
    /// handshake.
    pub fn pair() -> std::io::Result<(Connection, Connection)> {
        todo!("UnixStream::pair")
    }

    /// Sends one message as one frame.
    pub fn send(&mut self, msg: &Message) -> Result<(), FrameError> {
        todo!("encode, then write_frame")
    }

    /// Receives one message; `Ok(None)` when the other end has closed.
    pub fn recv(&mut self) -> Result<Option<Message>, FrameError> {
        todo!("read_frame with MAX_FRAME, then decode")
    }

    /// Sends a challenge and checks the answer; tells the peer the verdict.
    pub fn deliver_challenge(&mut self, key: &[u8]) -> Result<(), FrameError> {
        todo!("CHALLENGE + random bytes; read the answer (HANDSHAKE_MAX); WELCOME or FAILURE")
    }

    /// Answers the peer's challenge and reads the verdict.
    pub fn answer_challenge(&mut self, key: &[u8]) -> Result<(), FrameError> {
        todo!("read the challenge; send answer(key, ...); expect WELCOME")
    }
}

/// The listener's side: checks the peer, then proves itself.
pub fn accept(stream: UnixStream, key: &[u8]) -> Result<Connection, FrameError> {
    todo!("deliver_challenge, then answer_challenge")
}

/// The client's side: proves itself, then checks the peer.
pub fn connect(stream: UnixStream, key: &[u8]) -> Result<Connection, FrameError> {
    todo!("answer_challenge, then deliver_challenge")
}
// ANCHOR_END: stub
