//! Exercise 4: one process per top-level folder, the results merged.
//!
//! This is the shape of the Python version with a `Pool`
//! (`python/walk_pool.py`): the parent lists the root, each top-level folder
//! is walked somewhere else, and the parent merges what comes back. Here
//! each top-level folder gets a forked child that runs `walk_serial` on it
//! and sends its listing through a pipe (`given::encode`); the parent reads
//! every pipe (`given::receive`), reaps every child, merges and sorts.
//!
//! The fork rule: a child only walks, writes its bytes to its pipe and
//! calls `libc::_exit`. It never returns into the caller and never prints.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork, pipe};

use crate::ex1_serial::walk_serial;
use crate::given::{self, Listing, OnDir, WalkError};

// ANCHOR: stub
/// Lists `root` as `walk_serial` does, with one child process per folder
/// directly under `root`.
///
/// * The parent lists `root` and the entries directly under it that are not
///   folders; each child's `walk_serial(folder)` lists its folder itself
///   and everything under it. Nothing may be listed twice.
/// * A child that fails (it dies, or sends bytes that `given::decode`
///   refuses) becomes a `WalkError` for its folder; the others still count.
/// * Every child is reaped before this returns.
pub fn walk_in_processes(root: &Path, on_dir: OnDir) -> io::Result<Listing> {
    todo!("read root; fork one walker per folder; receive, reap, merge, sort")
}
// ANCHOR_END: stub
