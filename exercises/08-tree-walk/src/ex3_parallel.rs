//! Exercise 3: the walk on several threads, sharing one `WorkQueue`.
//!
//! Each worker repeats: `pop` a folder, read it, list its entries, `push`
//! the folders among them, `done`. The listing must be the serial walk's,
//! byte for byte, whatever the number of threads: each worker fills a
//! listing of its own, and the caller merges them and sorts once.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::thread;

use crate::ex2_queue::WorkQueue;
use crate::given::{Listing, OnDir, WalkError};

// ANCHOR: stub
/// Lists `root` as `walk_serial` does, on `threads` worker threads (at
/// least 1) that share a `WorkQueue` of folders.
///
/// * A root that does not exist is an error, as in `walk_serial`.
/// * Call `on_dir(folder)` just before reading each folder.
/// * A folder that cannot be read is an error in the listing, and the
///   walk goes on (and still ends: that folder's item is done too).
pub fn walk_parallel(root: &Path, threads: usize, on_dir: OnDir) -> io::Result<Listing> {
    todo!("a WorkQueue holding the root; `threads` scoped workers; merge and sort")
}
// ANCHOR_END: stub
