//! Code the exercises use but do not ask you to write.
//!
//! * [`Exit`]: how a child ended, in the terms of Python's `Process.exitcode`.
//! * [`Report`] and [`report_pipe`]: a child process tells its parent who it
//!   is (pid, parent pid) and what it computed, through a pipe. Pipes are the
//!   next chapter's subject; here they are only the wire.
//!
//! Everything a forked child calls from here is *async-signal-safe*: no
//! allocation, no locks, only plain system calls (see the chapter's page on
//! what a child may do between `fork` and `_exit`).

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::OwnedFd;

use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::unistd::{getpid, getppid};

// ANCHOR: exit
/// How a child process ended: Python's `Process.exitcode`, as a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// It exited by itself (`sys.exit(n)`, the end of `main`, `_exit(n)`)
    /// with this exit code, 0 to 255.
    Code(i32),
    /// It was killed by this signal (15 = SIGTERM, 9 = SIGKILL).
    Signal(i32),
}

impl Exit {
    /// Python's number for it: the exit code, or `-N` if killed by signal N.
    pub fn exitcode(self) -> i32 {
        match self {
            Exit::Code(code) => code,
            Exit::Signal(signal) => -signal,
        }
    }
}
// ANCHOR_END: exit

impl fmt::Display for Exit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Exit::Code(c) => write!(f, "exited with code {c} (Python exitcode {c})"),
            Exit::Signal(s) => write!(f, "killed by signal {s} (Python exitcode -{s})"),
        }
    }
}

// ANCHOR: report
/// What a child tells its parent: who it is, and the value it computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    /// The child's own pid (`os.getpid()` in the child).
    pub pid: i32,
    /// The child's parent pid (`os.getppid()` in the child).
    pub ppid: i32,
    /// Whatever the child computed.
    pub value: u64,
}
// ANCHOR_END: report

impl Report {
    /// Bytes on the wire: pid, ppid (4 bytes each) and value (8), little-endian.
    pub const SIZE: usize = 16;

    /// A report about the calling process: its pid, its parent's pid, and
    /// `value`. Safe to call in a forked child (two system calls, nothing more).
    pub fn from_here(value: u64) -> Report {
        Report {
            pid: getpid().as_raw(),
            ppid: getppid().as_raw(),
            value,
        }
    }

    /// The fixed-size wire form (no allocation, so a forked child may call it).
    pub fn to_bytes(&self) -> [u8; Report::SIZE] {
        let mut out = [0u8; Report::SIZE];
        out[0..4].copy_from_slice(&self.pid.to_le_bytes());
        out[4..8].copy_from_slice(&self.ppid.to_le_bytes());
        out[8..16].copy_from_slice(&self.value.to_le_bytes());
        out
    }

    /// Decodes exactly [`Report::SIZE`] bytes; anything else is an error,
    /// never a panic.
    ///
    /// ```
    /// use processes::given::{Report, ReportError};
    /// let bytes = Report { pid: 7, ppid: 1, value: 42 }.to_bytes();
    /// assert_eq!(Report::from_bytes(&bytes).unwrap().value, 42);
    /// assert!(matches!(Report::from_bytes(&[]), Err(ReportError::Missing)));
    /// let short = Report::from_bytes(&bytes[..5]);
    /// assert!(matches!(short, Err(ReportError::Truncated { got: 5 })));
    /// let long = [&bytes[..], &[0]].concat();
    /// assert!(matches!(Report::from_bytes(&long), Err(ReportError::TooLong)));
    /// // A pid must be positive; a parent pid of 0 is possible.
    /// let no_pid = Report { pid: 0, ppid: 1, value: 0 }.to_bytes();
    /// assert!(matches!(Report::from_bytes(&no_pid), Err(ReportError::Garbled(_))));
    /// let bad_ppid = Report { pid: 7, ppid: -1, value: 0 }.to_bytes();
    /// assert!(Report::from_bytes(&bad_ppid).is_err());
    /// let orphan = Report { pid: 7, ppid: 0, value: 0 }.to_bytes();
    /// assert!(Report::from_bytes(&orphan).is_ok());
    /// // Every error says what went wrong.
    /// assert!(ReportError::Missing.to_string().contains("without a report"));
    /// let code = processes::given::Exit::Code(3).to_string();
    /// assert!(code.contains("code 3"));
    /// ```
    pub fn from_bytes(bytes: &[u8]) -> Result<Report, ReportError> {
        if bytes.is_empty() {
            return Err(ReportError::Missing);
        }
        if bytes.len() < Report::SIZE {
            return Err(ReportError::Truncated { got: bytes.len() });
        }
        if bytes.len() > Report::SIZE {
            return Err(ReportError::TooLong);
        }
        let word = |at: usize| {
            i32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        let mut value = [0u8; 8];
        value.copy_from_slice(&bytes[8..16]);
        let report = Report {
            pid: word(0),
            ppid: word(4),
            value: u64::from_le_bytes(value),
        };
        if report.pid <= 0 || report.ppid < 0 {
            return Err(ReportError::Garbled(report));
        }
        Ok(report)
    }
}

/// Why no [`Report`] could be read.
#[derive(Debug)]
pub enum ReportError {
    /// Reading the pipe failed.
    Io(io::Error),
    /// The pipe was closed with nothing in it: the child ended (or closed its
    /// end) without sending a report.
    Missing,
    /// Fewer bytes than a report arrived.
    Truncated { got: usize },
    /// More bytes than one report arrived.
    TooLong,
    /// The bytes cannot be a report (a pid of 0 or less).
    Garbled(Report),
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportError::Io(e) => write!(f, "reading the report failed: {e}"),
            ReportError::Missing => write!(
                f,
                "the pipe closed without a report: did the child send one before _exit?"
            ),
            ReportError::Truncated { got } => {
                write!(
                    f,
                    "only {got} of {} bytes of a report arrived",
                    Report::SIZE
                )
            }
            ReportError::TooLong => write!(f, "more than one report's worth of bytes arrived"),
            ReportError::Garbled(r) => write!(f, "the bytes are not a report: {r:?}"),
        }
    }
}

impl std::error::Error for ReportError {}

// ANCHOR: pipe
/// A one-way channel for one [`Report`]: create it *before* `fork`, so both
/// processes have both ends; then the child keeps the writer and the parent
/// keeps the reader (each drops the end it does not use).
pub fn report_pipe() -> io::Result<(ReportReader, ReportWriter)> {
    // Close-on-exec: a program started later with `Command` does not inherit
    // these ends (a forked child still does, which is what we want).
    let (read_end, write_end) = nix::unistd::pipe2(OFlag::O_CLOEXEC)?;
    Ok((ReportReader(read_end), ReportWriter(write_end)))
}
// ANCHOR_END: pipe

/// The child's end of a [`report_pipe`].
#[derive(Debug)]
pub struct ReportWriter(OwnedFd);

impl ReportWriter {
    /// Writes the report. Async-signal-safe: a forked child may call it.
    /// Returns false if the parent's end is gone or writing failed.
    pub fn send(&self, report: &Report) -> bool {
        let bytes = report.to_bytes();
        let mut sent = 0;
        while sent < bytes.len() {
            match nix::unistd::write(&self.0, &bytes[sent..]) {
                Ok(0) => return false,
                Ok(n) => sent += n,
                Err(Errno::EINTR) => continue,
                Err(_) => return false,
            }
        }
        true
    }
}

/// The parent's end of a [`report_pipe`].
#[derive(Debug)]
pub struct ReportReader(OwnedFd);

impl ReportReader {
    /// Reads until end-of-file, then decodes one report.
    ///
    /// ```
    /// use processes::given::{Report, ReportError, report_pipe};
    /// let report = Report { pid: 7, ppid: 1, value: 42 };
    /// let (reader, writer) = report_pipe().unwrap();
    /// assert!(writer.send(&report));
    /// drop(writer);
    /// assert_eq!(reader.receive().unwrap(), report);
    /// // Two reports in one pipe are one too many.
    /// let (reader, writer) = report_pipe().unwrap();
    /// assert!(writer.send(&report) && writer.send(&report));
    /// drop(writer);
    /// assert!(matches!(reader.receive(), Err(ReportError::TooLong)));
    /// ```
    ///
    /// End-of-file comes only when *every* copy of the write end is closed:
    /// the child's (when it exits) and the parent's own. A parent that keeps
    /// its copy of the writer waits here forever.
    pub fn receive(self) -> Result<Report, ReportError> {
        let mut file = File::from(self.0);
        // One byte more than a report, to notice a message that is too long
        // without ever reading an unbounded amount.
        let mut buf = [0u8; Report::SIZE + 1];
        let mut got = 0;
        while got < buf.len() {
            match file.read(&mut buf[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(ReportError::Io(e)),
            }
        }
        Report::from_bytes(&buf[..got])
    }
}
