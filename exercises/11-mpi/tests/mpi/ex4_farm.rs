use support::require;

use crate::{Job, mpirun};

const HUNG: &str = "farm (src/ex4_farm.rs): does every worker send READY first, and does \
     the master answer every message with a TASK or a STOP? Does the master stop waiting \
     once every worker has been told to stop?";

const HELD: &str = "farm (src/ex4_farm.rs): worker 1's first task cannot finish until worker \
     2 has finished 3 tasks, and worker 2 finished one and then waited for more. After the \
     first tasks are out, whom does your master wait for: one worker in particular, or \
     whichever worker finishes first?";

/// Parses `[0, 3, 4]`.
fn numbers(text: &str) -> Vec<u64> {
    text.trim_start_matches("Some(")
        .trim_end_matches(')')
        .trim_matches(['[', ']'])
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

/// Results in task order, every task done once, on a worker.
fn check_farm(job: &Job, np: i32, n: u64) {
    let want: Vec<u64> = (0..n).map(|t| t * t + 1).collect();
    let got = job.value(0, "result");
    require!(got.starts_with("Some(") && numbers(got) == want,
        expected: format!("rank 0 returns Some({want:?}): element i is work(task i)"),
        got: format!("rank 0 returned {got}"),
        look_at: "farm (src/ex4_farm.rs): each RESULT carries its task's index; is it \
                  stored at that index, whichever worker sent it and whenever?");
    let mut all: Vec<u64> = Vec::new();
    for r in 0..np {
        let did = numbers(job.value(r, "did"));
        if r == 0 {
            require!(did.is_empty(),
                expected: "the master, rank 0, to run no task itself",
                got: format!("rank 0 ran tasks {did:?}"),
                look_at: "farm (src/ex4_farm.rs): only the workers (ranks 1, 2, ...) call work.");
        } else {
            require!(job.value(r, "result") == "None",
                expected: format!("worker {r} to return None"),
                got: format!("rank {r} returned {}", job.value(r, "result")),
                look_at: "farm (src/ex4_farm.rs): only rank 0 returns the results.");
        }
        all.extend(did);
    }
    all.sort();
    require!(all == (0..n).collect::<Vec<_>>(),
        expected: format!("every task 0..{n} to run exactly once"),
        got: format!("the tasks run, sorted: {all:?}"),
        look_at: "farm (src/ex4_farm.rs): does the master hand out each task once, and \
                  every task?");
}

support::isolated_tests! {
    /// One worker does every task; the results come back in task order.
    fn one_worker_does_every_task() within 60 s {
        support::step("waiting for mpirun -np 2 ranks farm 5", HUNG);
        let job = mpirun(2, &["farm", "5"]);
        job.finished(2, "did", HUNG);
        check_farm(&job, 2, 5);
    }

    /// Two workers share twelve tasks; every task runs once and the
    /// results are in task order.
    fn two_workers_share_the_tasks() within 60 s {
        support::step("waiting for mpirun -np 3 ranks farm 12", HUNG);
        let job = mpirun(3, &["farm", "12"]);
        job.finished(3, "did", HUNG);
        check_farm(&job, 3, 12);
    }

    /// Worker 1's first task waits until worker 2 has finished three:
    /// only a master that serves whichever worker is free gets through.
    fn a_free_worker_gets_the_next_task() within 60 s {
        support::step("waiting for mpirun -np 3 ranks farm 8 hold", HELD);
        let job = mpirun(3, &["farm", "8", "hold"]);
        job.finished(3, "did", HELD);
        check_farm(&job, 3, 8);
        let by_2 = numbers(job.value(2, "did")).len();
        require!(by_2 >= 3,
            expected: "worker 2 to run at least 3 of the 8 tasks while worker 1 was held",
            got: format!("worker 2 ran {by_2}"),
            look_at: HELD);
    }
}
