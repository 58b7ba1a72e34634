//! Exercise 2: many files, one after another, with a bounded retry.
//!
//! The tutorial submits its downloads with `apply_async` and never calls
//! `.get()`: a download that fails does so in silence. Here every job gets
//! an outcome, a failed file does not stop the others, and a failure that
//! may pass (a 5xx, a broken transfer, a timeout) is tried again, a
//! bounded number of times. One that will not pass (a 404: the file is not
//! there, and asking again will not put it there) is reported at once.

use ureq::Agent;

use crate::ex1_one::download;
use crate::given::{DownloadError, Job, Outcome};

// ANCHOR: stub
/// Is another attempt worth making after `error`? Yes for a server error
/// (5xx), a timeout and a broken transfer; no for any other status (4xx:
/// the request itself is wrong) and for a file that could not be saved.
pub fn worth_retrying(error: &DownloadError) -> bool {
    todo!()
}

/// Downloads `job` (exercise 1's `download`), trying up to `attempts`
/// times in all (at least once). Stops at the first success, and at the
/// first error not worth retrying.
pub fn download_with_retry(agent: &Agent, job: &Job, attempts: usize) -> Outcome {
    todo!()
}

/// Downloads every job, one after another, each with up to `attempts`
/// tries. One outcome per job, in the order of `jobs`.
pub fn download_serial(agent: &Agent, jobs: &[Job], attempts: usize) -> Vec<Outcome> {
    todo!()
}
// ANCHOR_END: stub
