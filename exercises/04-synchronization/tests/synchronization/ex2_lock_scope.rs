// Threads and channels are std's in both builds: this exercise is about how
// long a std MutexGuard lives, not about a hand-made primitive.
#![cfg(not(feature = "model"))]

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, mpsc};

use synchronization::ex2_lock_scope::{Job, start_workers};

fn join_all(workers: Vec<std::thread::JoinHandle<usize>>) -> Vec<usize> {
    workers
        .into_iter()
        .map(|w| w.join().expect("a worker thread panicked"))
        .collect()
}

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
            tx.send(Box::new(move || {
                meet.wait();
                done_tx.send(std::thread::current().id()).unwrap();
            }))
            .unwrap();
        }
        support::step(
            "waiting for two jobs that meet at a Barrier(2): it opens only if two workers run jobs at once",
            "a lock held across a blocking call: a worker still holds the receiver's MutexGuard while \
             it runs its job, so the other worker cannot take the second job. \
             `while let Ok(job) = rx.lock().unwrap().recv() { job() }` keeps the guard alive for the \
             whole loop body; take the job in a `let` statement of its own, then run it",
        );
        let ids: HashSet<_> = (0..2).map(|_| done_rx.recv().unwrap()).collect();
        support::require!(ids.len() == 2,
            expected: "the two jobs to run on two different worker threads",
            got: format!("{} distinct thread(s)", ids.len()),
            look_at: "start_workers: spawn n threads that share the receiver");
        drop(tx);
        support::step("joining the workers after closing the channel",
            "a worker does not stop when recv() returns Err (channel closed and empty)");
        let ran: usize = join_all(workers).iter().sum();
        support::require!(ran == 2,
            expected: "the workers to report 2 jobs run in total",
            got: ran,
            look_at: "the count each worker returns");
    }

    fn every_job_runs_once_and_workers_stop_when_the_channel_closes() {
        let (tx, rx) = mpsc::channel::<Job>();
        let workers = start_workers(3, rx);
        support::require!(workers.len() == 3,
            expected: "3 join handles",
            got: workers.len(),
            look_at: "start_workers: one thread per worker");
        let total = Arc::new(AtomicUsize::new(0));
        for _ in 0..100 {
            let total = Arc::clone(&total);
            tx.send(Box::new(move || {
                total.fetch_add(1, Ordering::Relaxed);
            }))
            .unwrap();
        }
        drop(tx);
        support::step("joining 3 workers after sending 100 jobs and closing the channel",
            "a worker keeps waiting after the channel is closed: stop when recv() returns Err");
        let counts = join_all(workers);
        let ran = total.load(Ordering::Relaxed);
        support::require!(ran == 100 && counts.iter().sum::<usize>() == 100,
            expected: "100 jobs run, and the workers' counts adding up to 100",
            got: format!("{ran} jobs run; workers reported {counts:?}"),
            look_at: "the worker loop: run each job it receives once, count it, return the count");
    }
}
