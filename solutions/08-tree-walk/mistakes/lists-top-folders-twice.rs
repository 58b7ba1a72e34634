//! Exercise 4 solution: one forked walker per top-level folder.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork, pipe};

use crate::ex1_serial::walk_serial;
use crate::given::{self, Listing, OnDir, WalkError};

// ANCHOR: solution
pub fn walk_in_processes(root: &Path, on_dir: OnDir) -> io::Result<Listing> {
    let meta = fs::symlink_metadata(root)?;
    let mut listing = Listing::default();
    listing.paths.push(root.to_path_buf());
    if !meta.is_dir() {
        return Ok(listing);
    }
    on_dir(root);
    let mut folders = Vec::new();
    match fs::read_dir(root) {
        Err(e) => listing.errors.push(WalkError::new(root, &e)),
        Ok(entries) => {
            for entry in entries {
                match entry {
                    Err(e) => listing.errors.push(WalkError::new(root, &e)),
                    Ok(e) => {
                        if e.file_type().is_ok_and(|t| t.is_dir()) {
                            folders.push(e.path());
                        }
                        listing.paths.push(e.path());
                    }
                }
            }
        }
    }
    // Start every walker first, then read: they run at the same time.
    let mut walkers = Vec::new();
    for folder in folders {
        match start_walker(&folder, on_dir) {
            Ok((pid, from)) => walkers.push((folder, pid, from)),
            Err(e) => listing.errors.push(WalkError::new(&folder, &e)),
        }
    }
    for (folder, pid, from) in walkers {
        let got = given::receive(from);
        let ended = waitpid(pid, None);
        match (got, ended) {
            (Ok(theirs), Ok(WaitStatus::Exited(_, 0))) => listing.append(theirs),
            (Err(e), _) => listing.errors.push(WalkError::new(&folder, &e)),
            (Ok(_), ended) => {
                let e = io::Error::other(format!("its walker process ended as {ended:?}"));
                listing.errors.push(WalkError::new(&folder, &e));
            }
        }
    }
    listing.sort();
    Ok(listing)
}
// ANCHOR_END: solution

/// Forks a child that walks `folder` and writes its encoded listing to a
/// pipe; returns the child's pid and the pipe's read end.
fn start_walker(folder: &Path, on_dir: OnDir) -> io::Result<(Pid, File)> {
    let (read_end, write_end) = pipe()?;
    // SAFETY: the child only walks the tree (allocating, which glibc's fork
    // handlers make safe), writes to its pipe and leaves with _exit; it
    // never returns into the caller's code or touches its threads' state.
    match unsafe { fork() }? {
        ForkResult::Child => {
            drop(read_end);
            let listing = match walk_serial(folder, on_dir) {
                Ok(listing) => listing,
                Err(e) => Listing {
                    paths: Vec::new(),
                    errors: vec![WalkError::new(folder, &e)],
                },
            };
            let sent = File::from(write_end).write_all(&given::encode(&listing));
            // SAFETY: ends the child without running the parent's exit
            // handlers or destructors.
            unsafe { libc::_exit(i32::from(sent.is_err())) }
        }
        ForkResult::Parent { child } => {
            // Our copy of the write end must go, or the read never ends.
            drop(write_end);
            Ok((child, File::from(read_end)))
        }
    }
}
