//! Planted mistake (exercise 3): the whole array is broadcast, so every rank
//! sums all of it, and the total comes out `size` times too large.

use mpi::collective::SystemOperation;
use mpi::traits::*;

use crate::given;

// ANCHOR: solution
pub fn scatter_sum<C: Communicator>(world: &C, data: Option<&[u64]>) -> Option<u64> {
    let root = world.process_at_rank(0);
    // Only rank 0 knows the length: it tells everybody.
    let mut len = data.map_or(0, |d| d.len() as u64);
    root.broadcast_into(&mut len);
    // Each rank receives the data, and sums it.
    let mut piece = vec![0u64; len as usize];
    if let Some(all) = data {
        piece.copy_from_slice(all);
    }
    root.broadcast_into(&mut piece[..]);
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
