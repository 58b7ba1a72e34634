use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};

use pools::ex4_thread_pool::ThreadPool;
use support::require;

fn threads_of_this_process() -> usize {
    std::fs::read_dir("/proc/self/task")
        .map(|d| d.count())
        .unwrap_or(0)
}

const SHRUNK: &str = "fewer workers than the pool's size are taking jobs: did a worker thread \
     end when the job before panicked? A panic unwinds the thread it happens on, unless \
     something stops it";

support::isolated_tests! {
    /// A job's result comes back through its own handle.
    fn each_handle_gets_its_own_jobs_result() {
        let pool = ThreadPool::new(2);
        let handles: Vec<_> = (0..10u64).map(|i| pool.submit(move || i * i)).collect();
        support::step("waiting for 10 jobs", "a job never runs: do the workers take jobs off the channel?");
        let got: Vec<_> = handles.into_iter().map(|h| h.wait()).collect();
        let want: Vec<_> = (0..10u64).map(|i| Ok(i * i)).collect();
        require!(got == want,
            expected: "Ok(i * i) from handle i",
            got: format!("{got:?}"),
            look_at: "submit and JobHandle::wait: each job sends its result to its own handle");
    }

    /// Two jobs meet at a barrier of two: the pool's two workers run them
    /// at the same time.
    fn the_workers_run_jobs_at_once() {
        let pool = ThreadPool::new(2);
        require!(pool.size() == 2,
            expected: "size() == 2",
            got: format!("{}", pool.size()),
            look_at: "ThreadPool::size");
        let barrier = Arc::new(Barrier::new(2));
        let handles: Vec<_> = (0..2).map(|_| { let b = Arc::clone(&barrier); pool.submit(move || { b.wait(); 1 }) }).collect();
        support::step("waiting for 2 jobs to meet at a barrier of 2",
            "only one job runs at a time: do all workers wait on the channel together?");
        let got: Vec<_> = handles.into_iter().map(|h| h.wait()).collect();
        require!(got == [Ok(1), Ok(1)],
            expected: "[Ok(1), Ok(1)]",
            got: format!("{got:?}"),
            look_at: "JobHandle::wait");
    }

    /// A panicking job's handle reports the panic with its message.
    fn a_panic_reaches_the_submitter_with_its_message() {
        let pool = ThreadPool::new(2);
        let bad = pool.submit(|| -> u32 { panic!("job 7 broke") });
        let good = pool.submit(|| 5u32);
        support::step("waiting for a panicking job's handle", "the handle never hears from the job");
        let got = bad.wait();
        require!(matches!(&got, Err(e) if e.message == "job 7 broke" && e.to_string().contains("job 7 broke")),
            expected: "Err(JobPanicked { message: \"job 7 broke\" })",
            got: format!("{got:?}"),
            look_at: "JobHandle::wait: the panic's payload is the message; where is it caught, \
                      and who carries it to the handle?");
        let got = good.wait();
        require!(got == Ok(5),
            expected: "Ok(5) from the job after the panicking one",
            got: format!("{got:?}"),
            look_at: "the pool after a panicking job");
    }

    /// After a panicking job, both workers still meet at a barrier of two:
    /// the pool did not shrink.
    fn a_panic_does_not_shrink_the_pool() {
        let pool = ThreadPool::new(2);
        let _ = pool.submit(|| -> u32 { panic!("boom") }).wait();
        let barrier = Arc::new(Barrier::new(2));
        let handles: Vec<_> = (0..2).map(|_| { let b = Arc::clone(&barrier); pool.submit(move || { b.wait(); 1 }) }).collect();
        support::step("waiting for 2 jobs to meet at a barrier of 2, after a job panicked", SHRUNK);
        let got: Vec<_> = handles.into_iter().map(|h| h.wait()).collect();
        require!(got == [Ok(1), Ok(1)],
            expected: "[Ok(1), Ok(1)] from two workers after the panic",
            got: format!("{got:?}. {SHRUNK}"),
            look_at: "ThreadPool: the worker loop, and what runs inside it");
    }

    /// Dropping the pool runs every submitted job, then joins every worker.
    fn drop_finishes_the_queue_and_joins_every_worker() {
        let before = threads_of_this_process();
        let done = Arc::new(AtomicUsize::new(0));
        let pool = ThreadPool::new(3);
        for _ in 0..100 {
            let done = Arc::clone(&done);
            let _ = pool.submit(move || { done.fetch_add(1, Ordering::SeqCst); });
        }
        support::step("dropping a pool with jobs still queued",
            "drop never returns: do the workers see the channel close?");
        drop(pool);
        let ran = done.load(Ordering::SeqCst);
        let after = threads_of_this_process();
        require!(ran == 100,
            expected: "all 100 submitted jobs run by the time drop returns",
            got: format!("{ran} ran"),
            look_at: "Drop for ThreadPool: how does it wait for the jobs still in the queue?");
        require!(after == before,
            expected: format!("{before} threads in this process after drop, as before the pool"),
            got: format!("{after} threads: some workers are still alive"),
            look_at: "Drop for ThreadPool: is every worker's JoinHandle joined?");
    }
}
