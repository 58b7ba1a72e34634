//! Given code: what a listing is, how it is written to a file, and how a
//! walker process sends its listing to the parent. The exercises use these;
//! you do not need to change them.

use std::cmp::Ordering;
use std::ffi::OsString;
use std::fmt;
use std::io::{self, Read, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

// ANCHOR: listing
/// Everything a walk found: every path (folders, files, symbolic links, the
/// root itself), and every folder or entry that could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    pub paths: Vec<PathBuf>,
    pub errors: Vec<WalkError>,
}

/// A path that could not be read, and why (the `io::Error`'s text, such as
/// "Permission denied (os error 13)").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkError {
    pub path: PathBuf,
    pub message: String,
}

/// What a walker calls with each folder just before it reads it: a progress
/// report. The tests use it to change the tree in the middle of a walk.
pub type OnDir<'a> = &'a (dyn Fn(&Path) + Sync);
// ANCHOR_END: listing

/// An `OnDir` that does nothing.
pub fn quiet(_dir: &Path) {}

impl WalkError {
    pub fn new(path: &Path, error: &io::Error) -> WalkError {
        WalkError {
            path: path.to_path_buf(),
            message: error.to_string(),
        }
    }
}

impl fmt::Display for WalkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// Paths compared byte by byte, as `LC_ALL=C sort` compares lines. (`Path`'s
/// own order compares component by component, which puts `a/b` before
/// `a-b`; `sort` puts `a-b` first, since `-` is a smaller byte than `/`.)
pub fn byte_order(a: &Path, b: &Path) -> Ordering {
    a.as_os_str().as_bytes().cmp(b.as_os_str().as_bytes())
}

impl Listing {
    /// Adds another walker's findings to this one (call `sort` afterwards).
    pub fn append(&mut self, other: Listing) {
        self.paths.extend(other.paths);
        self.errors.extend(other.errors);
    }

    /// Puts paths and errors in byte order, so that a listing does not
    /// depend on which thread or process found what first.
    pub fn sort(&mut self) {
        self.paths.sort_by(|a, b| byte_order(a, b));
        self.errors
            .sort_by(|a, b| byte_order(&a.path, &b.path).then(a.message.cmp(&b.message)));
    }

    // ANCHOR: write_to
    /// The listing file: one path a line, written as the bytes the kernel
    /// gave (a name need not be UTF-8), then one `error: <path>: <why>` line
    /// per error. Sort first.
    pub fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        for path in &self.paths {
            out.write_all(path.as_os_str().as_bytes())?;
            out.write_all(b"\n")?;
        }
        for e in &self.errors {
            out.write_all(b"error: ")?;
            out.write_all(e.path.as_os_str().as_bytes())?;
            writeln!(out, ": {}", e.message)?;
        }
        Ok(())
    }
    // ANCHOR_END: write_to
}

/// The largest encoded listing a walker process may send (64 MiB: about a
/// million paths). More than that is refused, not allocated.
pub const MAX_ENCODED: usize = 64 << 20;

/// Why bytes from a walker process are not a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The bytes end in the middle of a field (the process died mid-write?).
    Truncated,
    /// More bytes than `MAX_ENCODED`.
    TooLarge(usize),
    /// Bytes left over after the last field.
    Trailing(usize),
    /// An error message that is not UTF-8.
    NotText,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Truncated => write!(f, "the listing ends in the middle of a field"),
            DecodeError::TooLarge(n) => {
                write!(f, "a listing of {n} bytes, more than {MAX_ENCODED}")
            }
            DecodeError::Trailing(n) => write!(f, "{n} bytes after the end of the listing"),
            DecodeError::NotText => write!(f, "an error message that is not UTF-8"),
        }
    }
}

impl std::error::Error for DecodeError {}

fn put(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// The listing as bytes: a count, then each field as a 4-byte little-endian
/// length and its bytes (paths as raw bytes, so non-UTF-8 names survive).
pub fn encode(listing: &Listing) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&(listing.paths.len() as u32).to_le_bytes());
    for p in &listing.paths {
        put(&mut out, p.as_os_str().as_bytes());
    }
    out.extend_from_slice(&(listing.errors.len() as u32).to_le_bytes());
    for e in &listing.errors {
        put(&mut out, e.path.as_os_str().as_bytes());
        put(&mut out, e.message.as_bytes());
    }
    out
}

/// Reads `encode`'s bytes back. Every length is checked against the bytes
/// that are really there before anything is allocated.
pub fn decode(bytes: &[u8]) -> Result<Listing, DecodeError> {
    if bytes.len() > MAX_ENCODED {
        return Err(DecodeError::TooLarge(bytes.len()));
    }
    let mut rest = bytes;
    let mut listing = Listing::default();
    for _ in 0..take_u32(&mut rest)? {
        listing.paths.push(take_path(&mut rest)?);
    }
    for _ in 0..take_u32(&mut rest)? {
        let path = take_path(&mut rest)?;
        let message =
            String::from_utf8(take_field(&mut rest)?.to_vec()).map_err(|_| DecodeError::NotText)?;
        listing.errors.push(WalkError { path, message });
    }
    if !rest.is_empty() {
        return Err(DecodeError::Trailing(rest.len()));
    }
    Ok(listing)
}

fn take_u32(rest: &mut &[u8]) -> Result<u32, DecodeError> {
    let (head, tail) = rest.split_at_checked(4).ok_or(DecodeError::Truncated)?;
    *rest = tail;
    Ok(u32::from_le_bytes([head[0], head[1], head[2], head[3]]))
}

fn take_field<'a>(rest: &mut &'a [u8]) -> Result<&'a [u8], DecodeError> {
    let len = take_u32(rest)? as usize;
    let (field, tail) = rest.split_at_checked(len).ok_or(DecodeError::Truncated)?;
    *rest = tail;
    Ok(field)
}

fn take_path(rest: &mut &[u8]) -> Result<PathBuf, DecodeError> {
    Ok(PathBuf::from(OsString::from_vec(
        take_field(rest)?.to_vec(),
    )))
}

/// Reads everything from `from` (a pipe from a walker process) up to
/// `MAX_ENCODED` bytes and decodes it; more than that is an error, and is
/// not read into memory.
pub fn receive(from: impl Read) -> io::Result<Listing> {
    let mut bytes = Vec::new();
    from.take(MAX_ENCODED as u64 + 1).read_to_end(&mut bytes)?;
    decode(&bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Listing {
        Listing {
            paths: vec![
                PathBuf::from("/r"),
                PathBuf::from(OsString::from_vec(b"/r/caf\xe9".to_vec())),
            ],
            errors: vec![WalkError {
                path: PathBuf::from("/r/x"),
                message: "Permission denied (os error 13)".into(),
            }],
        }
    }

    #[test]
    fn a_listing_comes_back_as_it_was_sent() {
        assert_eq!(decode(&encode(&sample())), Ok(sample()));
        assert_eq!(decode(&encode(&Listing::default())), Ok(Listing::default()));
    }

    #[test]
    fn every_cut_of_a_listing_is_refused() {
        let bytes = encode(&sample());
        for cut in 0..bytes.len() {
            assert_eq!(
                decode(&bytes[..cut]),
                Err(DecodeError::Truncated),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn garbled_and_oversized_listings_are_refused() {
        let mut bytes = encode(&sample());
        bytes.push(0);
        assert_eq!(decode(&bytes), Err(DecodeError::Trailing(1)));
        // A count of 4 billion paths with no bytes behind it: refused, and
        // nothing allocated for it.
        assert_eq!(decode(&[255, 255, 255, 255]), Err(DecodeError::Truncated));
        let mut bad = Vec::new();
        bad.extend_from_slice(&0u32.to_le_bytes());
        bad.extend_from_slice(&1u32.to_le_bytes());
        put(&mut bad, b"/p");
        put(&mut bad, b"\xff");
        assert_eq!(decode(&bad), Err(DecodeError::NotText));
        assert_eq!(
            decode(&vec![0; MAX_ENCODED + 1]),
            Err(DecodeError::TooLarge(MAX_ENCODED + 1))
        );
        // Exactly the limit is still decoded (and found to be garbage).
        let limit = vec![0u8; MAX_ENCODED];
        assert_eq!(decode(&limit), Err(DecodeError::Trailing(MAX_ENCODED - 8)));
        // More than the limit is refused after reading one byte too many.
        let big = receive(io::repeat(0).take(MAX_ENCODED as u64 + 10)).unwrap_err();
        assert_eq!(big.kind(), io::ErrorKind::InvalidData);
        assert!(
            big.to_string()
                .contains(&format!("{} bytes", MAX_ENCODED + 1)),
            "{big}"
        );
    }

    #[test]
    fn errors_say_what_went_wrong() {
        let e = WalkError {
            path: PathBuf::from("/r/x"),
            message: "gone".into(),
        };
        assert_eq!(e.to_string(), "/r/x: gone");
        let texts = [
            (DecodeError::Truncated, "middle of a field"),
            (DecodeError::TooLarge(9), "9 bytes, more than"),
            (DecodeError::Trailing(3), "3 bytes after the end"),
            (DecodeError::NotText, "not UTF-8"),
        ];
        for (e, want) in texts {
            assert!(e.to_string().contains(want), "{e}");
        }
        let io = WalkError::new(Path::new("/r"), &io::Error::from_raw_os_error(2));
        assert_eq!(io.message, "No such file or directory (os error 2)");
    }

    #[test]
    fn the_file_is_sorted_bytes_then_errors() {
        let mut l = Listing {
            paths: vec![
                PathBuf::from("/r/a/b"),
                PathBuf::from("/r/a-b"),
                PathBuf::from("/r"),
            ],
            errors: vec![],
        };
        l.append(sample());
        l.sort();
        let mut out = Vec::new();
        l.write_to(&mut out).unwrap();
        let want: &[u8] = b"/r\n/r\n/r/a-b\n/r/a/b\n/r/caf\xe9\n\
                            error: /r/x: Permission denied (os error 13)\n";
        assert_eq!(out, want);
    }
}
