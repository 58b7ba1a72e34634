//! Exercise 1 solution: a serial walk that records errors and goes on.

use std::fs;
use std::io;
use std::path::Path;

use crate::given::{Listing, OnDir, WalkError};

// ANCHOR: solution
pub fn walk_serial(root: &Path, on_dir: OnDir) -> io::Result<Listing> {
    let mut listing = Listing::default();
    // The root must exist: without it there is nothing to list.
    let meta = fs::symlink_metadata(root)?;
    listing.paths.push(root.to_path_buf());
    let mut stack = Vec::new();
    if meta.is_dir() {
        stack.push(root.to_path_buf());
    }
    while let Some(dir) = stack.pop() {
        on_dir(&dir);
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                // Unreadable or gone: say so, and go on with the rest.
                listing.errors.push(WalkError::new(&dir, &e));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    listing.errors.push(WalkError::new(&dir, &e));
                    continue;
                }
            };
            let path = entry.path();
            // The entry's own type: a link to a folder is not a folder.
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(path.clone()),
                Ok(_) => {}
                Err(e) => listing.errors.push(WalkError::new(&path, &e)),
            }
            listing.paths.push(path);
        }
    }
    listing.sort();
    Ok(listing)
}
// ANCHOR_END: solution
