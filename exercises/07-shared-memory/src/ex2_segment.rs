//! Exercise 2: a named segment's life, from create to unlink.
//!
//! Python's `SharedMemory(name, create=True, size=n)` is `shm_open` +
//! `ftruncate` + `mmap`; `close()` is `munmap`, and `unlink()` removes the
//! name (`shm_unlink`), which exactly one process must do. Here the rule is
//! in the type: the `Segment` that created the name removes it when it is
//! dropped; a `Segment` that attached only unmaps. A mapping stays valid
//! after the name is gone.
//!
//! The segment starts with a [`Header`] (magic, version, data length) so
//! that `attach` can refuse a segment that is not one of ours, or not
//! whole, instead of reading garbage.

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
/// (Given: use it in create and attach.)
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
        todo!("shm_open exclusively (0600), ftruncate, map, write the header")
    }
    // ANCHOR_END: create

    // ANCHOR: attach
    /// Maps the existing segment `name`. Checks its header (magic,
    /// version, size) before trusting anything in it.
    pub fn attach(name: &str) -> Result<Segment, SegmentError> {
        todo!("shm_open, check the size, map, check the header")
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
        todo!("check that offset + size_of::<T>() fits in the data")
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
        todo!("unmap; and the name?")
    }
}
// ANCHOR_END: drop
