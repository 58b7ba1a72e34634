//! Exercise 1: one download, done right.
//!
//! The tutorial's `download_image` is three lines: get the URL, open the
//! file, write the body. It saves a 404 page as if it were the image, has
//! no timeout (a server that never answers holds it forever), and writes
//! straight under the final name, so a transfer that breaks halfway leaves
//! half a file that looks like a whole one.
//!
//! Do it right: check the status, write to a temporary name, and rename
//! only a complete file. A rename within one folder is atomic: whoever
//! looks for `job.dest` sees no file or the whole file, never a part.

use std::fs::{self, File};
use std::path::Path;

use crate::given::{self, DownloadError, Job};

// ANCHOR: stub
/// Downloads `job.url` with `agent` and saves it as `job.dest`; returns
/// the number of bytes saved.
///
/// * A status other than 2xx is `Err(DownloadError::Status(code))`, and
///   nothing is saved.
/// * The body goes to `given::part_path(&job.dest)` first
///   (`given::save_body` copies it and checks its length), and is renamed
///   to `job.dest` only once it is complete.
/// * On any error the `.part` file is removed: a failed download leaves
///   nothing behind.
///
/// The agent's timeout (see `given::agent`) bounds the whole call.
pub fn download(agent: &ureq::Agent, job: &Job) -> Result<u64, DownloadError> {
    todo!("GET, check the status, save to the .part name, rename")
}
// ANCHOR_END: stub
