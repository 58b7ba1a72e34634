//! Exercise 1: one download, done right.

use std::fs::{self, File};
use std::path::Path;

use crate::given::{self, DownloadError, Job};

// ANCHOR: solution
pub fn download(agent: &ureq::Agent, job: &Job) -> Result<u64, DownloadError> {
    let mut response = agent.get(&job.url).call()?;
    let status = response.status();
    if !status.is_success() {
        return Err(DownloadError::Status(status.as_u16()));
    }
    let part = given::part_path(&job.dest);
    let saved = save(&mut response, &job.dest);
    if saved.is_err() {
        // Whatever went wrong, no half-written file stays behind.
        let _ = fs::remove_file(&part);
    }
    saved
}

fn save(
    response: &mut ureq::http::Response<ureq::Body>,
    part: &Path,
) -> Result<u64, DownloadError> {
    let mut file = File::create(part).map_err(|e| DownloadError::Save(e.to_string()))?;
    given::save_body(response, &mut file)
}
// ANCHOR_END: solution
