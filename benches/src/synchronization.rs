//! Workloads of the synchronization chapter's benchmarks.
//!
//! Every function starts `threads` scoped threads that each do `per_thread`
//! increments, and returns the total, so the unit tests can check that no
//! variant loses or invents an increment.

use std::hint::black_box;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

use crossbeam_utils::CachePadded;

// ANCHOR: contended
/// One counter behind a `Mutex`: every increment takes the lock.
pub fn mutex_counter(threads: usize, per_thread: u64) -> u64 {
    let n = Mutex::new(0u64);
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for _ in 0..per_thread {
                    *n.lock().unwrap() += 1;
                }
            });
        }
    });
    n.into_inner().unwrap()
}

/// One atomic counter: every increment is a `fetch_add` on the same cache line.
pub fn atomic_counter(threads: usize, per_thread: u64) -> u64 {
    let n = AtomicU64::new(0);
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for _ in 0..per_thread {
                    n.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    n.into_inner()
}

/// No shared counter while working: each thread counts in a local variable
/// and the sums are added once, at the end.
pub fn per_thread_sums(threads: usize, per_thread: u64) -> u64 {
    thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = 0u64;
                    for _ in 0..per_thread {
                        // black_box: keep the compiler from turning the loop
                        // into `mine = per_thread`.
                        mine = black_box(mine + 1);
                    }
                    mine
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    })
}
// ANCHOR_END: contended

// ANCHOR: false_sharing
/// Each thread increments its *own* atomic, but the atomics sit next to
/// each other, in one cache line.
pub fn own_counters_unpadded(threads: usize, per_thread: u64) -> u64 {
    let slots: Vec<AtomicU64> = (0..threads).map(|_| AtomicU64::new(0)).collect();
    bump_each_own_slot(slots.iter(), per_thread)
}

/// The same, with each atomic padded out to a cache line of its own.
pub fn own_counters_padded(threads: usize, per_thread: u64) -> u64 {
    let slots: Vec<CachePadded<AtomicU64>> = (0..threads)
        .map(|_| CachePadded::new(AtomicU64::new(0)))
        .collect();
    bump_each_own_slot(slots.iter().map(|padded| &**padded), per_thread)
}

/// One thread per slot, each incrementing only its own slot; the two
/// variants above differ in nothing but where the slots sit in memory.
fn bump_each_own_slot<'a>(slots: impl Iterator<Item = &'a AtomicU64>, per_thread: u64) -> u64 {
    let slots: Vec<&AtomicU64> = slots.collect();
    thread::scope(|s| {
        for &slot in &slots {
            s.spawn(move || {
                for _ in 0..per_thread {
                    slot.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    slots.iter().map(|a| a.load(Ordering::Relaxed)).sum()
}
// ANCHOR_END: false_sharing

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_counts_every_increment() {
        for threads in [1, 2, 4] {
            let want = threads as u64 * 10_000;
            assert_eq!(mutex_counter(threads, 10_000), want);
            assert_eq!(atomic_counter(threads, 10_000), want);
            assert_eq!(per_thread_sums(threads, 10_000), want);
            assert_eq!(own_counters_unpadded(threads, 10_000), want);
            assert_eq!(own_counters_padded(threads, 10_000), want);
        }
    }
}
