//! Exercise 3 solution: workers sharing a WorkQueue of folders.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::thread;

use crate::ex2_queue::WorkQueue;
use crate::given::{Listing, OnDir, WalkError};

// ANCHOR: solution
pub fn walk_parallel(root: &Path, threads: usize, on_dir: OnDir) -> io::Result<Listing> {
    let meta = fs::symlink_metadata(root)?;
    let mut listing = Listing::default();
    listing.paths.push(root.to_path_buf());
    if !meta.is_dir() {
        return Ok(listing);
    }
    let queue = WorkQueue::new(vec![root.to_path_buf()]);
    thread::scope(|s| {
        let workers: Vec<_> = (0..threads.max(1))
            .map(|_| s.spawn(|| worker(&queue, on_dir)))
            .collect();
        for w in workers {
            listing.append(w.join().unwrap());
        }
    });
    listing.sort();
    Ok(listing)
}

fn worker(queue: &WorkQueue<PathBuf>, on_dir: OnDir) -> Listing {
    let mut mine = Listing::default();
    while let Some(dir) = queue.pop() {
        on_dir(&dir);
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                mine.errors.push(WalkError::new(&dir, &e));
                continue;
            }
        };
        list_entries(&dir, entries, queue, &mut mine);
        // After the pushes, and after an error too: until this call, more
        // work could still appear, so nobody may finish.
        queue.done();
    }
    mine
}
// ANCHOR_END: solution

/// Lists the entries of `dir` into `mine` and pushes its folders.
fn list_entries(dir: &Path, entries: fs::ReadDir, queue: &WorkQueue<PathBuf>, mine: &mut Listing) {
    for entry in entries {
        match entry {
            Ok(entry) => {
                let path = entry.path();
                match entry.file_type() {
                    Ok(t) if t.is_dir() => queue.push(path.clone()),
                    Ok(_) => {}
                    Err(e) => mine.errors.push(WalkError::new(&path, &e)),
                }
                mine.paths.push(path);
            }
            Err(e) => mine.errors.push(WalkError::new(dir, &e)),
        }
    }
}
