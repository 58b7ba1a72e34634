//! Exercise 3: a pool of threads for waiting.
//!
//! A download spends nearly all its time waiting for the server. A thread
//! that waits costs no CPU, so `workers` threads can wait for `workers`
//! downloads at once on a machine with two cores: this pool is sized by how
//! many requests you want in flight, not by the number of cores (which is
//! what rayon sizes its pool by, and why it is the wrong tool here).
//!
//! The tests prove that `workers` downloads are in flight at once: the
//! server holds every answer until that many requests have arrived.

use std::sync::{Mutex, mpsc};
use std::thread;

use crate::ex2_retry::download_with_retry;
use crate::given::{Job, Outcome};

// ANCHOR: stub
/// Downloads every job with `workers` threads (at least 1) that take the
/// next job from one shared queue, each job with exercise 2's
/// `download_with_retry(agent, job, attempts)`. One outcome per job, in
/// the order of `jobs`, whatever order they finish in.
pub fn download_threads(
    agent: &ureq::Agent,
    jobs: &[Job],
    workers: usize,
    attempts: usize,
) -> Vec<Outcome> {
    todo!("scoped threads, a Mutex around an iterator of (index, job), a channel back")
}
// ANCHOR_END: stub
