//! Exercise 1 solution: each rank counts its share; a reduce adds them up.

use std::ops::Range;

use mpi::collective::SystemOperation;
use mpi::traits::*;

use crate::given;

// ANCHOR: solution
pub fn share(n: u64, size: i32, rank: i32) -> Range<u64> {
    let (size, rank) = (size as u64, rank as u64);
    let (base, extra) = (n / size, n % size);
    // The first `extra` ranks get one number more than the others.
    let start = rank * base + rank.min(extra);
    let len = base + u64::from(rank < extra);
    start..start + len
}

pub fn count_primes<C: Communicator>(world: &C, n: u64) -> Option<u64> {
    let mine = share(n, world.size(), world.rank());
    let count = given::count_primes_in(mine.start, mine.end);
    // Every rank takes part in the reduce; only its root receives the sum.
    let root = world.process_at_rank(0);
    if world.rank() == 0 {
        let mut total = 0u64;
        root.reduce_into_root(&count, &mut total, SystemOperation::sum());
        Some(total)
    } else {
        root.reduce_into(&count, SystemOperation::sum());
        None
    }
}
// ANCHOR_END: solution
