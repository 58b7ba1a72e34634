//! Exercise 4: async, one thread and many downloads in flight.
//!
//! With tokio a download is a *task*: a future the runtime polls whenever
//! its socket is ready. Waiting costs a few hundred bytes of state instead
//! of a thread and its stack, so a thousand downloads in flight cost one
//! thread. What async does not give for free: a limit on how many run at
//! once (a `tokio::sync::Semaphore`), and a timeout (a future that never
//! completes waits forever unless something gives up on it:
//! `tokio::time::timeout`).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::given::{self, DownloadError, Job, Outcome};

// ANCHOR: stub
/// Downloads every job on one current-thread runtime (`given::runtime()`),
/// at most `limit` at once (at least 1). Each download (`given::get`, a
/// 2xx status, `given::body_bytes`) must finish within `timeout`, or it is
/// `Err(DownloadError::Timeout)`. The body is written to the `.part` name
/// and renamed, as in exercise 1; a failed download leaves no file. One
/// outcome per job, in the order of `jobs`.
pub fn download_async(jobs: &[Job], limit: usize, timeout: Duration) -> Vec<Outcome> {
    todo!("a task per job, a semaphore of `limit` permits, tokio::time::timeout")
}
// ANCHOR_END: stub
