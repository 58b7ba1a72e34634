//! Exercise 2: pass a block around the ring, without a deadlock.
//!
//! The ranks sit in a ring: rank r's right-hand neighbour is r + 1, and the
//! last rank's is rank 0. Each rank sends its block to the right and gets
//! the block of its left-hand neighbour. Done `size` times in a row, every
//! block travels once round the ring and comes home.
//!
//! The catch: `send` is *blocking*. For a small message MPI may copy it
//! into a buffer and return at once; for a large one, `send` waits until
//! the receiver has started its `receive`. Code that works with 64 bytes
//! can hang with a megabyte.

use mpi::traits::*;

// ANCHOR: stub
/// Sends `block` to the next rank (`rank + 1`, the last rank sending to rank
/// 0) and returns the block that the previous rank sent to this one. Every
/// rank calls it with a block of the same length, which may be large (a
/// megabyte): it must not deadlock whatever the size.
pub fn pass_right<C: Communicator>(world: &C, block: &[u8]) -> Vec<u8> {
    todo!("send right, receive from the left, and never deadlock")
}
// ANCHOR_END: stub
