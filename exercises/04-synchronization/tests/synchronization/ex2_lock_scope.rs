// Threads and channels are std's in both builds: this exercise is about how
// long a std MutexGuard lives, not about a hand-made primitive.
#![cfg(not(feature = "model"))]

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, mpsc};

use crate::waiter;

use synchronization::ex2_lock_scope::{Job, start_workers};

fn join_all(workers: Vec<std::thread::JoinHandle<usize>>) -> Vec<usize> {
    workers
        .into_iter()
        .map(|w| match w.join() {
            Ok(ran) => ran,
            Err(_) => support::fail(
                "every worker to return its count",
                "a worker thread panicked (its message is above)",
                "the worker loop in start_workers (src/ex2_lock_scope.rs)",
            ),
        })
        .collect()
}

/// Sends a job, failing with an explanation if no worker holds the
/// receiver any more.
fn send(tx: &mpsc::Sender<Job>, job: Job) {
    if tx.send(job).is_err() {
        support::fail(
            "the workers to take jobs until the channel is closed",
            "send() failed: every worker had already stopped, so nobody holds the receiver \
             any more (and the channel was never closed)",
            "the worker loop in start_workers (src/ex2_lock_scope.rs): what ends it?",
        );
    }
}

/// What the tests say when two jobs that must run at once never meet.
const TAKE_TURNS: &str = "the two jobs never ran at the same time: the first waits at the \
    barrier for company that never comes. Possible causes, most likely first: a worker still \
    holds the receiver's MutexGuard while it runs its job, so the other worker cannot take \
    the next job (how long does a temporary guard live in a `while let` or `match` \
    condition? until the end of which statement?); a worker stopped early, when it found \
    the channel empty for a moment; or fewer than 2 workers were started. \
    Look at the worker loop in start_workers (src/ex2_lock_scope.rs): when is the lock let \
    go, before or after job() runs? (Holding it while the job runs is a lock held across \
    a blocking call.)";

support::isolated_tests! {
    /// Two jobs that each wait at a Barrier(2): it only opens when two
    /// workers run jobs at the same time.
    fn two_workers_run_two_jobs_at_the_same_time() {
        let (tx, rx) = mpsc::channel::<Job>();
        let workers = start_workers(2, rx);
        let meet = Arc::new(Barrier::new(2));
        let (done_tx, done_rx) = mpsc::channel();
        for _ in 0..2 {
            let (meet, done_tx) = (Arc::clone(&meet), done_tx.clone());
            send(&tx, Box::new(move || {
                meet.wait();
                done_tx.send(std::thread::current().id()).unwrap();
            }));
        }
        support::step(
            "waiting for two jobs that meet at a Barrier(2): it opens only if two workers run jobs at once",
            TAKE_TURNS,
        );
        let ids: HashSet<_> = (0..2).map(|_| done_rx.recv().unwrap()).collect();
        support::require!(ids.len() == 2,
            expected: "the two jobs to run on two different worker threads",
            got: format!("{} distinct thread(s)", ids.len()),
            look_at: "start_workers (src/ex2_lock_scope.rs): do the n threads share one receiver?");
        drop(tx);
        support::step("joining the workers after closing the channel",
            "a worker never returns after the channel was closed. Possible causes: the worker \
             loop does not end when recv() reports the channel closed and empty (what does \
             recv() return then?); or a worker waits for the lock that another, stuck, worker \
             holds. Look at the worker loop in start_workers (src/ex2_lock_scope.rs)");
        let ran: usize = join_all(workers).iter().sum();
        support::require!(ran == 2,
            expected: "the workers to report 2 jobs run in total",
            got: ran,
            look_at: "start_workers (src/ex2_lock_scope.rs): what count does each worker return?");
    }

    fn every_job_runs_once_and_workers_stop_when_the_channel_closes() {
        let (tx, rx) = mpsc::channel::<Job>();
        let workers = start_workers(3, rx);
        support::require!(workers.len() == 3,
            expected: "3 join handles",
            got: workers.len(),
            look_at: "start_workers (src/ex2_lock_scope.rs): how many workers does it start?");
        let total = Arc::new(AtomicUsize::new(0));
        for _ in 0..100 {
            let total = Arc::clone(&total);
            send(&tx, Box::new(move || {
                total.fetch_add(1, Ordering::Relaxed);
            }));
        }
        drop(tx);
        support::step("joining 3 workers after sending 100 jobs and closing the channel",
            "a worker never returns after the channel was closed. Possible causes: the worker \
             loop does not end when recv() reports the channel closed and empty (what does \
             recv() return then?); or a worker waits for the lock that another, stuck, worker \
             holds. Look at the worker loop in start_workers (src/ex2_lock_scope.rs)");
        let counts = join_all(workers);
        let ran = total.load(Ordering::Relaxed);
        support::require!(ran == 100 && counts.iter().sum::<usize>() == 100,
            expected: "100 jobs run, and the workers' counts adding up to 100",
            got: format!("{ran} jobs run; workers reported {counts:?}"),
            look_at: "the worker loop in start_workers (src/ex2_lock_scope.rs): is every job \
                      taken run exactly once and counted? Does a worker stop before the channel \
                      is closed?");
    }

    /// The workers go idle on an empty channel (the kernel shows them
    /// asleep) before any work arrives; then a job comes, twice. Workers
    /// that stop when the channel is empty for a moment miss it.
    fn work_that_arrives_after_the_workers_are_idle_is_done() {
        let (tx, rx) = mpsc::channel::<Job>();
        let before = waiter::threads();
        let workers = start_workers(2, rx);
        let tids: Vec<i32> = waiter::threads().into_iter().filter(|t| !before.contains(t)).collect();
        let (done_tx, done_rx) = mpsc::channel();
        for round in 1..=2 {
            for &tid in &tids {
                waiter::until_blocked(tid,
                    "waiting for the workers to go idle: the channel is empty, but not closed",
                    "a worker never went to sleep while the channel was empty: it keeps running. \
                     Possible causes: it asks the channel for a job again and again (a spin) \
                     instead of waiting for one; or it loops forever for another reason. Look \
                     at the worker loop in start_workers (src/ex2_lock_scope.rs)");
            }
            let stopped = workers.iter().filter(|w| w.is_finished()).count();
            support::require!(stopped == 0,
                expected: "the workers to wait for more work while the channel is empty but open",
                got: format!("{stopped} of 2 workers stopped when they found no job waiting \
                              (before job {round} was sent)"),
                look_at: "the worker loop in start_workers (src/ex2_lock_scope.rs): what ends \
                          it? An empty channel only means that no job has arrived yet. Which \
                          call waits for the next job, and what does it return once the \
                          channel is closed?");
            let done_tx = done_tx.clone();
            send(&tx, Box::new(move || done_tx.send(round).unwrap()));
            support::step(&format!("waiting for job {round}, sent while both workers were idle"),
                "no worker takes a job sent while the workers were idle. Possible causes: the \
                 workers wait somewhere other than the channel (for a lock nobody lets go?). \
                 Look at the worker loop in start_workers (src/ex2_lock_scope.rs)");
            support::require!(done_rx.recv() == Ok(round),
                expected: format!("job {round} to run"), got: "another job, or none",
                look_at: "the worker loop in start_workers (src/ex2_lock_scope.rs)");
        }
        drop(tx);
        support::step("joining the workers after closing the channel",
            "a worker never returns after the channel was closed. Look at the worker loop in \
             start_workers (src/ex2_lock_scope.rs): what ends it?");
        let ran: usize = join_all(workers).iter().sum();
        support::require!(ran == 2,
            expected: "the workers to report 2 jobs run in total",
            got: ran,
            look_at: "start_workers (src/ex2_lock_scope.rs): what count does each worker return?");
    }
}
