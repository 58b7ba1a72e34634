use std::sync::{Arc, Barrier, Condvar, Mutex};
use std::thread::{self, ThreadId};

use support::require;
use threads::ex1_spawn::spawn_workers;

const ONE_AFTER_ANOTHER: &str = "the workers seem to run one after another: the first one \
     waits for company that never comes. Possible causes, most likely first: each thread is \
     joined before the next one is started (a loop that spawns and joins in the same turn, or \
     one lazy iterator chain `.map(spawn).map(join)`, which joins each thread as soon as it \
     is spawned); or fewer than n threads are started. Look at spawn_workers \
     (src/ex1_spawn.rs): is every thread started before the first join?";

support::isolated_tests! {
    /// Four workers meet at a barrier of four: it opens only if all four
    /// threads are alive at the same time.
    fn all_workers_run_at_once() {
        let barrier = Arc::new(Barrier::new(4));
        let work = move |i: usize| {
            barrier.wait();
            i as u64 * 10
        };
        support::step("waiting for 4 workers to meet at a barrier of 4", ONE_AFTER_ANOTHER);
        let got = spawn_workers(4, work);
        require!(got == [0, 10, 20, 30],
            expected: "[0, 10, 20, 30] (work(i) = 10 * i, in the order of i)",
            got: format!("{got:?}"),
            look_at: "spawn_workers (src/ex1_spawn.rs): is element i what work(i) returned?");
    }

    /// The workers are made to finish in reverse order (worker i waits until
    /// every worker after it is done); the results must still be in the
    /// order of i.
    fn results_come_back_in_input_order() {
        let n = 5;
        let finished = Arc::new((Mutex::new(0usize), Condvar::new()));
        let work = move |i: usize| {
            let (count, changed) = &*finished;
            let mut done = count.lock().unwrap();
            while *done != n - 1 - i {
                done = changed.wait(done).unwrap();
            }
            *done += 1;
            changed.notify_all();
            (i * i) as u64
        };
        support::step("waiting for 5 workers that finish in reverse order", ONE_AFTER_ANOTHER);
        let got = spawn_workers(n, work);
        require!(got == [0, 1, 4, 9, 16],
            expected: "[0, 1, 4, 9, 16]: work(i) = i * i, in the order of i",
            got: format!("{got:?} (the workers finished in the order 4, 3, 2, 1, 0)"),
            look_at: "spawn_workers (src/ex1_spawn.rs): does your code collect the results \
                      in input order or in finish order? A channel hands them over as the \
                      threads finish; what keeps the order in which they were started?");
    }

    /// Every worker runs on a thread of its own, none on the caller's.
    fn each_worker_has_its_own_thread() {
        let seen: Arc<Mutex<Vec<ThreadId>>> = Arc::default();
        let record = Arc::clone(&seen);
        let work = move |i: usize| {
            record.lock().unwrap().push(thread::current().id());
            i as u64
        };
        support::step("waiting for 6 workers", "a worker never returns");
        let got = spawn_workers(6, work);
        let ids = seen.lock().unwrap().clone();
        require!(ids.len() == 6 && crate::distinct(&ids) == 6,
            expected: "6 calls of work, on 6 different threads",
            got: format!("{} calls on {} different thread(s)", ids.len(), crate::distinct(&ids)),
            look_at: "spawn_workers (src/ex1_spawn.rs): how many threads does it start, and \
                      how many times does each call work?");
        require!(!ids.contains(&thread::current().id()),
            expected: "no work done on the calling thread",
            got: "work(i) ran on the thread that called spawn_workers",
            look_at: "spawn_workers (src/ex1_spawn.rs): where is work(i) called: inside the \
                      closure the new thread runs, or before the thread is spawned?");
        require!(got == [0, 1, 2, 3, 4, 5],
            expected: "[0, 1, 2, 3, 4, 5]",
            got: format!("{got:?}"),
            look_at: "spawn_workers (src/ex1_spawn.rs): is every joined result kept, in order?");
    }

    /// No workers, no threads, no results.
    fn zero_workers_give_no_results() {
        let got = spawn_workers(0, |i| i as u64);
        require!(got.is_empty(),
            expected: "an empty Vec for n = 0",
            got: format!("{got:?}"),
            look_at: "spawn_workers (src/ex1_spawn.rs): what does it do when n is 0?");
    }
}
