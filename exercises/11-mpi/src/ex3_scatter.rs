//! Exercise 3: the parallel sum with broadcast, scatter and reduce.
//!
//! The Shared memory chapter summed a big array with several processes
//! reading one shared copy. Between machines there is no shared copy: rank
//! 0 holds the data and must *send* each rank its piece. A scatter does
//! that in one call; a reduce adds the partial sums up again.

// What the solution uses; `#[allow]` keeps the unused ones quiet meanwhile.
#[allow(unused_imports)]
use mpi::collective::SystemOperation;
use mpi::traits::*;

#[allow(unused_imports)]
use crate::given;

// ANCHOR: stub
/// Sums the numbers that rank 0 holds, every rank summing one piece.
///
/// Rank 0 is called with `Some(data)`, every other rank with `None`; the
/// length of `data` is a multiple of the number of ranks. Only rank 0 knows
/// that length, so it first tells everybody (a broadcast). Then each rank
/// gets its own equal piece of `data` (a scatter), sums it with
/// [`given::sum_chunk`] (once), and the partial sums are added up on rank 0
/// (a reduce).
///
/// Returns the total on rank 0 and `None` on every other rank.
pub fn scatter_sum<C>(world: &C, data: Option<&[u64]>) -> Option<u64>
where
    C: Communicator,
{
    todo!("broadcast the length, scatter, sum your piece, reduce")
}
// ANCHOR_END: stub
