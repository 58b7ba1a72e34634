//! Exercise 1: list a tree on one thread, and keep going past errors.
//!
//! The tutorial's program (`python/walk_serial.py`) is `os.walk` and a
//! `write` per name. `os.walk` quietly skips a folder it cannot read unless
//! you pass `onerror`; here every folder that cannot be read becomes an
//! error in the listing, and the walk goes on with the rest.
//!
//! What is listed: the root itself, and every entry under it (folders,
//! files, symbolic links, anything else). A symbolic link is listed but
//! never followed, even when it points to a folder: that is how the walk
//! stays finite when a link points back up the tree, and how no path is
//! listed twice. (`find` does the same unless told `-L`.)

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::given::{Listing, OnDir, WalkError};

// ANCHOR: stub
/// Lists `root` and everything under it, sorted (`Listing::sort`).
///
/// * `root` itself is looked at with `fs::symlink_metadata`; if that fails
///   (it does not exist), return the error: there is nothing to list.
/// * Call `on_dir(folder)` just before reading each folder (the root too).
/// * A folder that cannot be read, or an entry that cannot be read, becomes
///   a `WalkError` in `errors`; the walk goes on with everything else.
/// * Descend only into entries that are folders themselves: ask the entry
///   (`DirEntry::file_type`), which does not follow symbolic links.
pub fn walk_serial(root: &Path, on_dir: OnDir) -> io::Result<Listing> {
    todo!("a stack of folders still to read, and a Listing to fill")
}
// ANCHOR_END: stub
