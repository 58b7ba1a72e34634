//! Exercise 2 solution: start the send, receive, then wait for the send.

use mpi::traits::*;

// ANCHOR: solution
pub fn pass_right<C: Communicator>(world: &C, block: &[u8]) -> Vec<u8> {
    let (rank, size) = (world.rank(), world.size());
    let right = world.process_at_rank((rank + 1) % size);
    let left = world.process_at_rank((rank + size - 1) % size);
    // A non-blocking send only starts the transfer and returns a request;
    // the scope makes sure the request is finished before `block` could be
    // dropped. While it is under way, this rank is free to receive.
    mpi::request::scope(|scope| {
        let sending = right.immediate_send(scope, block);
        let (got, _status) = left.receive_vec::<u8>();
        sending.wait();
        got
    })
}
// ANCHOR_END: solution
