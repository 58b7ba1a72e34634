//! Exercise 3: start several children, then join them all (`src/ex3_join_all.rs`).

use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::atomic::{AtomicI32, Ordering};
use std::thread;

use nix::fcntl::OFlag;
use processes::ex3_join_all::run_all;
use support::{procs, require};

fn double(x: u64) -> u64 {
    2 * x
}

/// The barrier's two pipes, as raw fds, for the children to use.
static ARRIVE_W: AtomicI32 = AtomicI32::new(-1);
static GO_R: AtomicI32 = AtomicI32::new(-1);

/// Run in each child: say "I'm here", then wait for "go", which the test
/// sends only once *every* child has said it is here. Only raw reads and
/// writes: safe in a forked child.
fn meet_then_double(x: u64) -> u64 {
    let arrive = ARRIVE_W.load(Ordering::Relaxed);
    let go = GO_R.load(Ordering::Relaxed);
    let mut byte = [0u8; 1];
    // SAFETY: plain write(2)/read(2) on fds that stay open for the whole
    // test (the test never closes them), with a 1-byte buffer we own.
    unsafe {
        libc::write(arrive, b"!".as_ptr().cast(), 1);
        libc::read(go, byte.as_mut_ptr().cast(), 1);
    }
    2 * x
}

/// The child for arg 2 ends before it can report (it crashes, say).
fn dies_on_2(x: u64) -> u64 {
    if x == 2 {
        // SAFETY: `_exit` ends the (forked) child at once; only ever called
        // as a target, in a child.
        unsafe { libc::_exit(3) }
    }
    2 * x
}

const STUCK: &str = "a report never reaches end-of-file. Possible causes, most likely first: \
     the parent still holds a copy of a child's write end (which processes hold one after \
     each fork?); a child never sends its report or never reaches _exit; run_all waits for a \
     child before reading its report";

fn children_left() -> Vec<String> {
    procs::children(procs::own_pid())
        .into_iter()
        .filter_map(procs::info)
        .map(|p| p.describe())
        .collect()
}

fn pipe() -> (OwnedFd, OwnedFd) {
    nix::unistd::pipe2(OFlag::O_CLOEXEC).expect("pipe2")
}

support::isolated_tests! {
    fn every_child_answers_in_the_order_of_the_args() {
        support::step("waiting for run_all(double, [1, 2, 3, 4])", STUCK);
        let reports = run_all(double, &[1, 2, 3, 4]).expect("run_all");
        let values: Vec<u64> = reports.iter().map(|r| r.value).collect();
        require!(values == [2, 4, 6, 8],
            expected: "values [2, 4, 6, 8], one per arg, in order",
            got: format!("{values:?}"),
            look_at: "run_all in src/ex3_join_all.rs: how many children does it start, and in \
                      which order are their reports collected?");
        let me = procs::own_pid();
        let mut pids: Vec<i32> = reports.iter().map(|r| r.pid).collect();
        pids.sort_unstable();
        pids.dedup();
        require!(pids.len() == 4 && !pids.contains(&me) && reports.iter().all(|r| r.ppid == me),
            expected: format!("four different children, each a child of this test (pid {me})"),
            got: format!("{reports:?}"),
            look_at: "run_all in src/ex3_join_all.rs: which process forks each child, and how often?");
    }

    fn no_child_is_left_a_zombie() {
        support::step("waiting for run_all(double, [5, 6, 7])", STUCK);
        run_all(double, &[5, 6, 7]).expect("run_all");
        // A child that exited but was not waited for is still our child
        // (a zombie) until someone calls waitpid on it.
        let left = children_left();
        require!(left.is_empty(),
            expected: "run_all to wait for (reap) every child before it returns",
            got: format!("children still in the process table after run_all returned \
                          (a zombie is a child that exited but was never waited for): {left:?}"),
            look_at: "run_all in src/ex3_join_all.rs: after a child's report has been read, \
                      who waits for the child itself?");
    }

    /// The children meet at a barrier that opens only when all of them are
    /// running at once: a helper thread waits for every child to arrive,
    /// then lets them all go. Started one after another (start, join,
    /// start, join) the first child waits forever for the others.
    fn the_children_run_at_the_same_time() {
        const N: usize = 3;
        let (arrive_r, arrive_w) = pipe();
        let (go_r, go_w) = pipe();
        ARRIVE_W.store(arrive_w.as_raw_fd(), Ordering::Relaxed);
        GO_R.store(go_r.as_raw_fd(), Ordering::Relaxed);
        let gate = thread::spawn(move || {
            let mut arrived = [0u8; N];
            let mut got = 0;
            while got < N {
                match nix::unistd::read(&arrive_r, &mut arrived[got..]) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => got += n,
                }
            }
            let _ = nix::unistd::write(&go_w, &[b'g'; N]);
        });
        support::step(
            &format!("waiting for run_all with {N} children that only finish once all {N} run at once"),
            "the children never all ran at the same time. Possible causes, most likely first: \
             run_all waits for each child (or reads its report) before it starts the next one, \
             like Python's start() and join() in the same loop; or a report never reaches \
             end-of-file (a write end still open in the parent)",
        );
        let reports = run_all(meet_then_double, &[10, 20, 30]).expect("run_all");
        let values: Vec<u64> = reports.iter().map(|r| r.value).collect();
        require!(values == [20, 40, 60],
            expected: "values [20, 40, 60]",
            got: format!("{values:?}"),
            look_at: "run_all in src/ex3_join_all.rs: in which order are the reports collected?");
        let _ = gate.join();
        drop((arrive_w, go_r));
    }

    /// One child ends without reporting: run_all fails, and still waits
    /// for every child it started, the ones after the failure included.
    fn a_child_that_dies_fails_the_run_and_every_child_is_reaped() {
        support::step("waiting for run_all over [1, 2, 3, 4] where the child for 2 ends without reporting",
            STUCK);
        let got = run_all(dies_on_2, &[1, 2, 3, 4]);
        require!(got.is_err(),
            expected: "an error: the child for 2 ended without sending a report",
            got: format!("{got:?}"),
            look_at: "run_all in src/ex3_join_all.rs: what happens to the error that a missing \
                      report gives?");
        let left = children_left();
        require!(left.is_empty(),
            expected: "every child waited for, even after one of them failed",
            got: format!("still in the process table after run_all returned its error: {left:?}"),
            look_at: "run_all in src/ex3_join_all.rs: when one report is bad, does the loop still \
                      go on to wait for the children after it? (A `?` inside the loop returns at once.)");
    }
}
