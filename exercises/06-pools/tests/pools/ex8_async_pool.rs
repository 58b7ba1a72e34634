use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use nix::errno::Errno;
use nix::sys::signal::{Signal, kill};
use nix::sys::stat::Mode;
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::{Pid, getpid, mkfifo};

use pools::ex8_async_pool::{AsyncPool, GetError};
use support::require;

/// A latch between processes: a named pipe. A task that opens it for
/// reading waits until the test opens it for writing.
struct Gate(PathBuf);

impl Gate {
    fn new() -> Gate {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let path = std::env::temp_dir().join(format!("workbook-pools-gate-{}-{nanos}", getpid()));
        mkfifo(&path, Mode::S_IRWXU).expect("a named pipe in the temp dir");
        Gate(path)
    }

    fn task(&self, x: u64) -> (u64, String) {
        (x, self.0.to_string_lossy().into_owned())
    }

    /// Lets the waiting task go on.
    fn open(&self) {
        let mut w = OpenOptions::new()
            .write(true)
            .open(&self.0)
            .expect("the gate opens");
        let _ = w.write_all(b"go");
    }
}

impl Drop for Gate {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

// The jobs run in the forked workers.

/// `x`, after waiting at the gate named in the task (if any).
fn gated((x, gate): (u64, String)) -> u64 {
    if !gate.is_empty() {
        if let Ok(mut f) = fs::File::open(&gate) {
            let _ = f.read(&mut [0u8; 2]);
        }
    }
    x
}

fn power((base, exp): (u64, u32)) -> u64 {
    base.pow(exp)
}

fn fails_on_3_dies_on_5(x: u64) -> u64 {
    assert!(x != 3, "three is not allowed");
    if x == 5 {
        let _ = kill(getpid(), Signal::SIGKILL);
    }
    x
}

fn plain(x: u64) -> (u64, String) {
    (x, String::new())
}

/// Is `pid` gone for good: reaped, not a zombie, not running?
fn reaped(pid: i32) -> bool {
    matches!(
        waitpid(Pid::from_raw(pid), Some(WaitPidFlag::WNOHANG)),
        Err(Errno::ECHILD)
    )
}

const HELD_BACK: &str = "imap_unordered holds back results: task 0 waits at a latch that \
     opens only once another result has been handed out. Does your iterator wait for \
     task 0 (input order), or for every task, before it hands anything out?";

support::isolated_tests! {
    /// get(timeout) on a task that cannot finish yet says Timeout; another
    /// task's handle gets its result meanwhile; once the task can finish,
    /// the same handle gets it.
    fn get_times_out_and_a_later_get_gets_the_result() within 10 s {
        let pool = AsyncPool::new(2, gated).expect("a pool of 2 starts");
        let gate = Gate::new();
        let held = pool.apply_async(gate.task(7));
        support::step("get(50 ms) on a task that waits at a latch",
            "get does not return although its timeout has passed: does it wait without a limit?");
        let first = held.get(Duration::from_millis(50));
        require!(first == Err(GetError::Timeout),
            expected: "Err(GetError::Timeout): the task cannot finish before the test lets it",
            got: format!("{first:?}"),
            look_at: "AsyncResult::get: a Receiver can wait with a time limit");
        let other = pool.apply_async(plain(8));
        support::step("get on a second task while the first one waits",
            "the second task never runs: does each worker have a feeder, and do they share one queue?");
        let got = other.get(Duration::from_secs(8));
        require!(got == Ok(8),
            expected: "Ok(8) from the second handle while the first task still waits",
            got: format!("{got:?}"),
            look_at: "AsyncPool::apply_async: each job delivers to its own handle");
        support::step("opening the latch", "the waiting task never opened its end: did it reach a worker?");
        gate.open();
        support::step("get on the first task after its latch opened", "the result never comes");
        let later = held.get(Duration::from_secs(8));
        require!(later == Ok(7),
            expected: "Ok(7): a get after a Timeout still gets the result",
            got: format!("{later:?}"),
            look_at: "AsyncResult::get: a timeout must not throw the result away");
    }

    /// imap_unordered hands out a result while task 0 still waits.
    fn imap_unordered_hands_out_a_result_while_task_0_waits() within 10 s {
        let pool = AsyncPool::new(2, gated).expect("a pool of 2 starts");
        let gate = Gate::new();
        let tasks = vec![gate.task(0), plain(1), plain(2), plain(3)];
        support::step("waiting for a first result while task 0 waits at a latch", HELD_BACK);
        let mut results = pool.imap_unordered(tasks);
        let first = results.next();
        require!(matches!(first, Some((i, Ok(x))) if i != 0 && x == i as u64),
            expected: "a first result (index, Ok(index)) from a task other than 0",
            got: format!("{first:?}"),
            look_at: "AsyncPool::imap_unordered: hand out results in the order they arrive");
        gate.open();
        support::step("collecting the rest after the latch opened",
            "the iterator never ends: is every Sender of its channel dropped once its task is done?");
        let mut rest: Vec<_> = results.collect();
        rest.extend(first);
        rest.sort_by_key(|(i, _)| *i);
        let want: Vec<_> = (0..4).map(|i| (i, Ok(i as u64))).collect();
        require!(rest == want,
            expected: format!("every task once: {want:?}"),
            got: format!("{rest:?}"),
            look_at: "AsyncPool::imap_unordered");
    }

    /// starmap: a pair per task, the results in input order; map too.
    fn starmap_and_map_keep_the_input_order() {
        let pool = AsyncPool::new(2, power).expect("a pool of 2 starts");
        let pairs: Vec<(u64, u32)> = (0..20).map(|i| (i % 5 + 1, i as u32 % 4)).collect();
        support::step("starmap of 20 pairs", "a result never comes: do the feeders deliver?");
        let got = pool.starmap(pairs.clone());
        let want: Vec<Result<u64, String>> = pairs.iter().map(|&(b, e)| Ok(b.pow(e))).collect();
        require!(got == want,
            expected: format!("{want:?}"),
            got: format!("{got:?}"),
            look_at: "AsyncPool::starmap and map: one result per task, in input order");
        require!(pool.map(Vec::new()).is_empty(),
            expected: "no results for no tasks",
            got: "some",
            look_at: "AsyncPool::map");
    }

    /// A panicking task and a killed worker are errors from their own get;
    /// the killed worker is replaced and the pool goes on.
    fn a_failed_task_is_an_error_from_its_get_and_the_pool_goes_on() within 10 s {
        let pool = AsyncPool::new(2, fails_on_3_dies_on_5).expect("a pool of 2 starts");
        let before = pool.pids();
        let handles: Vec<_> = (0..8).map(|x| pool.apply_async(x)).collect();
        support::step("get on 8 tasks; 3 panics, 5 kills its worker",
            "a result never comes: a worker died; does reading its reply pipe give end-of-file?");
        let got: Vec<_> = handles.iter().map(|h| h.get(Duration::from_secs(8))).collect();
        require!(matches!(&got[3], Err(GetError::Failed(why)) if why.contains("three")),
            expected: "task 3: Err(Failed(..)) with the panic's message",
            got: format!("{:?}", got[3]),
            look_at: "the feeder: a reply Err(message) is the task's panic");
        require!(matches!(&got[5], Err(GetError::Failed(_))),
            expected: "task 5: Err(Failed(..)): its worker was killed",
            got: format!("{:?}", got[5]),
            look_at: "the feeder: a reply pipe at end-of-file means the worker is gone");
        for (i, r) in got.iter().enumerate().filter(|(i, _)| *i != 3 && *i != 5) {
            require!(*r == Ok(i as u64),
                expected: format!("task {i}: Ok({i})"),
                got: format!("{r:?}"),
                look_at: "the feeder: one task's failure must not touch the others");
        }
        let after = pool.pids();
        require!(after.len() == 2 && after != before,
            expected: format!("2 workers, one of them new (before: {before:?})"),
            got: format!("{after:?}"),
            look_at: "the feeder: a dead worker is replaced, and pids() says so");
        support::step("one more task after the failure", "the replacement never answers");
        let more = pool.apply_async(9).get(Duration::from_secs(8));
        require!(more == Ok(9),
            expected: "Ok(9) after the failures",
            got: format!("{more:?}"),
            look_at: "the feeder: is the replacement wired up like the first workers?");
    }

    /// Drop lets queued jobs finish, then reaps every worker.
    fn drop_finishes_the_queue_and_reaps_every_worker() within 10 s {
        let pool = AsyncPool::new(2, power).expect("a pool of 2 starts");
        let pids = pool.pids();
        let handles: Vec<_> = (0..10).map(|i| pool.apply_async((2, i))).collect();
        support::step("dropping a pool with jobs queued",
            "drop never returns: are the feeders still waiting for jobs? A Receiver's recv \
             waits until every Sender is gone, the pool's own included");
        drop(pool);
        let got: Vec<_> = handles.iter().map(|h| h.get(Duration::from_secs(1))).collect();
        let want: Vec<_> = (0..10).map(|i| Ok(2u64.pow(i))).collect();
        require!(got == want,
            expected: "every queued job done by the time drop returns",
            got: format!("{got:?}"),
            look_at: "Drop for AsyncPool: close the queue and join the feeders");
        let left: Vec<i32> = pids.iter().copied().filter(|&p| !reaped(p)).collect();
        require!(left.is_empty(),
            expected: format!("every worker ({pids:?}) reaped after drop"),
            got: format!("not reaped: {left:?}; an exited child nobody waits for is a zombie"),
            look_at: "Drop for AsyncPool: does each feeder close its worker's pipe and waitpid it?");
    }
}
