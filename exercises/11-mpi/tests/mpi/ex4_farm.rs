use support::require;

use crate::{Job, mpirun};

const HUNG: &str = "farm (src/ex4_farm.rs): does every worker send READY first, and does \
     the master answer every message with a TASK or a STOP? Does the master stop waiting \
     once every worker has been told to stop?";

const HELD: &str = "farm (src/ex4_farm.rs): worker 1's first task cannot finish until worker \
     2 has finished 3 tasks, and worker 2 finished one and then waited for more. After the \
     first tasks are out, whom does your master wait for: one worker in particular, or \
     whichever worker finishes first?";

const FAILED_HUNG: &str = "farm (src/ex4_farm.rs): one task failed (work returned Err), and \
     after that the master waited for an answer that never came. When work fails, what does \
     the worker send back? Does the master hear about every task it handed out, whether it \
     worked or not?";

const DIED_HUNG: &str = "how the job is started (Open MPI's own behaviour, not your farm): \
     when one rank exits without MPI's finalize, mpirun should stop every other rank and \
     exit with a non-zero status. Is the job started with mpirun, as the tests do?";

const PANICKED: &str = "farm (src/ex4_farm.rs): one task panicked; the master waited for an \
     answer that never came. Is a panic in work caught on the worker and reported like an \
     error?";

/// Parses `[0, 3, 4]`.
fn numbers(text: &str) -> Vec<u64> {
    text.trim_start_matches("Some(")
        .trim_end_matches(')')
        .trim_matches(['[', ']'])
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

/// What rank 0 returned, one entry per task: `0 ok 1`, `3 failed why`.
fn outcomes(job: &Job) -> Vec<String> {
    job.ranks.get(&0).map_or(Vec::new(), |r| {
        r.all("task").into_iter().map(String::from).collect()
    })
}

/// Outcomes in task order (task `t` gives `t * t + 1`, except the one in
/// `failing`, which fails with a reason containing the given text), every
/// task done once, on a worker.
fn check_farm(job: &Job, np: i32, n: u64, failing: Option<(u64, &str)>) {
    let got = outcomes(job);
    require!(job.value(0, "result") == "Some" && got.len() as u64 == n,
        expected: format!("rank 0 returns Some with {n} outcomes, one per task"),
        got: format!("rank 0 returned {} with {} outcome(s): {got:?}",
                     job.value(0, "result"), got.len()),
        look_at: "farm (src/ex4_farm.rs): does the master return one outcome per task?");
    for (t, line) in (0..n).zip(&got) {
        let (index, outcome) = line.split_once(' ').unwrap_or((line, ""));
        let want_ok = format!("ok {}", t * t + 1);
        let right = index == t.to_string()
            && match failing {
                Some((k, why)) if k == t => outcome.starts_with("failed ") && outcome.contains(why),
                _ => outcome == want_ok,
            };
        let (expected, look_at) = match failing {
            Some((k, why)) if k == t => (
                format!("element {t} to be Err(..) saying \"{why}\""),
                "farm (src/ex4_farm.rs): a failed task's element is Err(why). Does the \
                 worker send the reason with the task's index (given::failure), and does the \
                 master store it at that index?",
            ),
            _ => (
                format!("element {t} to be Ok({})", t * t + 1),
                "farm (src/ex4_farm.rs): each answer carries its task's index; is it \
                 stored at that index, whichever worker sent it and whenever?",
            ),
        };
        require!(right,
            expected: expected,
            got: format!("rank 0 returned, by task: {got:?}"),
            look_at: look_at);
    }
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

/// Fails the test if a rank panicked on purpose in task `t` and the
/// panic was not caught.
fn task_panic_caught(job: &Job, t: u64) {
    let escaped = job
        .ranks
        .iter()
        .find(|(_, r)| r.get("panicked").is_some_and(|p| p.contains("on purpose")));
    if let Some((rank, r)) = escaped {
        support::fail(
            format!("the panic in task {t} to come back to the master as that task's failure"),
            format!(
                "it ended rank {rank}'s whole process (panicked at {}), so mpirun stopped \
                 the job",
                r.get("panicked").unwrap_or("")
            ),
            "farm (src/ex4_farm.rs): where does the worker call work? Is a panic there \
             caught before it leaves the worker (the doc comment says with what)?",
        );
    }
}

support::isolated_tests! {
    /// One worker does every task; the results come back in task order.
    fn one_worker_does_every_task() within 60 s {
        support::step("waiting for mpirun -np 2 ranks farm 5", HUNG);
        let job = mpirun(2, &["farm", "5"]);
        job.finished(2, "did", HUNG);
        check_farm(&job, 2, 5, None);
    }

    /// Two workers share twelve tasks; every task runs once and the
    /// results are in task order.
    fn two_workers_share_the_tasks() within 60 s {
        support::step("waiting for mpirun -np 3 ranks farm 12", HUNG);
        let job = mpirun(3, &["farm", "12"]);
        job.finished(3, "did", HUNG);
        check_farm(&job, 3, 12, None);
    }

    /// Worker 1's first task waits until worker 2 has finished three:
    /// only a master that serves whichever worker is free gets through.
    fn a_free_worker_gets_the_next_task() within 60 s {
        support::step("waiting for mpirun -np 3 ranks farm 8 hold", HELD);
        let job = mpirun(3, &["farm", "8", "hold"]);
        job.finished(3, "did", HELD);
        check_farm(&job, 3, 8, None);
        let by_2 = numbers(job.value(2, "did")).len();
        require!(by_2 >= 3,
            expected: "worker 2 to run at least 3 of the 8 tasks while worker 1 was held",
            got: format!("worker 2 ran {by_2}"),
            look_at: HELD);
    }

    /// Task 3 of 8 returns an error: rank 0's result says so for task 3,
    /// and every other task still runs, on two workers.
    fn a_failed_task_is_reported_and_the_others_still_run() within 60 s {
        support::step("waiting for mpirun -np 3 ranks farm 8 fail 3", FAILED_HUNG);
        let job = mpirun(3, &["farm", "8", "fail", "3"]);
        job.finished(3, "did", FAILED_HUNG);
        check_farm(&job, 3, 8, Some((3, "task 3 refused: it is the one that fails")));
    }

    /// Task 2 of 6 panics on the one worker: the panic comes back as the
    /// task's failure, and the worker goes on with tasks 3, 4 and 5.
    fn a_panicking_task_is_reported_as_a_failure() within 60 s {
        support::step("waiting for mpirun -np 2 ranks farm 6 panic 2", PANICKED);
        let job = mpirun(2, &["farm", "6", "panic", "2"]);
        task_panic_caught(&job, 2);
        job.finished(2, "did", PANICKED);
        check_farm(&job, 2, 6, Some((2, "panicked: task 2 panics on purpose")));
    }

    /// The worker that runs task 2 exits at once, without MPI's finalize
    /// (as a crash or a kill would): the whole job ends, with a non-zero
    /// status and within the time limit, and no rank is left behind.
    fn a_rank_that_dies_ends_the_whole_job() within 60 s {
        support::step("waiting for mpirun -np 3 ranks farm 6 die 2", DIED_HUNG);
        let job = mpirun(3, &["farm", "6", "die", "2"]);
        job.no_panics();
        let died: Vec<i32> = job
            .ranks
            .iter()
            .filter(|(_, r)| r.get("dies").is_some())
            .map(|(k, _)| *k)
            .collect();
        require!(died.len() == 1 && died[0] != 0,
            expected: "one worker to reach task 2 (where it exits on purpose)",
            got: format!("rank(s) {died:?} reached it. What the ranks printed:{}",
                         job.transcript()),
            look_at: "farm (src/ex4_farm.rs): does the master hand out tasks 0, 1, 2... to \
                      the workers?");
        require!(!job.hung,
            expected: format!("`{}` to end by itself once rank {} had died", job.what, died[0]),
            got: format!("it was still running after {} s, and was stopped",
                         crate::JOB_LIMIT.as_secs()),
            look_at: DIED_HUNG);
        require!(job.code.is_some_and(|c| c != 0),
            expected: "mpirun to end with a non-zero exit status: the job failed",
            got: format!("{:?}", job.code),
            look_at: DIED_HUNG);
        require!(job.leftover.is_empty(),
            expected: "every rank gone when mpirun has ended",
            got: format!("still there: {:?}", job.leftover),
            look_at: DIED_HUNG);
    }
}
