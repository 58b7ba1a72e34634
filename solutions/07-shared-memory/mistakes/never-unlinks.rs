//! Exercise 2: a named segment's life, from create to unlink.

use std::fmt;
use std::num::NonZeroUsize;
use std::os::fd::OwnedFd;
use std::ptr::NonNull;

use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::sys::mman::{MapFlags, ProtFlags, mmap, munmap, shm_open, shm_unlink};
use nix::sys::stat::{Mode, fstat};
use nix::unistd::ftruncate;

use crate::given::{Header, Pod};

/// Why a segment could not be created, attached or used.
#[derive(Debug)]
pub enum SegmentError {
    /// `create`: a segment of that name exists already.
    Exists(String),
    /// `attach`: no segment has that name.
    Missing(String),
    /// `attach`: the segment is not one of ours, or not whole.
    BadHeader { name: String, why: String },
    /// `read`/`write`: the value would not fit at that offset.
    OutOfBounds {
        offset: usize,
        len: usize,
        size: usize,
    },
    /// Any other failure of the system call `call`.
    Os { call: &'static str, err: Errno },
}

impl fmt::Display for SegmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SegmentError::Exists(n) => write!(f, "a segment named {n} exists already"),
            SegmentError::Missing(n) => write!(f, "no segment is named {n}"),
            SegmentError::BadHeader { name, why } => {
                write!(f, "{name} is not a segment this program can use: {why}")
            }
            SegmentError::OutOfBounds { offset, len, size } => write!(
                f,
                "{len} bytes at offset {offset} do not fit in {size} data bytes"
            ),
            SegmentError::Os { call, err } => write!(f, "{call} failed: {err}"),
        }
    }
}

impl std::error::Error for SegmentError {}

fn os(call: &'static str) -> impl Fn(Errno) -> SegmentError {
    move |err| SegmentError::Os { call, err }
}

// ANCHOR: segment
/// A POSIX shared-memory segment mapped into this process. The process
/// that created it owns the name and removes it (`shm_unlink`) when the
/// value is dropped; a process that attached only unmaps.
pub struct Segment {
    name: String,
    ptr: NonNull<u8>,
    /// The whole mapping: header and data.
    map_len: usize,
    owner: bool,
}
// ANCHOR_END: segment

// SAFETY: the mapping is reached only through raw pointer copies.
unsafe impl Send for Segment {}
// SAFETY: as above; no &-reference into the mapping is handed out.
unsafe impl Sync for Segment {}

/// Maps the whole of `fd` (`len` bytes), readable and writable, shared.
fn map_fd(fd: &OwnedFd, len: usize) -> Result<NonNull<u8>, SegmentError> {
    let size = NonZeroUsize::new(len).ok_or(SegmentError::Os {
        call: "mmap",
        err: Errno::EINVAL,
    })?;
    let prot = ProtFlags::PROT_READ | ProtFlags::PROT_WRITE;
    // SAFETY: a new mapping at an address the kernel picks aliases
    // nothing; the file is at least len bytes long (checked or set by
    // the callers), so every mapped page is backed.
    let ptr = unsafe { mmap(None, size, prot, MapFlags::MAP_SHARED, fd, 0) };
    ptr.map(NonNull::cast).map_err(os("mmap"))
}

impl Segment {
    // ANCHOR: create
    /// Creates the segment `name` (`/workbook-...`) with `data_len` data
    /// bytes after the header, readable and writable by this user only.
    /// Fails with `Exists` if the name is taken.
    pub fn create(name: &str, data_len: usize) -> Result<Segment, SegmentError> {
        let flags = OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_RDWR;
        let mode = Mode::from_bits_truncate(0o600);
        let fd = shm_open(name, flags, mode).map_err(|e| match e {
            Errno::EEXIST => SegmentError::Exists(name.to_string()),
            e => os("shm_open")(e),
        })?;
        let map_len = Header::LEN + data_len;
        // A new segment is 0 bytes long: give it its size, or touching
        // the mapping gives SIGBUS.
        let mapped = ftruncate(&fd, map_len as libc::off_t)
            .map_err(os("ftruncate"))
            .and_then(|()| map_fd(&fd, map_len));
        let ptr = match mapped {
            Ok(ptr) => ptr,
            Err(e) => {
                // We made the name: take it away again.
                let _ = shm_unlink(name);
                return Err(e);
            }
        };
        let header = Header {
            magic: Header::MAGIC,
            version: Header::VERSION,
            _reserved: 0,
            data_len: data_len as u64,
        };
        // SAFETY: the mapping is map_len >= Header::LEN bytes, and
        // nobody else knows the new name's contents yet.
        unsafe { ptr.as_ptr().cast::<Header>().write_unaligned(header) };
        Ok(Segment {
            name: name.to_string(),
            ptr,
            map_len,
            owner: true,
        })
    }
    // ANCHOR_END: create

    // ANCHOR: attach
    /// Maps the existing segment `name`. Checks its header (magic,
    /// version, size) before trusting anything in it.
    pub fn attach(name: &str) -> Result<Segment, SegmentError> {
        let fd = shm_open(name, OFlag::O_RDWR, Mode::empty()).map_err(|e| match e {
            Errno::ENOENT => SegmentError::Missing(name.to_string()),
            e => os("shm_open")(e),
        })?;
        let bad = |why: String| SegmentError::BadHeader {
            name: name.to_string(),
            why,
        };
        let file_len = fstat(&fd).map_err(os("fstat"))?.st_size as usize;
        if file_len < Header::LEN {
            return Err(bad(format!(
                "it is {file_len} bytes, smaller than the {}-byte header",
                Header::LEN
            )));
        }
        let ptr = map_fd(&fd, file_len)?;
        // From here on, dropping `seg` unmaps (and does not unlink).
        let seg = Segment {
            name: name.to_string(),
            ptr,
            map_len: file_len,
            owner: false,
        };
        // SAFETY: the mapping is file_len >= Header::LEN bytes; any bit
        // pattern is a valid Header, so reading one cannot go wrong.
        let h = unsafe { ptr.as_ptr().cast::<Header>().read_unaligned() };
        if h.magic != Header::MAGIC {
            return Err(bad(format!("magic {:#x}", h.magic)));
        }
        if h.version != Header::VERSION {
            return Err(bad(format!("version {}", h.version)));
        }
        if h.data_len != (file_len - Header::LEN) as u64 {
            return Err(bad(format!(
                "the header says {} data bytes, the file holds {}",
                h.data_len,
                file_len - Header::LEN
            )));
        }
        Ok(seg)
    }
    // ANCHOR_END: attach

    pub fn name(&self) -> &str {
        &self.name
    }

    /// How many data bytes follow the header.
    pub fn data_len(&self) -> usize {
        self.map_len - Header::LEN
    }

    /// Whether dropping this value removes the name.
    pub fn is_owner(&self) -> bool {
        self.owner
    }

    /// Where `size_of::<T>()` bytes at data offset `offset` start.
    fn at<T>(&self, offset: usize) -> Result<*mut T, SegmentError> {
        let len = std::mem::size_of::<T>();
        let fits = offset
            .checked_add(len)
            .is_some_and(|end| end <= self.data_len());
        if !fits {
            return Err(SegmentError::OutOfBounds {
                offset,
                len,
                size: self.data_len(),
            });
        }
        // SAFETY: Header::LEN + offset + len <= map_len, checked above.
        Ok(unsafe { self.ptr.as_ptr().add(Header::LEN + offset) }.cast())
    }

    // ANCHOR: read_write
    /// Copies `value` into the data at `offset`. Only plain data (`Pod`)
    /// may go in: a pointer would mean nothing in another process.
    pub fn write<T: Pod>(&self, offset: usize, value: &T) -> Result<(), SegmentError> {
        let at = self.at::<T>(offset)?;
        // SAFETY: `at` checked that the bytes are inside the mapping; an
        // unaligned write of plain data needs nothing more.
        unsafe { at.write_unaligned(*value) };
        Ok(())
    }

    /// Copies a `T` out of the data at `offset`.
    pub fn read<T: Pod>(&self, offset: usize) -> Result<T, SegmentError> {
        let at = self.at::<T>(offset)?;
        // SAFETY: inside the mapping (checked), and every bit pattern is
        // a valid T because T is Pod.
        Ok(unsafe { at.read_unaligned() })
    }
    // ANCHOR_END: read_write
}

// ANCHOR: drop
impl Drop for Segment {
    fn drop(&mut self) {
        // SAFETY: the mapping is ours, and nothing borrowed from it
        // outlives self (read and write copy).
        let _ = unsafe { munmap(self.ptr.cast(), self.map_len) };
    }
}
// ANCHOR_END: drop
