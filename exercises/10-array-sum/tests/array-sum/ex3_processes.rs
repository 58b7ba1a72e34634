//! Exercise 3: the sum in processes (`src/ex3_processes.rs`).

use std::sync::atomic::{AtomicU64, Ordering};

use array_sum::ex3_processes::{sum_in_processes, sum_in_processes_with};
use array_sum::given::{Ended, Region, SumError, map_shared};
use nix::errno::Errno;
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;
use support::require;

use crate::{expected_ranges, serial};

/// `n` counters in a shared mapping, which the test's workers write.
fn shared_counters(n: usize) -> Region {
    map_shared(n * 8).expect("map_shared")
}

fn counters(r: &Region) -> &[AtomicU64] {
    // SAFETY: page-aligned, zeroed, r.len() / 8 counters fit, and atomics
    // may be written by any process at any time.
    unsafe { std::slice::from_raw_parts(r.as_ptr().cast::<AtomicU64>(), r.len() / 8) }
}

/// A description of the first child of this test that nobody reaped, if any.
fn leftover_child() -> Option<String> {
    match waitpid(None::<Pid>, Some(WaitPidFlag::WNOHANG)) {
        Err(Errno::ECHILD) => None,
        Ok(WaitStatus::StillAlive) => Some("a worker still running after the sum returned".into()),
        Ok(s) => Some(format!(
            "a worker that had ended but was never reaped (a zombie): {s:?}"
        )),
        Err(e) => Some(format!("waitpid failed: {e}")),
    }
}

support::isolated_tests! {
    fn sums_are_right_for_awkward_lengths() within 30 s {
        for len in [0usize, 1, 2, 3, 5, 1000, 1001, 4099] {
            let data: Vec<u64> = (0..len as u64).map(|i| i * 3 + 1).collect();
            for workers in [1usize, 2, 3, 4, 7] {
                support::step(&format!("summing {len} numbers with {workers} worker processes"),
                    "a worker never finishes, or the parent waits for a child it never started");
                let got = sum_in_processes(&data, workers);
                require!(matches!(got, Ok(s) if s == serial(&data)),
                    expected: format!("Ok({}) (the serial sum of {len} numbers, {workers} workers)",
                                      serial(&data)),
                    got: format!("{got:?}"),
                    look_at: "sum_in_processes_with: does child i store its part's sum in \
                              slot i before it exits, and does the parent add every slot?");
            }
        }
    }

    fn a_hundred_workers_each_get_a_slot() within 20 s {
        let data: Vec<u64> = (0..1000u64).collect();
        support::step("summing 1000 numbers with 100 worker processes", "a worker never finishes");
        let got = sum_in_processes(&data, 100);
        require!(matches!(got, Ok(s) if s == serial(&data)),
            expected: format!("Ok({})", serial(&data)),
            got: format!("{got:?}"),
            look_at: "sum_in_processes_with: how many bytes do `workers` slots need? A worker \
                      killed by signal 11 (SIGSEGV) wrote past the end of the mapping");
    }

    fn zero_workers_is_an_error() {
        let got = sum_in_processes(&[1, 2, 3], 0);
        require!(matches!(got, Err(SumError::NoWorkers)),
            expected: "sum_in_processes(data, 0) to be Err(SumError::NoWorkers)",
            got: format!("{got:?}"),
            look_at: "sum_in_processes_with: who would do the work?");
    }

    fn workers_run_at_the_same_time_in_their_own_processes() within 10 s {
        const K: usize = 3;
        let region = shared_counters(1 + K);
        let c = counters(&region);
        let data: Vec<u64> = (0..300u64).collect();
        support::step("3 worker processes, each waiting until all 3 have started",
            "the parent waits for each worker before it forks the next, so only one runs \
             at a time and it waits for ever for the others: fork them all, then wait");
        let got = sum_in_processes_with(&data, K, |i, part| {
            c[1 + i].store(u64::from(std::process::id()), Ordering::Relaxed);
            c[0].fetch_add(1, Ordering::Relaxed);
            while c[0].load(Ordering::Relaxed) < K as u64 {
                std::thread::yield_now();
            }
            serial(part)
        });
        require!(matches!(got, Ok(s) if s == serial(&data)),
            expected: format!("Ok({})", serial(&data)),
            got: format!("{got:?}"),
            look_at: "sum_in_processes_with");
        let mut pids: Vec<u64> = c[1..].iter().map(|p| p.load(Ordering::Relaxed)).collect();
        let me = u64::from(std::process::id());
        pids.sort();
        pids.dedup();
        require!(pids.len() == K && !pids.contains(&me),
            expected: format!("{K} workers in {K} different processes, none of them the parent ({me})"),
            got: format!("worker pids {pids:?}"),
            look_at: "sum_in_processes_with: one fork_worker per worker");
    }

    fn each_worker_gets_the_part_split_gives_it() within 10 s {
        const K: usize = 4;
        let region = shared_counters(2 * K);
        let c = counters(&region);
        let data: Vec<u64> = (0..1001u64).collect();
        support::step("summing 1001 numbers with 4 worker processes", "a worker never finishes");
        let got = sum_in_processes_with(&data, K, |i, part| {
            // The data are 0, 1, 2, ...: a part's first item is its start.
            c[2 * i].store(part.first().copied().unwrap_or(u64::MAX), Ordering::Relaxed);
            c[2 * i + 1].store(part.len() as u64, Ordering::Relaxed);
            serial(part)
        });
        require!(got.is_ok(), expected: "Ok", got: format!("{got:?}"), look_at: "sum_in_processes_with");
        let parts: Vec<(u64, u64)> = (0..K)
            .map(|i| (c[2 * i].load(Ordering::Relaxed), c[2 * i + 1].load(Ordering::Relaxed)))
            .collect();
        let want: Vec<(u64, u64)> = expected_ranges(1001, K)
            .into_iter()
            .map(|r| (r.start as u64, r.len() as u64))
            .collect();
        require!(parts == want,
            expected: format!("worker i to get part i of split(1001, 4), as (start, length): {want:?}"),
            got: format!("{parts:?}"),
            look_at: "sum_in_processes_with: which part does child i pass to work?");
    }

    fn a_killed_worker_is_reported_and_every_other_is_reaped() within 10 s {
        let data: Vec<u64> = (0..1000u64).collect();
        support::step("4 worker processes, worker 1 killed by SIGKILL", "a worker never finishes");
        let got = sum_in_processes_with(&data, 4, |i, part| {
            if i == 1 {
                // SAFETY: raise only sends a signal to this (child) process.
                unsafe { libc::raise(libc::SIGKILL) };
            }
            serial(part)
        });
        require!(matches!(got, Err(SumError::WorkerDied { worker: 1, how: Ended::Killed(9) })),
            expected: "Err(WorkerDied { worker: 1, how: Killed(9) }): worker 1 was killed, \
                       so its part of the sum is missing",
            got: format!("{got:?}"),
            look_at: "sum_in_processes_with: what does waitpid say about a child that a \
                      signal killed, and is that a success?");
        let left = leftover_child();
        require!(left.is_none(),
            expected: "every worker reaped, also those after the one that failed",
            got: format!("{} was left behind", left.unwrap_or_default()),
            look_at: "sum_in_processes_with: after the first failure, does the parent still \
                      wait for the remaining children?");
    }

    fn a_worker_that_exits_with_an_error_is_reported() within 10 s {
        let data: Vec<u64> = (0..10u64).collect();
        support::step("3 worker processes, worker 2 exits with status 3", "a worker never finishes");
        let got = sum_in_processes_with(&data, 3, |i, part| {
            if i == 2 {
                // SAFETY: ends this child at once, as the fork rule allows.
                unsafe { libc::_exit(3) };
            }
            serial(part)
        });
        require!(matches!(got, Err(SumError::WorkerDied { worker: 2, how: Ended::Exited(3) })),
            expected: "Err(WorkerDied { worker: 2, how: Exited(3) })",
            got: format!("{got:?}"),
            look_at: "sum_in_processes_with: is an exit status other than 0 a failure?");
        let left = leftover_child();
        require!(left.is_none(),
            expected: "every worker reaped",
            got: format!("{} was left behind", left.unwrap_or_default()),
            look_at: "sum_in_processes_with: does the parent wait for every child?");
    }

    fn the_lowest_numbered_failure_is_the_one_reported() within 10 s {
        let data: Vec<u64> = (0..100u64).collect();
        support::step("4 worker processes, workers 1 and 3 fail", "a worker never finishes");
        let got = sum_in_processes_with(&data, 4, |i, part| {
            if i == 1 {
                // SAFETY: ends this child at once, as the fork rule allows.
                unsafe { libc::_exit(7) };
            }
            if i == 3 {
                // SAFETY: raise only sends a signal to this (child) process.
                unsafe { libc::raise(libc::SIGKILL) };
            }
            serial(part)
        });
        require!(matches!(got, Err(SumError::WorkerDied { worker: 1, how: Ended::Exited(7) })),
            expected: "Err(WorkerDied { worker: 1, how: Exited(7) }): workers 1 and 3 failed, \
                       and the first of them is the one to report",
            got: format!("{got:?}"),
            look_at: "sum_in_processes_with: keep the first failure, but go on reaping");
        let left = leftover_child();
        require!(left.is_none(),
            expected: "every worker reaped",
            got: format!("{} was left behind", left.unwrap_or_default()),
            look_at: "sum_in_processes_with: does the parent wait for every child?");
    }
}
