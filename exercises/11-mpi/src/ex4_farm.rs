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
//!
//! A task can fail: `work` returns `Err(why)`, or panics. That must not
//! stop the farm, nor leave the master waiting for an answer that never
//! comes: the worker reports the failure instead of a result, tagged
//! `FAILED` (the message is `given::failure(index, &why)`; the master reads
//! it with `given::read_failure`), and carries on with the next task.

use mpi::traits::*;

#[allow(unused_imports)]
use crate::given::{FAILED, READY, RESULT, STOP, TASK};
#[allow(unused_imports)]
use crate::given::{Outcome, failure, panic_message, read_failure};

// ANCHOR: stub
/// Runs `work(task)` for every task on the workers (every rank but 0), and
/// returns on rank 0 the outcomes in the order of `tasks` (element `i` is
/// what `work(tasks[i])` returned); every other rank returns `None`. Needs
/// at least two ranks. Rank 0 runs no task itself. Every task runs exactly
/// once, on the first worker that is free for it.
///
/// A task whose `work` panics is a failure too: its element is
/// `Err("panicked: <the panic's message>")` (catch the panic on the worker
/// with `std::panic::catch_unwind`; `given::panic_message` reads it).
pub fn farm<C, F>(world: &C, tasks: &[u64], work: F) -> Option<Vec<Outcome>>
where
    C: Communicator,
    F: FnMut(u64) -> Result<u64, String>,
{
    todo!("rank 0 hands out tasks; the others work until told to stop")
}
// ANCHOR_END: stub
