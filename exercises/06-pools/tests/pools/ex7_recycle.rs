use std::sync::atomic::{AtomicI32, AtomicU32, Ordering::SeqCst};

use nix::errno::Errno;
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::{Pid, getpid};

use pools::ex7_recycle::RecyclingPool;
use support::require;

// Per-process counters. A forked worker starts with the parent's values,
// and the test's own process never runs the initializer, so in a worker
// they say what happened in that very process.
static INITS: AtomicU32 = AtomicU32::new(0);
static INIT_PID: AtomicI32 = AtomicI32::new(0);
static TASKS_HERE: AtomicU32 = AtomicU32::new(0);

/// The initializer: counts its runs and notes the process it ran in.
fn init() {
    INITS.fetch_add(1, SeqCst);
    INIT_PID.store(getpid().as_raw(), SeqCst);
}

/// What a worker saw when it ran task `x`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Seen {
    x: u64,
    pid: i32,
    init_pid: i32,
    inits: u32,
    /// This task was the n-th this worker process ran (from 1).
    nth: u32,
}

type Raw = (u64, i32, i32, u32, u32);

/// The job: returns what its worker saw, as a tuple (serde has tuples).
fn seen(x: u64) -> Raw {
    let nth = TASKS_HERE.fetch_add(1, SeqCst) + 1;
    (
        x,
        getpid().as_raw(),
        INIT_PID.load(SeqCst),
        INITS.load(SeqCst),
        nth,
    )
}

fn panics_on_2(x: u64) -> u64 {
    assert!(x != 2, "two is not allowed");
    x
}

fn map_seen(pool: &mut RecyclingPool<u64, Raw>, tasks: std::ops::Range<u64>) -> Vec<Seen> {
    let n = tasks.end - tasks.start;
    let tasks: Vec<u64> = tasks.collect();
    support::step(
        &format!("mapping {n} tasks"),
        "a reply never comes: does each new worker get its pipes like the first ones?",
    );
    let got = pool.map(&tasks).expect("map succeeds when no task fails");
    require!(got.len() == tasks.len(),
        expected: format!("{} results, one per task", tasks.len()),
        got: format!("{} results: {:?}", got.len(), got.iter().map(|r| r.0).collect::<Vec<_>>()),
        look_at: "RecyclingPool::map: a task was lost when its worker was retired. What \
                  happens to the task a feeder has already taken when it replaces its worker?");
    for (r, &t) in got.iter().zip(&tasks) {
        require!(r.0 == t,
            expected: format!("the result of task {t} in place {t}: input order, none lost"),
            got: format!("the result of task {}", r.0),
            look_at: "RecyclingPool::map: a task was lost when its worker was retired, or the \
                      results are out of order");
    }
    got.into_iter()
        .map(|(x, pid, init_pid, inits, nth)| Seen {
            x,
            pid,
            init_pid,
            inits,
            nth,
        })
        .collect()
}

fn check_initialized_once(got: &[Seen]) {
    for s in got {
        require!(s.inits == 1 && s.init_pid == s.pid,
            expected: format!("task {}: the initializer ran exactly once, in its worker \
                               (pid {})", s.x, s.pid),
            got: format!("it ran {} times in that worker; last in pid {} (0: never)",
                         s.inits, s.init_pid),
            look_at: "RecyclingPool::new and the start of each worker: the initializer \
                      belongs in the child, once, before worker_main. Does your worker run \
                      it per task, or does the parent run it?");
    }
}

/// Is `pid` gone for good: reaped, not a zombie, not running?
fn reaped(pid: i32) -> bool {
    matches!(
        waitpid(Pid::from_raw(pid), Some(WaitPidFlag::WNOHANG)),
        Err(Errno::ECHILD)
    )
}

fn distinct_pids(got: &[Seen]) -> Vec<i32> {
    let mut pids: Vec<i32> = got.iter().map(|s| s.pid).collect();
    pids.sort_unstable();
    pids.dedup();
    pids
}

const OFF_BY_ONE: &str = "RecyclingPool::map: a worker must be retired right after its \
     maxtasksperchild-th reply, not one task earlier or later. When does your count reach \
     the limit?";

support::isolated_tests! {
    /// Every task sees an initializer that ran once, in its own worker;
    /// never in the test's process. Without one, nothing runs first.
    fn the_initializer_runs_once_in_each_worker() {
        let mut pool = RecyclingPool::new(2, Some(init), None, seen).expect("a pool of 2 starts");
        let got = map_seen(&mut pool, 0..40);
        check_initialized_once(&got);
        require!(INITS.load(SeqCst) == 0,
            expected: "the initializer never runs in the pool's own process",
            got: format!("it ran {} times here", INITS.load(SeqCst)),
            look_at: "RecyclingPool::new: run the initializer after fork, in the child");
        let mut bare = RecyclingPool::new(2, None, None, seen).expect("a pool of 2 starts");
        let got = map_seen(&mut bare, 0..4);
        require!(got.iter().all(|s| s.inits == 0),
            expected: "no initializer, so no task sees one run",
            got: format!("{got:?}"),
            look_at: "RecyclingPool::new with initializer None");
    }

    /// One worker, a limit of 3, 10 tasks: tasks 0-2, 3-5, 6-8 and 9 each
    /// run on a worker of their own, each fresh and initialized once.
    fn a_worker_retires_after_exactly_maxtasksperchild_tasks() {
        let mut pool = RecyclingPool::new(1, Some(init), Some(3), seen).expect("a pool of 1 starts");
        let got = map_seen(&mut pool, 0..10);
        for s in &got {
            let nth = (s.x % 3 + 1) as u32;
            require!(s.nth == nth,
                expected: format!("task {} is task number {nth} of its worker \
                                   (a limit of 3 on a pool of 1)", s.x),
                got: format!("task number {} of worker {}", s.nth, s.pid),
                look_at: OFF_BY_ONE);
        }
        for (a, b) in got.iter().zip(got.iter().skip(1)) {
            let same = a.x / 3 == b.x / 3;
            require!((a.pid == b.pid) == same,
                expected: format!("tasks {} and {} on {} worker", a.x, b.x,
                                  if same { "the same" } else { "a different" }),
                got: format!("pids {} and {}", a.pid, b.pid),
                look_at: OFF_BY_ONE);
        }
        check_initialized_once(&got);
        require!(pool.pids() == vec![got[9].pid],
            expected: format!("the pool's worker is the one that ran task 9 ({})", got[9].pid),
            got: format!("pids() = {:?}", pool.pids()),
            look_at: "RecyclingPool::pids: the current workers, replacements included");
    }

    /// Workers retire all the time (every 2 tasks on 2 workers); every one
    /// of 25 tasks still comes back, in order.
    fn no_task_is_lost_when_a_worker_retires() {
        let mut pool = RecyclingPool::new(2, Some(init), Some(2), seen).expect("a pool of 2 starts");
        let got = map_seen(&mut pool, 0..25);
        check_initialized_once(&got);
        require!(got.iter().all(|s| s.nth <= 2),
            expected: "no worker runs more than 2 tasks (maxtasksperchild = 2)",
            got: format!("{:?}", got.iter().map(|s| (s.x, s.pid, s.nth)).collect::<Vec<_>>()),
            look_at: OFF_BY_ONE);
    }

    /// A retired worker is reaped when it is replaced, not at drop; after
    /// drop, every worker ever started is reaped.
    fn retired_workers_are_reaped_before_map_returns() {
        let mut pool = RecyclingPool::new(2, None, Some(2), seen).expect("a pool of 2 starts");
        let got = map_seen(&mut pool, 0..12);
        let pids = distinct_pids(&got);
        require!(pids.len() >= 6,
            expected: "at least 6 different workers for 12 tasks with a limit of 2",
            got: format!("{} workers: {pids:?}", pids.len()),
            look_at: OFF_BY_ONE);
        let current = pool.pids();
        let left: Vec<String> = pids.iter().filter(|p| !current.contains(p) && !reaped(**p))
            .map(|&p| support::procs::info(p).map_or(format!("{p}"), |i| i.describe())).collect();
        require!(left.is_empty(),
            expected: format!("every retired worker (all of {pids:?} but the current \
                               {current:?}) reaped by the time map returns"),
            got: format!("not reaped: {left:?}; an exited child nobody waits for is a zombie"),
            look_at: "RecyclingPool::map, where a worker is retired: closing its task pipe \
                      ends it; what takes it out of the process table?");
        support::step("dropping the pool", "drop waits for a worker that never exits: \
             does every worker see end-of-file on its task pipe?");
        drop(pool);
        let left: Vec<i32> = current.iter().copied().filter(|&p| !reaped(p)).collect();
        require!(left.is_empty(),
            expected: "every worker reaped after drop (no zombie)",
            got: format!("not reaped: {left:?}"),
            look_at: "Drop for RecyclingPool");
    }

    /// The count belongs to the worker, not to one call of map, as in
    /// Python: 2 tasks, then 2 more, with a limit of 3 on one worker.
    fn the_count_carries_over_from_one_map_to_the_next() {
        let mut pool = RecyclingPool::new(1, Some(init), Some(3), seen).expect("a pool of 1 starts");
        let first = map_seen(&mut pool, 0..2);
        let second = map_seen(&mut pool, 2..4);
        let ok = second[0].pid == first[0].pid && second[0].nth == 3
            && second[1].pid != first[0].pid && second[1].nth == 1;
        require!(ok,
            expected: "task 2 as the 3rd task of the first worker, task 3 on a fresh one",
            got: format!("first map {first:?}, second map {second:?}"),
            look_at: "RecyclingPool::map: keep each worker's count in the pool, across calls");
        check_initialized_once(&second);
    }

    /// Without a limit the workers stay; a limit of 0 is refused.
    fn without_a_limit_the_workers_stay() {
        require!(RecyclingPool::new(1, None, Some(0), seen).is_err(),
            expected: "maxtasksperchild = Some(0) is an error, as in Python",
            got: "a pool",
            look_at: "RecyclingPool::new: check the limit first");
        let mut pool = RecyclingPool::new(2, Some(init), None, seen).expect("a pool of 2 starts");
        let pids = pool.pids();
        require!(pids.len() == 2 && pids[0] != pids[1],
            expected: "2 workers with their own pids",
            got: format!("pids() = {pids:?}"),
            look_at: "RecyclingPool::new: fork once per worker");
        let mut got = map_seen(&mut pool, 0..30);
        got.extend(map_seen(&mut pool, 30..60));
        require!(pool.pids() == pids && got.iter().all(|s| pids.contains(&s.pid)),
            expected: format!("every task on the first workers {pids:?}"),
            got: format!("pids() = {:?}, tasks ran on {:?}", pool.pids(), distinct_pids(&got)),
            look_at: "RecyclingPool::map: with maxtasksperchild None, no worker retires");
    }

    /// A panicking task makes map an error; nothing hangs, drop reaps.
    fn a_failing_task_is_an_error_not_a_hang() {
        let mut pool = RecyclingPool::new(2, None, None, panics_on_2).expect("a pool of 2 starts");
        let pids = pool.pids();
        support::step("mapping 6 tasks; task 2 panics",
            "map waits for a reply: a worker's reply Err(message) is the task's panic");
        let got = pool.map(&[0, 1, 2, 3, 4, 5]);
        require!(got.is_err(),
            expected: "Err: task 2 panicked",
            got: format!("{got:?}"),
            look_at: "RecyclingPool::map: decode the reply as a given::Reply<R>");
        drop(pool);
        require!(pids.iter().all(|&p| reaped(p)),
            expected: "every worker reaped after drop",
            got: format!("workers {pids:?}, reaped: {:?}",
                         pids.iter().map(|&p| reaped(p)).collect::<Vec<_>>()),
            look_at: "Drop for RecyclingPool");
    }
}
