//! Exercise 2: many files, one after another, with a bounded retry.

use ureq::Agent;

use crate::ex1_one::download;
use crate::given::{DownloadError, Job, Outcome};

// ANCHOR: solution
pub fn worth_retrying(error: &DownloadError) -> bool {
    match error {
        DownloadError::Status(_) => true,
        DownloadError::Timeout | DownloadError::Broken(_) => true,
        DownloadError::Save(_) => false,
    }
}

pub fn download_with_retry(agent: &Agent, job: &Job, attempts: usize) -> Outcome {
    let mut tries = 1;
    loop {
        match download(agent, job) {
            Err(e) if tries < attempts && worth_retrying(&e) => tries += 1,
            outcome => return outcome,
        }
    }
}

pub fn download_serial(agent: &Agent, jobs: &[Job], attempts: usize) -> Vec<Outcome> {
    jobs.iter()
        .map(|job| download_with_retry(agent, job, attempts))
        .collect()
}
// ANCHOR_END: solution
