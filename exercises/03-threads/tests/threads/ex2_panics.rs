use std::any::Any;
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
        "waiting for run_all to join 4 jobs",
        "a job's thread is never joined, or run_all waits for something else",
    );
    let outcome = thread::spawn(move || run_all(jobs)).join();
    match outcome {
        Ok(results) => results,
        Err(_) => support::fail(
            "run_all to return one entry per job, even though jobs 1 and 3 panicked",
            "run_all itself panicked: a worker's panic was re-raised in the caller",
            "run_all: `join().unwrap()` (or `expect`) turns a worker's Err into a panic of \
             your own. Match on join()'s Result and turn Err(payload) into Err(message)",
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
            look_at: "panic_message: try downcast_ref::<&str>(), then downcast_ref::<String>(), \
                      else \"unknown panic\"");
    }

    /// Two jobs panic; the other two still deliver, and run_all returns.
    fn one_panic_does_not_sink_the_rest() {
        let got = run_all_caught(jobs());
        require!(got.len() == 4,
            expected: "4 results, one per job",
            got: format!("{} results: {got:?}", got.len()),
            look_at: "run_all: one entry per job, in job order");
        require!(got[0] == Ok(7) && got[2] == Ok(8),
            expected: "Ok(7) for job 0 and Ok(8) for job 2",
            got: format!("{:?} and {:?}", got[0], got[2]),
            look_at: "run_all: a job that returns gives Ok(value)");
        require!(got[1].is_err() && got[3].is_err(),
            expected: "Err(..) for jobs 1 and 3, which panicked",
            got: format!("{:?} and {:?}", got[1], got[3]),
            look_at: "run_all: join() returns Err(payload) for a thread that panicked");
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
            look_at: "run_all: pass the Err's payload to panic_message; the message is in \
                      the payload (a &str or a String), so don't replace it with text of your own");
    }
}
