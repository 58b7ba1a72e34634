//! Mistake: read_frame compares the length with the MAX_FRAME constant, not
//! with the `max` its caller gave; a handshake reading with a limit of 256
//! accepts (and waits for) frames of up to 1 MiB.

use std::io::{self, Read, Write};

pub use crate::given::{FrameError, MAX_FRAME, Message, encode};
use crate::given::{TAG_BYE, TAG_NUMBERS, TAG_PING, TAG_TEXT};

// ANCHOR: write_frame
pub fn write_frame(w: &mut impl Write, payload: &[u8]) -> Result<(), FrameError> {
    if payload.len() > MAX_FRAME {
        return Err(FrameError::TooLarge {
            len: payload.len() as u64,
            max: MAX_FRAME,
        });
    }
    // One buffer, one write: the frame is not split into a length write and
    // a payload write (two system calls, and two wake-ups of the reader).
    let mut frame = Vec::with_capacity(4 + payload.len());
    frame.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    frame.extend_from_slice(payload);
    w.write_all(&frame)?;
    w.flush()?;
    Ok(())
}
// ANCHOR_END: write_frame

// ANCHOR: read_frame
/// Reads until `buf` is full or the stream ends; returns how many bytes
/// came (fewer than `buf.len()` only at end-of-stream).
fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(k) => got += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

pub fn read_frame(r: &mut impl Read, max: usize) -> Result<Option<Vec<u8>>, FrameError> {
    let mut header = [0u8; 4];
    match read_full(r, &mut header)? {
        0 => return Ok(None), // a clean end, between frames
        4 => {}
        got => return Err(FrameError::Truncated { wanted: 4, got }),
    }
    let len = u32::from_be_bytes(header) as usize;
    // The check comes before the allocation: the length field is the
    // other side's claim, the limit is ours.
    // MISTAKE: the caller's `max` is ignored.
    if len > MAX_FRAME {
        return Err(FrameError::TooLarge {
            len: len as u64,
            max: MAX_FRAME,
        });
    }
    let mut payload = vec![0u8; len];
    let got = read_full(r, &mut payload)?;
    if got < len {
        return Err(FrameError::Truncated { wanted: len, got });
    }
    Ok(Some(payload))
}
// ANCHOR_END: read_frame

// ANCHOR: decode
/// A cursor over a payload that never reads past its end.
struct Fields<'a> {
    rest: &'a [u8],
}

impl<'a> Fields<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], FrameError> {
        if n > self.rest.len() {
            return Err(FrameError::Truncated {
                wanted: n,
                got: self.rest.len(),
            });
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], FrameError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
}

pub fn decode(payload: &[u8]) -> Result<Message, FrameError> {
    let mut f = Fields { rest: payload };
    let [tag] = f.array::<1>()?;
    let msg = match tag {
        TAG_PING => Message::Ping(u64::from_be_bytes(f.array()?)),
        TAG_TEXT => {
            let len = u32::from_be_bytes(f.array()?) as usize;
            let bytes = f.take(len)?; // checked against what is there
            let text = std::str::from_utf8(bytes)
                .map_err(|e| FrameError::Garbled(format!("text is not UTF-8: {e}")))?;
            Message::Text(text.to_string())
        }
        TAG_NUMBERS => {
            let count = u32::from_be_bytes(f.array()?) as usize;
            // count * 8 bytes must really be there before we allocate.
            let bytes = f.take(count.saturating_mul(8))?;
            let numbers = bytes
                .chunks_exact(8)
                .map(|c| i64::from_be_bytes(c.try_into().expect("chunks of 8")))
                .collect();
            Message::Numbers(numbers)
        }
        TAG_BYE => Message::Bye,
        other => return Err(FrameError::Garbled(format!("unknown tag {other}"))),
    };
    if !f.rest.is_empty() {
        return Err(FrameError::Garbled(format!(
            "{} bytes left over after the message",
            f.rest.len()
        )));
    }
    Ok(msg)
}
// ANCHOR_END: decode
