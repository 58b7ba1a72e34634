//! Code the exercises use but do not ask you to write: the message type, its
//! encoder, the error type, and the keyed digest of the handshake.
//!
//! The wire format is hand-written on purpose: the encoder is short enough
//! to read in a minute, so the decoder you write in exercise 4 has nothing
//! hidden from you. (A real project might use serde with a bounded binary
//! format; the rules for the decoder are the same.)
//!
//! ```text
//! frame   = length: u32 big-endian, then `length` bytes of payload
//! payload = tag: u8, then the fields of that tag
//!   1 Ping     u64 big-endian
//!   2 Text     u32 big-endian byte count, then that many bytes of UTF-8
//!   3 Numbers  u32 big-endian count, then count × i64 big-endian
//!   4 Bye      (nothing)
//! ```

use std::fmt;
use std::fs::File;
use std::io::{self, Read};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The largest payload a frame may carry: 1 MiB. A length field above it is
/// refused before a single byte of the payload is read or allocated.
pub const MAX_FRAME: usize = 1 << 20;

pub const TAG_PING: u8 = 1;
pub const TAG_TEXT: u8 = 2;
pub const TAG_NUMBERS: u8 = 3;
pub const TAG_BYE: u8 = 4;

/// One message, what Python's `Connection.send(obj)` would pickle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Ping(u64),
    Text(String),
    Numbers(Vec<i64>),
    Bye,
}

// ANCHOR: encode
/// Turns a message into a payload (without the frame's length prefix).
pub fn encode(msg: &Message) -> Vec<u8> {
    let mut out = Vec::new();
    match msg {
        Message::Ping(n) => {
            out.push(TAG_PING);
            out.extend_from_slice(&n.to_be_bytes());
        }
        Message::Text(s) => {
            out.push(TAG_TEXT);
            out.extend_from_slice(&(s.len() as u32).to_be_bytes());
            out.extend_from_slice(s.as_bytes());
        }
        Message::Numbers(v) => {
            out.push(TAG_NUMBERS);
            out.extend_from_slice(&(v.len() as u32).to_be_bytes());
            for n in v {
                out.extend_from_slice(&n.to_be_bytes());
            }
        }
        Message::Bye => out.push(TAG_BYE),
    }
    out
}
// ANCHOR_END: encode

/// Everything that can go wrong between two ends of a connection. Each
/// error says what happened in words:
///
/// ```
/// use pipes::given::FrameError;
/// let e = FrameError::TooLarge { len: 9, max: 4 };
/// assert!(e.to_string().contains("the limit is 4"));
/// ```
#[derive(Debug)]
pub enum FrameError {
    /// The data ended in the middle of a frame or of a field: `wanted`
    /// bytes were needed, only `got` were there.
    Truncated { wanted: usize, got: usize },
    /// A length field asks for more than the limit allows.
    TooLarge { len: u64, max: usize },
    /// The payload is not a message: unknown tag, invalid UTF-8, bytes left
    /// over after the last field.
    Garbled(String),
    /// The handshake failed: the peer does not know our key, or does not
    /// speak the protocol.
    AuthenticationFailed(String),
    /// The operating system said no (a closed socket, say).
    Io(io::Error),
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::Truncated { wanted, got } => {
                write!(f, "truncated: wanted {wanted} bytes, got {got}")
            }
            FrameError::TooLarge { len, max } => {
                write!(
                    f,
                    "too large: length field says {len} bytes, the limit is {max}"
                )
            }
            FrameError::Garbled(why) => write!(f, "garbled payload: {why}"),
            FrameError::AuthenticationFailed(why) => write!(f, "authentication failed: {why}"),
            FrameError::Io(e) => write!(f, "I/O error: {e}"),
        }
    }
}

impl std::error::Error for FrameError {}

impl From<io::Error> for FrameError {
    fn from(e: io::Error) -> Self {
        FrameError::Io(e)
    }
}

/// What the handshake sends first, before the random challenge.
pub const CHALLENGE: &[u8] = b"#CHALLENGE#";
/// The verdict when the answer was right.
pub const WELCOME: &[u8] = b"#WELCOME#";
/// The verdict when it was wrong.
pub const FAILURE: &[u8] = b"#FAILURE#";
/// No handshake frame is longer than this; read them with this limit.
pub const HANDSHAKE_MAX: usize = 256;

/// 32 fresh random bytes from the kernel: a new challenge every time, so an
/// answer recorded once cannot be replayed.
///
/// ```
/// use pipes::given::random_challenge;
/// assert_ne!(random_challenge().unwrap(), random_challenge().unwrap());
/// ```
pub fn random_challenge() -> io::Result<[u8; 32]> {
    let mut bytes = [0u8; 32];
    File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes)
}

// ANCHOR: digest
/// The answer to `challenge` from someone who knows `key`: HMAC-SHA256, as
/// Python's `multiprocessing.connection` uses (it sends the digest's name
/// too; we have only one).
pub fn answer(key: &[u8], challenge: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(challenge);
    mac.finalize().into_bytes().to_vec()
}

/// Whether `response` is the right answer to `challenge` under `key`. The
/// comparison takes the same time however many bytes match, so a peer
/// cannot guess the answer byte by byte.
pub fn is_right_answer(key: &[u8], challenge: &[u8], response: &[u8]) -> bool {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(challenge);
    mac.verify_slice(response).is_ok()
}
// ANCHOR_END: digest
