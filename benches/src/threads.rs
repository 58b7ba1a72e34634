//! Workloads of the threads chapter's benchmarks.
//!
//! The prime count itself lives in [`crate::processes`] (the same job in
//! every chapter); here are the thread-specific costs: starting a thread,
//! and counting events privately vs through shared state.

use std::cell::Cell;
use std::hint::black_box;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

/// Starts one thread with `thread::spawn` that returns a number, and joins it.
pub fn spawn_and_join() -> u64 {
    thread::spawn(|| black_box(1u64)).join().unwrap()
}

/// The same inside `thread::scope`.
pub fn scope_and_join() -> u64 {
    thread::scope(|s| s.spawn(|| black_box(1u64)).join().unwrap())
}

/// The same with a named `Builder` thread and a 64 KiB stack.
pub fn builder_and_join() -> u64 {
    thread::Builder::new()
        .name("bench".into())
        .stack_size(64 * 1024)
        .spawn(|| black_box(1u64))
        .unwrap()
        .join()
        .unwrap()
}

/// `events` increments of one counter, on the calling thread.
pub fn count_serial(events: u64) -> u64 {
    let n = Cell::new(0);
    count_into(&n, events);
    n.get()
}

/// The loop every counting version shares, so that they differ only in
/// where the count lives: `events` increments of `n`.
#[inline(always)]
fn count_into(n: &Cell<u64>, events: u64) {
    for _ in 0..events {
        n.set(n.get() + black_box(1));
    }
}

thread_local! {
    static EVENTS: Cell<u64> = const { Cell::new(0) };
}

/// `events` increments split over `workers` threads, each counting in its
/// own `thread_local!`; the totals are added once at the end.
pub fn count_thread_local(events: u64, workers: u64) -> u64 {
    thread::scope(|s| {
        let hs: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(move || {
                    EVENTS.with(|c| {
                        c.set(0);
                        count_into(c, events / workers);
                        c.get()
                    })
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

/// `events` increments split over `workers` threads, all on one shared
/// `AtomicU64`.
pub fn count_shared_atomic(events: u64, workers: u64) -> u64 {
    let n = AtomicU64::new(0);
    thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                for _ in 0..events / workers {
                    n.fetch_add(black_box(1), Ordering::Relaxed);
                }
            });
        }
    });
    n.into_inner()
}

/// `events` increments split over `workers` threads, all on one shared
/// `Mutex<u64>`.
pub fn count_shared_mutex(events: u64, workers: u64) -> u64 {
    let n = Mutex::new(0u64);
    thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                for _ in 0..events / workers {
                    *n.lock().unwrap() += black_box(1);
                }
            });
        }
    });
    n.into_inner().unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_start_and_return() {
        assert_eq!(spawn_and_join() + scope_and_join() + builder_and_join(), 3);
    }

    #[test]
    fn every_counter_counts_every_event() {
        assert_eq!(count_serial(10_000), 10_000);
        assert_eq!(count_thread_local(10_000, 2), 10_000);
        assert_eq!(count_shared_atomic(10_000, 2), 10_000);
        assert_eq!(count_shared_mutex(10_000, 2), 10_000);
    }
}
