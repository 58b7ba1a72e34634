//! Exercise 3: the sum in processes, over shared memory, that notices
//! when a worker dies.

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
pub fn sum_in_processes_with(
    data: &[u64],
    workers: usize,
    work: impl Fn(usize, &[u64]) -> u64,
) -> Result<u64, SumError> {
    if workers == 0 {
        return Err(SumError::NoWorkers);
    }
    let region = map_shared(workers * size_of::<Slot>())?;
    let first = region.as_ptr().cast::<Slot>();
    // SAFETY: the region is page-aligned (so aligned for Slot), holds
    // `workers` slots, is zeroed (a valid Slot: an AtomicU64 of 0), and
    // outlives `slots`.
    let slots: &[Slot] = unsafe { std::slice::from_raw_parts(first, workers) };
    let ranges = split(data.len(), workers);
    // Fork them all first: waiting inside this loop would run them one
    // after another.
    let mut pids = Vec::with_capacity(workers);
    let mut first_failure = None;
    let mut fork_failed = None;
    for (i, range) in ranges.into_iter().enumerate() {
        let work = &work;
        match fork_worker(move || {
            let part = work(i, &data[range]);
            slots[i].value.store(part, Ordering::Relaxed);
        }) {
            Ok(pid) => pids.push(pid),
            Err(e) => {
                fork_failed = Some(e);
                break;
            }
        }
    }
    // Reap every child we started, even after a failure: one left unwaited
    // stays a zombie.
    for (i, pid) in pids.into_iter().enumerate() {
        if let Some(how) = wait_for(pid)? {
            first_failure.get_or_insert(SumError::WorkerDied { worker: i, how });
        }
    }
    if let Some(e) = fork_failed {
        return Err(e.into());
    }
    if let Some(e) = first_failure {
        return Err(e);
    }
    // waitpid ordered the children's stores before these loads.
    Ok(slots
        .iter()
        .fold(0, |a, s| a.wrapping_add(s.value.load(Ordering::Relaxed))))
}
// ANCHOR_END: sum_with

// ANCHOR: wait_for
/// Waits for `pid`: `None` if it exited with status 0, else how it ended.
fn wait_for(pid: Pid) -> Result<Option<Ended>, SumError> {
    loop {
        match waitpid(pid, None) {
            Ok(WaitStatus::Exited(..) | WaitStatus::Signaled(..)) => {
                return Ok(None);
            }
            // Stopped or continued: not the end; wait again.
            Ok(_) | Err(nix::errno::Errno::EINTR) => continue,
            Err(e) => return Err(e.into()),
        }
    }
}
// ANCHOR_END: wait_for
