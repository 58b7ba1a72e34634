//! Exercise 1: split the prime count over the ranks, and reduce the answer.
//!
//! In the Processes chapter the parent forked children, gave each a share
//! of the numbers, and added up what came back through pipes. Under MPI
//! there is no parent: `mpirun -np 3` starts three copies of the same
//! program, and each copy learns who it is from its rank. Each rank counts
//! its own share; one collective call, a *reduce*, adds the counts up on
//! the rank chosen as its root.

use std::ops::Range;

// What the solution uses; `#[allow]` keeps the unused ones quiet meanwhile.
#[allow(unused_imports)]
use mpi::collective::SystemOperation;
use mpi::traits::*;

#[allow(unused_imports)]
use crate::given;

// ANCHOR: stub
/// Rank `rank`'s share of the numbers `0..n`, when `size` ranks share them:
/// contiguous ranges, in rank order, that together cover `0..n` exactly once
/// and whose lengths differ by at most one (the first `n % size` ranks get
/// one number more).
pub fn share(n: u64, size: i32, rank: i32) -> Range<u64> {
    todo!("work out where rank's share starts and how long it is")
}

/// Counts the primes below `n`, every rank of `world` counting its own
/// [`share`] with [`given::count_primes_in`] (called once, on that share).
///
/// Every rank must call this function. It returns the total on rank 0, the
/// root of the reduce, and `None` on every other rank.
pub fn count_primes<C: Communicator>(world: &C, n: u64) -> Option<u64> {
    todo!("count this rank's share, then reduce the counts to rank 0")
}
// ANCHOR_END: stub
