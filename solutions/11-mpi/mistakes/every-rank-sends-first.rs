//! Planted mistake (exercise 2): every rank sends before it receives, with a
//! blocking send. Small blocks get through (MPI buffers them); large ones
//! deadlock.

use mpi::traits::*;

// ANCHOR: solution
pub fn pass_right<C: Communicator>(world: &C, block: &[u8]) -> Vec<u8> {
    let (rank, size) = (world.rank(), world.size());
    let right = world.process_at_rank((rank + 1) % size);
    let left = world.process_at_rank((rank + size - 1) % size);
    // Send to the right, then receive from the left.
    right.send(block);
    let (got, _status) = left.receive_vec::<u8>();
    got
}
// ANCHOR_END: solution
