//! Exercise 4 solution: the master serves whichever worker asks next; a
//! failed task comes back as a report, never as silence.

use std::panic::{AssertUnwindSafe, catch_unwind};

use mpi::traits::*;

use crate::given::{FAILED, READY, RESULT, STOP, TASK};
use crate::given::{Outcome, failure, panic_message, read_failure};

// ANCHOR: solution
pub fn farm<C, F>(world: &C, tasks: &[u64], work: F) -> Option<Vec<Outcome>>
where
    C: Communicator,
    F: FnMut(u64) -> Result<u64, String>,
{
    if world.rank() == 0 {
        Some(master(world, tasks))
    } else {
        worker(world, work);
        None
    }
}

fn master<C: Communicator>(world: &C, tasks: &[u64]) -> Vec<Outcome> {
    let mut results = vec![Err("never run".to_string()); tasks.len()];
    let mut next = 0;
    let mut stopped = 0;
    while stopped < world.size() - 1 {
        // Whoever is free speaks next: READY at first, then an answer.
        let (msg, status) = world.any_process().receive_vec::<u64>();
        if status.tag() == RESULT {
            results[msg[0] as usize] = Ok(msg[1]);
        } else if status.tag() == FAILED {
            let (index, why) = read_failure(&msg).expect("a FAILED report");
            results[index as usize] = Err(why);
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

fn worker<C, F>(world: &C, mut work: F)
where
    C: Communicator,
    F: FnMut(u64) -> Result<u64, String>,
{
    let master = world.process_at_rank(0);
    master.send_with_tag(&[0u64; 0][..], READY);
    loop {
        let (msg, status) = master.receive_vec::<u64>();
        if status.tag() == STOP {
            return;
        }
        let (index, task) = (msg[0], msg[1]);
        // A panic in the task must not end this rank: caught, it is
        // reported like an error.
        let outcome = catch_unwind(AssertUnwindSafe(|| work(task)))
            .unwrap_or_else(|p| Err(format!("panicked: {}", panic_message(p.as_ref()))));
        match outcome {
            Ok(value) => master.send_with_tag(&[index, value][..], RESULT),
            Err(why) => master.send_with_tag(&failure(index, &why)[..], FAILED),
        }
    }
}
// ANCHOR_END: solution
