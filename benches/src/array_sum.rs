//! Workloads of the Summing-a-large-array case study.
//!
//! The sums themselves (serial, threads, rayon, processes over shared
//! memory, a pool of processes) and the bandwidth probe are the Shared
//! memory chapter's, in [`crate::shared_memory`]; this module adds what
//! the case study takes apart:
//!
//! * where a forked sum's time goes: forking and reaping children that do
//!   nothing, children that only touch one word per page (the page
//!   faults), and a segment made and filled for every sum (what Python's
//!   `SharedMemory` version pays when it copies the array in per call);
//! * false sharing: threads that keep running totals in per-worker slots,
//!   packed side by side or one per cache line.

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

use crate::shared_memory::{Shared, part, reap, spawn, sum_processes_shared};

/// Bytes in a page: a child faults once per page it touches first.
const PAGE: usize = 4096;

// ANCHOR: costs
/// `n` children forked and reaped while `data` is mapped; they touch
/// nothing. What a fork, an exit and a wait cost, without the sum.
pub fn fork_and_reap(data: &[u64], n: usize) -> io::Result<usize> {
    let pids = (0..n)
        .map(|_| spawn(|| {}))
        .collect::<io::Result<Vec<_>>>()?;
    reap(pids)?;
    Ok(data.len())
}

/// `n` children each read ONE word per page of their part of `data`: the
/// page faults of a new child's first touch, without the sum's reading.
pub fn touch_pages_in_processes(data: &[u64], n: usize) -> io::Result<u64> {
    let slots = Shared::new(n * 64)?;
    let pids = (0..n)
        .map(|i| {
            let slots = &slots;
            spawn(move || {
                let mine = &data[part(data.len(), n, i)];
                let x = mine
                    .iter()
                    .step_by(PAGE / 8)
                    .fold(0u64, |a, &w| a.wrapping_add(w));
                slots.padded(i).store(x, Ordering::Relaxed);
            })
        })
        .collect::<io::Result<Vec<_>>>()?;
    reap(pids)?;
    Ok((0..n).fold(0u64, |a, i| {
        a.wrapping_add(slots.padded(i).load(Ordering::Relaxed))
    }))
}

/// A new shared segment per sum: mapped, filled from `src` (the first
/// touch of every page is the parent's), summed by `n` forked children.
pub fn sum_in_fresh_segment(src: &[u64], n: usize) -> io::Result<u64> {
    let mut seg = Shared::new(src.len() * 8)?;
    seg.words_mut()[..src.len()].copy_from_slice(src);
    sum_processes_shared(&seg.words()[..src.len()], n)
}
// ANCHOR_END: costs

// ANCHOR: false_sharing
/// `n` threads each add every item of their part into their own slot as
/// they go (a running total someone could watch). `packed`: the slots are
/// neighbouring `u64`s, several to a cache line; otherwise each slot has a
/// line of its own.
pub fn sum_running_totals(data: &[u64], n: usize, packed: bool) -> u64 {
    let stride = if packed { 1 } else { 8 }; // in u64s: 8 is 64 bytes
    let lines = (n * stride).div_ceil(8);
    let slots: Vec<Line> = (0..lines).map(|_| Line::default()).collect();
    let slot = |i: usize| &slots[i * stride / 8].0[i * stride % 8];
    thread::scope(|s| {
        for i in 0..n {
            let mine = &data[part(data.len(), n, i)];
            let slot = slot(i);
            s.spawn(move || {
                for &x in mine {
                    let t = slot.load(Ordering::Relaxed).wrapping_add(x);
                    slot.store(t, Ordering::Relaxed);
                }
            });
        }
    });
    (0..n).fold(0u64, |a, i| a.wrapping_add(slot(i).load(Ordering::Relaxed)))
}

/// Eight `u64` slots on one 64-byte cache line.
#[derive(Default)]
#[repr(C, align(64))]
struct Line([AtomicU64; 8]);
// ANCHOR_END: false_sharing

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared_memory::numbers;

    #[test]
    fn every_variant_is_right() {
        let d = numbers(100_003).unwrap();
        let w = d.words();
        let want: u64 = (0..100_003u64).sum();
        assert_eq!(fork_and_reap(w, 3).unwrap(), w.len());
        let touched: u64 = (0..3)
            .flat_map(|i| w[part(w.len(), 3, i)].iter().step_by(PAGE / 8))
            .sum();
        assert_eq!(touch_pages_in_processes(w, 3).unwrap(), touched);
        assert_eq!(sum_in_fresh_segment(w, 3).unwrap(), want);
        for n in [1, 2, 3, 9] {
            assert_eq!(sum_running_totals(w, n, true), want);
            assert_eq!(sum_running_totals(w, n, false), want);
        }
    }
}
