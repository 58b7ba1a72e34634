//! Exercise 4: a task farm. The master hands out work as workers finish.
//!
//! A `multiprocessing.Pool` hides a queue of tasks that idle workers take
//! from. MPI has no such queue: rank 0, the master, is the queue. Each
//! worker (ranks 1, 2, ...) asks for work; the master answers whoever asked
//! with the next task, collects the results, and finally tells every worker
//! to stop. Tasks take different times, so the workers finish in no
//! particular order: the master must serve whichever worker is free.
//!
//! The messages (tags in `given`): a worker first sends an empty message
//! tagged `READY`; the master answers with `[index, task]` tagged `TASK` or
//! an empty message tagged `STOP`; a worker sends each answer back as
//! `[index, result]` tagged `RESULT`, and then waits for the master again.

use mpi::traits::*;

#[allow(unused_imports)]
use crate::given::{READY, RESULT, STOP, TASK};

// ANCHOR: stub
/// Runs `work(task)` for every task on the workers (every rank but 0), and
/// returns on rank 0 the results in the order of `tasks` (element `i` is
/// `work(tasks[i])`); every other rank returns `None`. Needs at least two
/// ranks. Rank 0 runs no task itself. Every task runs exactly once, on the
/// first worker that is free for it.
pub fn farm<C, F>(world: &C, tasks: &[u64], work: F) -> Option<Vec<u64>>
where
    C: Communicator,
    F: FnMut(u64) -> u64,
{
    todo!("rank 0 hands out tasks; the others work until told to stop")
}
// ANCHOR_END: stub
