//! Planted mistake (exercise 4): the master waits for the workers in rank
//! order, so a free worker waits behind a slow one.

use mpi::traits::*;

use crate::given::{READY, RESULT, STOP, TASK};

// ANCHOR: solution
pub fn farm<C, F>(world: &C, tasks: &[u64], work: F) -> Option<Vec<u64>>
where
    C: Communicator,
    F: FnMut(u64) -> u64,
{
    if world.rank() == 0 {
        Some(master(world, tasks))
    } else {
        worker(world, work);
        None
    }
}

fn master<C: Communicator>(world: &C, tasks: &[u64]) -> Vec<u64> {
    let mut results = vec![0; tasks.len()];
    let mut next = 0;
    let mut stopped = 0;
    let mut turn = 1;
    while stopped < world.size() - 1 {
        // The workers take turns: 1, 2, ..., then 1 again.
        let (msg, status) = world.process_at_rank(turn).receive_vec::<u64>();
        turn = turn % (world.size() - 1) + 1;
        if status.tag() == RESULT {
            results[msg[0] as usize] = msg[1];
        }
        // Answer that same worker: the next task, or STOP.
        let worker = world.process_at_rank(status.source_rank());
        if next < tasks.len() {
            worker.send_with_tag(&[next as u64, tasks[next]][..], TASK);
            next += 1;
        } else {
            worker.send_with_tag(&[0u64; 0][..], STOP);
            stopped += 1;
        }
    }
    results
}

fn worker<C: Communicator, F: FnMut(u64) -> u64>(world: &C, mut work: F) {
    let master = world.process_at_rank(0);
    master.send_with_tag(&[0u64; 0][..], READY);
    loop {
        let (msg, status) = master.receive_vec::<u64>();
        if status.tag() == STOP {
            return;
        }
        let (index, task) = (msg[0], msg[1]);
        master.send_with_tag(&[index, work(task)][..], RESULT);
    }
}
// ANCHOR_END: solution
