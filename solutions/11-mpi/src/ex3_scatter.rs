//! Exercise 3 solution: broadcast the length, scatter, sum, reduce.

use mpi::collective::SystemOperation;
use mpi::traits::*;

use crate::given;

// ANCHOR: solution
pub fn scatter_sum<C>(world: &C, data: Option<&[u64]>) -> Option<u64>
where
    C: Communicator,
{
    let root = world.process_at_rank(0);
    // Only rank 0 knows the length: it tells everybody.
    let mut len = data.map_or(0, |d| d.len() as u64);
    root.broadcast_into(&mut len);
    // Each rank receives its own equal piece, and sums only that.
    let mut piece = vec![0u64; (len / world.size() as u64) as usize];
    match data {
        Some(all) if world.rank() == 0 => {
            root.scatter_into_root(all, &mut piece[..]);
        }
        _ => root.scatter_into(&mut piece[..]),
    }
    let mine = given::sum_chunk(&piece);
    if world.rank() == 0 {
        let mut total = 0u64;
        root.reduce_into_root(&mine, &mut total, SystemOperation::sum());
        Some(total)
    } else {
        root.reduce_into(&mine, SystemOperation::sum());
        None
    }
}
// ANCHOR_END: solution
