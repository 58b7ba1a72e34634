//! Exercise 4: whole messages over a byte stream.
//!
//! A pipe or a socket carries bytes, not messages: one `read` may return
//! half a message or two of them. Python's `Connection.send` puts a length
//! in front of each pickled object; we do the same with the format in
//! `given.rs` (`encode` is written for you).
//!
//! Write the three functions below. Data from the other end is not to be
//! trusted: a truncated frame, a length field of 4 GiB or a garbled payload
//! must give an `Err`, never a panic, and never an allocation the length
//! field asked for but the limit does not allow.

use std::io::{Read, Write};

pub use crate::given::{FrameError, MAX_FRAME, Message, encode};

// ANCHOR: stub
/// Writes one frame: the payload's length as a big-endian `u32`, then the
/// payload. A payload longer than `MAX_FRAME` is refused with
/// `FrameError::TooLarge` (nothing is written).
pub fn write_frame(w: &mut impl Write, payload: &[u8]) -> Result<(), FrameError> {
    todo!("length prefix, then the payload")
}

/// Reads one frame and returns its payload; `Ok(None)` if the stream ends
/// cleanly *before* a frame starts. A length above `max` gives
/// `FrameError::TooLarge` before anything else is read or allocated; a
/// stream that ends inside the length or the payload gives
/// `FrameError::Truncated`.
pub fn read_frame(r: &mut impl Read, max: usize) -> Result<Option<Vec<u8>>, FrameError> {
    todo!("read the 4-byte length, check it against max, then read the payload")
}

/// Turns a payload back into a message (the inverse of `encode`). A field
/// that runs past the end of the payload gives `FrameError::Truncated`; an
/// unknown tag, invalid UTF-8 or bytes left over give
/// `FrameError::Garbled`. Never allocate more than the payload's own size.
pub fn decode(payload: &[u8]) -> Result<Message, FrameError> {
    todo!("read the tag, then the fields of that tag, checking every length")
}
// ANCHOR_END: stub
