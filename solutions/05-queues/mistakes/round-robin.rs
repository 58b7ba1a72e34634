//! Exercise 7, solved: a queue from several producer processes to one
//! consumer, one pipe per producer, framed messages, bad frames reported
//! with the producer's name.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, IoSlice, Read};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use nix::errno::Errno;
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

    /// Writes one frame (header, then payload). With a pipe of its own, no
    /// other producer can write into the middle of it, whatever its size.
    pub fn send(&mut self, payload: &[u8]) -> io::Result<()> {
        let head = header(self.id, payload.len())?;
        let total = HEADER + payload.len();
        let mut done = 0;
        while done < total {
            // One writev for header and payload: a frame of up to PIPE_BUF
            // bytes goes into the pipe in one piece.
            let wrote = if done >= HEADER {
                write(&self.pipe, &payload[done - HEADER..])
            } else {
                writev(
                    &self.pipe,
                    &[IoSlice::new(&head[done..]), IoSlice::new(payload)],
                )
            };
            match wrote {
                Ok(k) => done += k,
                Err(Errno::EINTR) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
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
    turn: usize,
    ready: VecDeque<Result<Frame, QueueError>>,
}

impl Queue {
    /// A queue whose frames may carry at most `max_frame` payload bytes.
    pub fn new(max_frame: usize) -> Queue {
        Queue {
            sources: Vec::new(),
            max_frame,
            next_id: 1,
            turn: 0,
            ready: VecDeque::new(),
        }
    }

    // ANCHOR: add_producer
    /// Makes a new producer (ids 1, 2, 3, ...) with a pipe of its own. The
    /// queue keeps only the read end: when the producer's process ends,
    /// its pipe reaches end-of-file.
    pub fn add_producer(&mut self) -> io::Result<Producer> {
        let (read_end, write_end) = crate::given::make_pipe()?;
        let id = self.next_id;
        self.next_id += 1;
        self.sources.push(Source {
            id,
            pipe: File::from(read_end),
            buf: Vec::new(),
        });
        Ok(Producer {
            id,
            pipe: write_end,
        })
    }
    // ANCHOR_END: add_producer

    // ANCHOR: recv
    /// The next frame from any producer, in the order frames become
    /// readable; `Err` for a producer whose stream went bad (that producer
    /// is dropped, the others go on); `None` once every producer's pipe has
    /// ended.
    pub fn recv(&mut self) -> Option<Result<Frame, QueueError>> {
        loop {
            if let Some(next) = self.ready.pop_front() {
                return Some(next);
            }
            if self.sources.is_empty() {
                return None;
            }
            // Producers take turns: read from the next one in line.
            let readable = vec![self.turn % self.sources.len()];
            self.turn += 1;
            let mut finished = Vec::new();
            for i in readable {
                match self.read_some(i) {
                    Ok(true) => {}
                    Ok(false) => finished.push(i),
                    Err(e) => {
                        // Only this producer's stream is lost; the others
                        // have pipes of their own and go on.
                        self.ready.push_back(Err(e));
                        finished.push(i);
                    }
                }
            }
            for i in finished.into_iter().rev() {
                self.sources.remove(i);
            }
        }
    }

    /// Reads what source `i` has and moves its whole frames to `ready`.
    /// Ok(false) at a clean end of its stream.
    fn read_some(&mut self, i: usize) -> Result<bool, QueueError> {
        let max = self.max_frame;
        let src = &mut self.sources[i];
        let mut chunk = [0u8; 16 * 1024];
        let k = loop {
            match src.pipe.read(&mut chunk) {
                Ok(k) => break k,
                Err(e) if matches!(e.kind(), io::ErrorKind::Interrupted) => {}
                Err(e) => return Err(QueueError::Io(e)),
            }
        };
        if k == 0 {
            if src.buf.is_empty() {
                return Ok(false);
            }
            // The producer died (or closed its pipe) in the middle of a
            // frame.
            let wanted = match parse_header(&src.buf) {
                Ok(Some((_, len))) => HEADER + len,
                _ => HEADER,
            };
            return Err(QueueError::Truncated {
                producer: src.id,
                wanted,
                got: src.buf.len(),
            });
        }
        src.buf.extend_from_slice(&chunk[..k]);
        // Every length is checked against the limit before the payload is
        // waited for: a bad header costs at most one chunk of memory.
        while let Some((claimed, len)) =
            parse_header(&src.buf).map_err(|why| QueueError::Garbled {
                producer: src.id,
                why,
            })?
        {
            if claimed != src.id {
                return Err(QueueError::Garbled {
                    producer: src.id,
                    why: format!("frame claims producer {claimed}"),
                });
            }
            if len > max {
                return Err(QueueError::TooLarge {
                    producer: src.id,
                    len,
                    max,
                });
            }
            if src.buf.len() < HEADER + len {
                break;
            }
            let payload = src.buf[HEADER..HEADER + len].to_vec();
            src.buf.drain(..HEADER + len);
            self.ready.push_back(Ok(Frame {
                producer: src.id,
                payload,
            }));
        }
        Ok(true)
    }
    // ANCHOR_END: recv
}
