use std::any::Any;
use std::sync::{Arc, Barrier};
use std::thread;

use support::require;
use threads::ex2_panics::{Job, panic_message, run_all};

/// Jobs 0 and 2 return; job 1 panics with a `&'static str`, job 3 with a
/// formatted `String`.
fn jobs() -> Vec<Job> {
    let code = 42;
    vec![
        Box::new(|| 7),
        Box::new(|| panic!("job 1 failed on purpose")),
        Box::new(|| 8),
        Box::new(move || panic!("job 3 failed on purpose with code {code}")),
    ]
}

/// Runs `run_all` on a thread of its own, so that if it panics the test
/// can say why instead of just failing.
fn run_all_caught(jobs: Vec<Job>) -> Vec<Result<u64, String>> {
    support::step(
        "waiting for run_all to return the results of 4 jobs that all return at once",
        "run_all never returns. Possible causes: it waits for something other than the \
         jobs' threads (a channel nobody closes, a lock it already holds), or it joins a \
         thread it never started",
    );
    run_all_on_a_thread(jobs)
}

fn run_all_on_a_thread(jobs: Vec<Job>) -> Vec<Result<u64, String>> {
    let outcome = thread::spawn(move || run_all(jobs)).join();
    match outcome {
        Ok(results) => results,
        Err(_) => support::fail(
            "run_all to return one entry per job, even though jobs 1 and 3 panicked",
            "run_all itself panicked: a worker's panic was re-raised in the caller",
            "run_all (src/ex2_panics.rs): what does join() give back for a thread that \
             panicked, and what does your code do with it? `unwrap` and `expect` turn that \
             value into a panic of run_all's own",
        ),
    }
}

support::isolated_tests! {
    /// The payload of `panic!("literal")` is a `&str`, of
    /// `panic!("{}", x)` a `String`; anything else has no text.
    fn panic_message_reads_str_and_string_payloads() {
        let literal: Box<dyn Any + Send> = Box::new("disk full");
        let formatted: Box<dyn Any + Send> = Box::new(format!("code {}", 7));
        let other: Box<dyn Any + Send> = Box::new(12_u8);
        let got = [
            panic_message(&*literal),
            panic_message(&*formatted),
            panic_message(&*other),
        ];
        require!(got == ["disk full", "code 7", "unknown panic"],
            expected: r#"["disk full", "code 7", "unknown panic"]"#,
            got: format!("{got:?}"),
            look_at: "panic_message (src/ex2_panics.rs): which of the three came out wrong? \
                      panic!(\"literal\") leaves a &'static str in the payload, \
                      panic!(\"{}\", x) a String; which types does your code look for?");
    }

    /// Two jobs panic; the other two still deliver, and run_all returns.
    fn one_panic_does_not_sink_the_rest() {
        let got = run_all_caught(jobs());
        require!(got.len() == 4,
            expected: "4 results, one per job",
            got: format!("{} results: {got:?}", got.len()),
            look_at: "run_all (src/ex2_panics.rs): one entry per job, in job order?");
        require!(got[0] == Ok(7) && got[2] == Ok(8),
            expected: "Ok(7) for job 0 and Ok(8) for job 2",
            got: format!("{:?} and {:?}", got[0], got[2]),
            look_at: "run_all (src/ex2_panics.rs): what does a job that returns give?");
        require!(got[1].is_err() && got[3].is_err(),
            expected: "Err(..) for jobs 1 and 3, which panicked",
            got: format!("{:?} and {:?}", got[1], got[3]),
            look_at: "run_all (src/ex2_panics.rs): what does join() give back for a thread that panicked?");
    }

    /// The error says what the panic said, not just that there was one.
    fn the_panic_message_is_kept() {
        let got = run_all_caught(jobs());
        let want1 = "job 1 failed on purpose";
        let want3 = "job 3 failed on purpose with code 42";
        let ok = matches!(&got[..], [_, Err(m1), _, Err(m3)] if m1 == want1 && m3 == want3);
        require!(ok,
            expected: format!("Err({want1:?}) for job 1 and Err({want3:?}) for job 3"),
            got: format!("{got:?}"),
            look_at: "run_all (src/ex2_panics.rs): where does the text inside your Err(..) \
                      come from? The job's own words travel in the payload that join() \
                      hands back");
    }

    /// Three jobs meet at a Barrier(3) before they return (job 1 then
    /// panics): the barrier opens only if all three run at the same time.
    fn every_job_runs_at_the_same_time() {
        let meet = Arc::new(Barrier::new(3));
        let jobs: Vec<Job> = (0..3u64)
            .map(|i| {
                let meet = Arc::clone(&meet);
                Box::new(move || {
                    meet.wait();
                    if i == 1 {
                        panic!("job 1 met the others, then failed");
                    }
                    i
                }) as Job
            })
            .collect();
        support::step(
            "waiting for 3 jobs that meet at a Barrier(3): it opens only when all 3 run at once",
            "the jobs seem to run one after another: the first waits at the barrier for company \
             that never comes. Possible causes: each job's thread is joined before the next one \
             is started (a loop that spawns and joins in the same turn, or one lazy iterator \
             chain `.map(spawn).map(join)`, which joins each thread as soon as it is spawned); \
             or fewer than 3 jobs are started. Look at run_all (src/ex2_panics.rs): is every \
             thread started before the first join?",
        );
        let got = run_all_on_a_thread(jobs);
        let want = [Ok(0), Err("job 1 met the others, then failed".to_string()), Ok(2)];
        require!(got == want,
            expected: format!("{want:?}"),
            got: format!("{got:?}"),
            look_at: "run_all (src/ex2_panics.rs): one entry per job, in job order");
    }
}
