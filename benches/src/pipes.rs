//! Workloads of the pipes chapter's benchmarks.
//!
//! * bulk throughput: bytes through one pipe, written in chunks of a given
//!   size by one thread and read by another, against `dd | dd`;
//! * round trip: a small message to an echoing peer and back, over a pair
//!   of pipes and over a socket pair (the peer a forked process, as with
//!   Python's `Pipe` and a `Process`), and over channels (the peer a thread).

use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::net::UnixStream;
use std::process::Command;
use std::sync::mpsc;
use std::thread;

use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, Pid, fork};

// ANCHOR: pipe_throughput
/// Moves `total` bytes through a fresh pipe, written `write_size` bytes at a
/// time by a second thread and read with a buffer of the same size.
/// Returns the number of bytes read (== `total`).
pub fn pipe_throughput(write_size: usize, total: usize) -> io::Result<usize> {
    let (mut reader, mut writer) = io::pipe()?;
    let writer_thread = thread::spawn(move || -> io::Result<()> {
        let chunk = vec![0u8; write_size];
        let mut left = total;
        while left > 0 {
            let n = left.min(write_size);
            writer.write_all(&chunk[..n])?;
            left -= n;
        }
        Ok(())
    });
    let mut buf = vec![0u8; write_size];
    let mut got = 0;
    loop {
        let k = reader.read(&mut buf)?;
        if k == 0 {
            break;
        }
        got += k;
    }
    writer_thread.join().expect("writer thread")?;
    Ok(got)
}
// ANCHOR_END: pipe_throughput

/// The baseline: `dd if=/dev/zero bs=64k count=N | dd of=/dev/null bs=64k`,
/// moving `total` bytes (a multiple of 64 KiB) through a shell pipeline.
pub fn dd_pipeline(total: usize) -> io::Result<()> {
    let count = total / (64 * 1024);
    let script = format!(
        "dd if=/dev/zero bs=64k count={count} status=none | dd of=/dev/null bs=64k status=none"
    );
    let status = Command::new("sh").args(["-c", &script]).status()?;
    if status.success() {
        Ok(())
    } else {
        Err(io::Error::other(format!("dd pipeline failed: {status}")))
    }
}

/// Echoes everything from `input` to `output` with raw system calls, then
/// exits. Runs in a forked child: no allocation, no locks.
fn echo_raw_and_exit(input: RawFd, output: RawFd) -> ! {
    // Close every other descriptor the fork copied: our parent's ends of
    // these very pipes, and pipes of other threads. A copy of a write end
    // left open here would keep its reader from ever seeing end-of-file.
    for fd in 3..4096 {
        if fd != input && fd != output {
            // SAFETY: closing a descriptor number this process may or may
            // not hold; an unused one just gives EBADF.
            unsafe { libc::close(fd) };
        }
    }
    let mut buf = [0u8; 4096];
    loop {
        // SAFETY: buf is valid writable memory of buf.len() bytes.
        let k = unsafe { libc::read(input, buf.as_mut_ptr().cast(), buf.len()) };
        if k <= 0 {
            break;
        }
        let mut done = 0;
        while done < k as usize {
            // SAFETY: buf[done..k] is initialised memory of that length.
            let w = unsafe { libc::write(output, buf[done..].as_ptr().cast(), k as usize - done) };
            if w <= 0 {
                // SAFETY: ends the child without returning into the caller.
                unsafe { libc::_exit(1) }
            }
            done += w as usize;
        }
    }
    // SAFETY: ends the child without returning into the caller.
    unsafe { libc::_exit(0) }
}

/// An echoing child process and our ends of the way to it and back.
pub struct ProcessEcho {
    to_child: Box<dyn Write + Send>,
    from_child: Box<dyn Read + Send>,
    child: Pid,
}

impl ProcessEcho {
    fn start(
        ours: (Box<dyn Write + Send>, Box<dyn Read + Send>),
        theirs: (OwnedFd, OwnedFd),
    ) -> io::Result<Self> {
        let (child_in, child_out) = (theirs.0.as_raw_fd(), theirs.1.as_raw_fd());
        // SAFETY: the child only calls read/write/_exit on raw fds with a
        // stack buffer (echo_raw_and_exit): no allocation, no locks.
        match unsafe { fork() }? {
            ForkResult::Child => echo_raw_and_exit(child_in, child_out),
            ForkResult::Parent { child } => {
                drop(theirs); // our copies of the child's ends: close them
                Ok(ProcessEcho {
                    to_child: ours.0,
                    from_child: ours.1,
                    child,
                })
            }
        }
    }

    /// Two pipes, one each way: what `Pipe(duplex=False)` twice would give.
    pub fn over_pipes() -> io::Result<Self> {
        let (their_in, to_child) = io::pipe()?;
        let (from_child, their_out) = io::pipe()?;
        Self::start(
            (Box::new(to_child), Box::new(from_child)),
            (OwnedFd::from(their_in), OwnedFd::from(their_out)),
        )
    }

    /// One socket pair: what `Pipe()` (duplex) gives.
    pub fn over_socketpair() -> io::Result<Self> {
        let (ours, theirs) = UnixStream::pair()?;
        let theirs2 = theirs.try_clone()?;
        let ours2 = ours.try_clone()?;
        Self::start(
            (Box::new(ours), Box::new(ours2)),
            (OwnedFd::from(theirs), OwnedFd::from(theirs2)),
        )
    }

    /// Closes the way to the child, so it sees end-of-file, and waits for it.
    pub fn finish(self) -> io::Result<()> {
        drop(self.to_child);
        drop(self.from_child);
        waitpid(self.child, None)?;
        Ok(())
    }
}

// A block of its own, so the book can show it whole.
// ANCHOR: round_trip
impl ProcessEcho {
    /// Sends `msg` and reads the echo into `back` (same length).
    pub fn round_trip(&mut self, msg: &[u8], back: &mut [u8]) -> io::Result<()> {
        self.to_child.write_all(msg)?;
        self.from_child.read_exact(&mut back[..msg.len()])
    }
}
// ANCHOR_END: round_trip

/// An echoing thread behind two channels.
pub struct ThreadEcho {
    to: mpsc::Sender<Vec<u8>>,
    from: mpsc::Receiver<Vec<u8>>,
    thread: thread::JoinHandle<()>,
}

impl ThreadEcho {
    pub fn start() -> Self {
        let (to, rx) = mpsc::channel::<Vec<u8>>();
        let (tx, from) = mpsc::channel();
        let thread = thread::spawn(move || {
            for m in rx {
                if tx.send(m).is_err() {
                    break;
                }
            }
        });
        ThreadEcho { to, from, thread }
    }

    /// Sends the message (moved, not copied) and receives it back.
    pub fn round_trip(&mut self, msg: Vec<u8>) -> Vec<u8> {
        self.to.send(msg).expect("echo thread alive");
        self.from.recv().expect("echo thread alive")
    }

    pub fn finish(self) {
        drop(self.to);
        self.thread.join().expect("echo thread");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pipe_delivers_every_byte() {
        for size in [4096, 65536, 1 << 20] {
            assert_eq!(pipe_throughput(size, 3 << 20).unwrap(), 3 << 20);
        }
        assert_eq!(pipe_throughput(4096, 1000).unwrap(), 1000);
    }

    #[test]
    fn the_dd_baseline_runs() {
        dd_pipeline(1 << 20).unwrap();
    }

    #[test]
    fn every_echo_sends_the_message_back() {
        let msg: Vec<u8> = (0..64).collect();
        let mut back = [0u8; 64];
        for mut e in [
            ProcessEcho::over_pipes().unwrap(),
            ProcessEcho::over_socketpair().unwrap(),
        ] {
            for _ in 0..100 {
                back.fill(0);
                e.round_trip(&msg, &mut back).unwrap();
                assert_eq!(&back[..], &msg[..]);
            }
            e.finish().unwrap();
        }
        let mut t = ThreadEcho::start();
        assert_eq!(t.round_trip(msg.clone()), msg);
        t.finish();
    }
}
