use nix::errno::Errno;
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::{Pid, getpid};

use pools::ex5_process_pool::{ProcessPool, TaskError};
use support::require;

// The jobs below run in the forked workers: they compute, use raw system
// calls, and return; they never print or touch the test's state.

fn square(x: u64) -> u64 {
    x * x
}

fn whose(x: u64) -> (u64, i32) {
    (x, getpid().as_raw())
}

fn panics_on_3(x: u64) -> u64 {
    if x == 3 {
        panic!("three is not allowed");
    }
    x
}

fn killed_on_5(x: u64) -> u64 {
    if x == 5 {
        let _ = kill(getpid(), Signal::SIGKILL);
    }
    x
}

fn exits_on_1(x: u64) -> u64 {
    if x == 1 {
        // SAFETY: ends this worker at once, as a crashing task would.
        unsafe { libc::_exit(3) }
    }
    x
}

/// Writes to the reply pipe (fd 1 in a worker), as a stray print would.
fn raw_write(bytes: &[u8]) {
    // SAFETY: writes from a valid buffer to fd 1.
    let _ = unsafe { libc::write(1, bytes.as_ptr().cast(), bytes.len()) };
}

fn prints_on_2(x: u64) -> u64 {
    if x == 2 {
        raw_write(b"debug: x is 2\n");
    }
    x
}

fn bad_frame_on_4(x: u64) -> u64 {
    if x == 4 {
        // A well-framed reply of one byte, 7: not a valid Result variant.
        raw_write(&[1, 0, 0, 0, 7]);
    }
    x
}

fn closes_early_on_6(x: u64) -> u64 {
    if x == 6 {
        // A frame that promises 50 bytes, then the worker is gone.
        raw_write(&[50, 0, 0, 0, 1, 2, 3]);
        // SAFETY: ends this worker at once.
        unsafe { libc::_exit(0) }
    }
    x
}

/// A reply as large as a frame may be: `Ok(vec)` is 1 byte of variant,
/// 3 of length and the bytes.
fn max_reply(_: u64) -> Vec<u8> {
    vec![7; pools::given::MAX_FRAME - 4]
}

/// Is `pid` gone for good: reaped, not a zombie, not running?
fn reaped(pid: i32) -> bool {
    matches!(
        waitpid(Pid::from_raw(pid), Some(WaitPidFlag::WNOHANG)),
        Err(Errno::ECHILD)
    )
}

const DEAD_WORKER: &str = "a worker died in the middle of a task, and map is still waiting for \
     its reply. When every write end of a pipe is closed, read() returns end-of-file: who else \
     still holds the write end of that worker's reply pipe?";

fn check_ok_except<R: std::fmt::Debug + PartialEq>(
    got: &[Result<R, TaskError>],
    bad: usize,
    want: impl Fn(usize) -> R,
    what: &str,
) {
    for (i, r) in got.iter().enumerate() {
        if i != bad {
            require!(r.as_ref().ok() == Some(&want(i)),
                expected: format!("task {i}: Ok({:?}): only task {bad} {what}", want(i)),
                got: format!("{r:?}"),
                look_at: "ProcessPool::map: one task's failure must not touch the others' results");
        }
    }
}

fn still_usable(pool: &mut ProcessPool<u64, u64>, size: usize) {
    require!(pool.size() == size && pool.pids().len() == size,
        expected: format!("the pool still has {size} workers"),
        got: format!("size() = {}, pids() = {:?}", pool.size(), pool.pids()),
        look_at: "ProcessPool::map: a failed worker is replaced by a fresh one");
    let tasks: Vec<u64> = (10..30).collect();
    support::step("mapping 20 more tasks after a failure", DEAD_WORKER);
    let got = pool.map(&tasks);
    require!(got.iter().zip(&tasks).all(|(r, &t)| r.as_ref().ok() == Some(&t)),
        expected: "20 more tasks, all Ok, after the failure",
        got: format!("{got:?}"),
        look_at: "ProcessPool::map: is the replacement worker wired up like the first ones?");
}

support::isolated_tests! {
    /// The results come back in input order, computed in other processes.
    fn map_keeps_order_and_runs_in_the_workers() {
        let mut pool = ProcessPool::new(2, whose).expect("a pool of 2 starts");
        let pids = pool.pids();
        let me = getpid().as_raw();
        require!(pids.len() == 2 && pids[0] != pids[1] && !pids.contains(&me),
            expected: "2 workers with their own pids",
            got: format!("pids() = {pids:?} (the test's pid is {me})"),
            look_at: "ProcessPool::new: fork once per worker");
        let tasks: Vec<u64> = (0..50).collect();
        support::step("mapping 50 tasks on 2 workers", "a reply never comes: does the worker get its task?");
        let got = pool.map(&tasks);
        for (i, r) in got.iter().enumerate() {
            require!(matches!(r, Ok((x, pid)) if *x == i as u64 && pids.contains(pid)),
                expected: format!("task {i}: Ok(({i}, <a worker's pid>)), in input order"),
                got: format!("{r:?} (workers: {pids:?})"),
                look_at: "ProcessPool::map: results in input order, each computed by a worker");
        }
        let empty = pool.map(&[]);
        require!(empty.is_empty(),
            expected: "no results for no tasks",
            got: format!("{empty:?}"),
            look_at: "ProcessPool::map with no tasks");
    }

    /// A task that panics is an error for that task only; its worker lives on.
    fn a_panicking_task_fails_alone() {
        let mut pool = ProcessPool::new(2, panics_on_3).expect("a pool of 2 starts");
        let pids = pool.pids();
        let tasks: Vec<u64> = (0..8).collect();
        support::step("mapping 8 tasks, task 3 panics", DEAD_WORKER);
        let got = pool.map(&tasks);
        require!(matches!(&got[3], Err(TaskError::Panicked { task: 3, message }) if message.contains("three")),
            expected: "task 3: Err(Panicked { task: 3, message: \"three is not allowed\" })",
            got: format!("{:?}", got[3]),
            look_at: "ProcessPool::map: a reply that is Err(message) is the task's panic");
        check_ok_except(&got, 3, |i| i as u64, "panicked");
        still_usable(&mut pool, 2);
        require!(pool.pids() == pids,
            expected: format!("the same workers {pids:?}: a panic is caught in the worker"),
            got: format!("{:?}", pool.pids()),
            look_at: "ProcessPool::map: replace a worker only when it failed, not when its task did");
    }

    /// A worker SIGKILLed in the middle of task 5: task 5 gets an error that
    /// names it, a replacement starts, nothing hangs.
    fn a_killed_worker_is_an_error_naming_its_task() within 10 s {
        let mut pool = ProcessPool::new(2, killed_on_5).expect("a pool of 2 starts");
        let tasks: Vec<u64> = (0..12).collect();
        support::step("mapping 12 tasks; the worker running task 5 is killed", DEAD_WORKER);
        let got = pool.map(&tasks);
        let err = got[5].as_ref().err().cloned();
        require!(matches!(&err, Some(e @ TaskError::WorkerDied { task: 5, .. }) if e.to_string().contains("task 5")),
            expected: "task 5: Err(WorkerDied { task: 5, .. }), whose message names task 5",
            got: format!("{:?}", got[5]),
            look_at: "ProcessPool::map: what does reading the reply of a dead worker return?");
        if let Some(TaskError::WorkerDied { how, .. }) = &err {
            require!(how.contains("SIGKILL"),
                expected: "the error says how the worker ended (killed by SIGKILL)",
                got: format!("{how:?}"),
                look_at: "ProcessPool::map: waitpid tells how the dead worker ended");
        }
        check_ok_except(&got, 5, |i| i as u64, "lost its worker");
        still_usable(&mut pool, 2);
    }

    /// A worker that `_exit`s in the middle of a task.
    fn a_worker_that_exits_is_an_error_naming_its_task() within 10 s {
        let mut pool = ProcessPool::new(3, exits_on_1).expect("a pool of 3 starts");
        let tasks: Vec<u64> = (0..6).collect();
        support::step("mapping 6 tasks; the worker running task 1 exits", DEAD_WORKER);
        let got = pool.map(&tasks);
        require!(matches!(&got[1], Err(TaskError::WorkerDied { task: 1, how, .. }) if how.contains('3')),
            expected: "task 1: Err(WorkerDied { task: 1, how: \"exited with status 3\", .. })",
            got: format!("{:?}", got[1]),
            look_at: "ProcessPool::map: a reply pipe at end-of-file means the worker is gone");
        check_ok_except(&got, 1, |i| i as u64, "lost its worker");
        still_usable(&mut pool, 3);
    }

    /// A worker that writes text onto its reply pipe: the length prefix is
    /// garbage. An error for that task, not a huge allocation or a hang.
    fn garbage_on_the_reply_pipe_is_an_error_for_that_task() within 10 s {
        let mut pool = ProcessPool::new(2, prints_on_2).expect("a pool of 2 starts");
        let tasks: Vec<u64> = (0..6).collect();
        support::step("mapping 6 tasks; task 2 writes text onto the reply pipe",
            "the pool waits on a worker whose pipe is out of step: is it killed and replaced?");
        let got = pool.map(&tasks);
        require!(matches!(&got[2], Err(e @ TaskError::BadReply { task: 2, why }) if e.to_string().contains("task 2") && !why.is_empty()),
            expected: "task 2: Err(BadReply { task: 2, why }), `why` saying what was wrong",
            got: format!("{:?}", got[2]),
            look_at: "ProcessPool::map: read_frame refuses a frame that is too long");
        check_ok_except(&got, 2, |i| i as u64, "wrote garbage");
        still_usable(&mut pool, 2);
    }

    /// A well-framed reply that does not decode.
    fn an_undecodable_reply_is_an_error_for_that_task() within 10 s {
        let mut pool = ProcessPool::new(2, bad_frame_on_4).expect("a pool of 2 starts");
        let tasks: Vec<u64> = (0..6).collect();
        support::step("mapping 6 tasks; task 4 sends an undecodable reply",
            "the pool waits on a worker whose pipe is out of step: is it killed and replaced?");
        let got = pool.map(&tasks);
        require!(matches!(&got[4], Err(TaskError::BadReply { task: 4, .. })),
            expected: "task 4: Err(BadReply { task: 4, .. })",
            got: format!("{:?}", got[4]),
            look_at: "ProcessPool::map: decode can fail; that is the task's error");
        check_ok_except(&got, 4, |i| i as u64, "sent garbage");
        still_usable(&mut pool, 2);
    }

    /// A worker that starts a reply and closes its pipe half-way.
    fn a_reply_cut_short_is_an_error_for_that_task() within 10 s {
        let mut pool = ProcessPool::new(2, closes_early_on_6).expect("a pool of 2 starts");
        let tasks: Vec<u64> = (0..8).collect();
        support::step("mapping 8 tasks; task 6's worker closes its pipe mid-reply", DEAD_WORKER);
        let got = pool.map(&tasks);
        require!(matches!(&got[6], Err(e) if e.task() == 6),
            expected: "task 6: an Err naming task 6",
            got: format!("{:?}", got[6]),
            look_at: "ProcessPool::map: end-of-file in the middle of a frame");
        check_ok_except(&got, 6, |i| i as u64, "lost its worker");
        still_usable(&mut pool, 2);
    }

    /// After drop, every worker ever started (replacements too) is reaped:
    /// no zombie, nothing running.
    fn drop_reaps_every_worker() within 10 s {
        let mut pool = ProcessPool::new(2, killed_on_5).expect("a pool of 2 starts");
        let mut pids = pool.pids();
        support::step("mapping tasks; task 5's worker is killed", DEAD_WORKER);
        let _ = pool.map(&(0..8).collect::<Vec<u64>>());
        pids.extend(pool.pids());
        support::step("dropping the pool", "drop waits for a worker that never exits: \
             does every worker see end-of-file on its task pipe?");
        drop(pool);
        let left: Vec<i32> = pids.iter().copied().filter(|&p| !reaped(p)).collect();
        let described: Vec<String> = left.iter()
            .map(|&p| support::procs::info(p).map_or(format!("{p}"), |i| i.describe())).collect();
        require!(left.is_empty(),
            expected: format!("every worker ever started ({pids:?}) reaped after drop"),
            got: format!("not reaped: {described:?}; each would be a zombie once it exits"),
            look_at: "Drop for ProcessPool: closing a pipe ends a worker; what takes an ended \
                      child out of the process table?");
    }

    /// A reply of exactly the largest frame size is a reply, not an error.
    fn the_largest_allowed_reply_gets_through() within 10 s {
        let mut pool = ProcessPool::new(1, max_reply).expect("a pool of 1 starts");
        support::step("mapping 1 task whose reply is 1 MiB", DEAD_WORKER);
        let got = pool.map(&[0]);
        let ok = matches!(&got[..], [Ok(v)] if v.len() == pools::given::MAX_FRAME - 4);
        require!(ok,
            expected: "one Ok reply of MAX_FRAME - 4 bytes (a frame of exactly MAX_FRAME)",
            got: format!("{:?}", got.iter().map(|r| r.as_ref().map(Vec::len)).collect::<Vec<_>>()),
            look_at: "ProcessPool::map: read replies with given::read_frame, whose limit is MAX_FRAME");
    }

    /// Squares, on one worker: the smallest pool works.
    fn a_pool_of_one_works() {
        let mut pool = ProcessPool::new(1, square).expect("a pool of 1 starts");
        support::step("mapping 5 tasks on 1 worker", DEAD_WORKER);
        let got = pool.map(&[1, 2, 3, 4, 5]);
        let want: Vec<Result<u64, TaskError>> = vec![Ok(1), Ok(4), Ok(9), Ok(16), Ok(25)];
        require!(got == want,
            expected: format!("{want:?}"),
            got: format!("{got:?}"),
            look_at: "ProcessPool::map");
    }
}
