//! Exercise 3: the sum in processes, over shared memory, that notices
//! when a worker dies.
//!
//! The tutorial's `Pool` pickles the whole array for every task. A
//! forked child needs no copy: it sees the parent's pages as they were at
//! fork. It hands its answer back through a shared mapping, one
//! [`Slot`] per worker. And the parent must wait for every child, even
//! after one has failed, and say which one failed and how.

use std::sync::atomic::Ordering;

use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::Pid;

use crate::ex1_split::split;
use crate::ex2_slots::Slot;
use crate::given::{Ended, SumError, fork_worker, map_shared};

// ANCHOR: sum
/// The sum of `data` in `workers` forked processes.
pub fn sum_in_processes(data: &[u64], workers: usize) -> Result<u64, SumError> {
    sum_in_processes_with(data, workers, |_, part| {
        part.iter().fold(0, |a, &x| a.wrapping_add(x))
    })
}
// ANCHOR_END: sum

// ANCHOR: sum_with
/// Forks `workers` children at once (`workers == 0` is
/// [`SumError::NoWorkers`]); child `i` computes `work(i, part)` on its
/// part `split(data.len(), workers)[i]` of `data` and stores the result in
/// slot `i` of a [`map_shared`] region. The parent then waits for EVERY
/// child, and only if all exited with status 0 adds up the slots
/// (wrapping). Otherwise it returns [`SumError::WorkerDied`] for the
/// lowest-numbered worker that failed, after reaping all the others.
pub fn sum_in_processes_with(
    data: &[u64],
    workers: usize,
    work: impl Fn(usize, &[u64]) -> u64,
) -> Result<u64, SumError> {
    todo!("fork every worker, then reap every worker")
}
// ANCHOR_END: sum_with
