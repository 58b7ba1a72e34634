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

fn pipe() -> (OwnedFd, OwnedFd) {
    nix::unistd::pipe2(OFlag::O_CLOEXEC).expect("pipe2")
}

support::isolated_tests! {
    fn every_child_answers_in_the_order_of_the_args() {
        support::step("waiting for run_all(double, [1, 2, 3, 4])",
            "a report never reaches end-of-file: does the parent drop each writer after fork? \
             Does every child send its report and _exit?");
        let reports = run_all(double, &[1, 2, 3, 4]).expect("run_all");
        let values: Vec<u64> = reports.iter().map(|r| r.value).collect();
        require!(values == [2, 4, 6, 8],
            expected: "values [2, 4, 6, 8], one per arg, in order",
            got: format!("{values:?}"),
            look_at: "run_all: one child per arg; collect the reports in the order you started them");
        let me = procs::own_pid();
        let mut pids: Vec<i32> = reports.iter().map(|r| r.pid).collect();
        pids.sort_unstable();
        pids.dedup();
        require!(pids.len() == 4 && !pids.contains(&me) && reports.iter().all(|r| r.ppid == me),
            expected: format!("four different children, each a child of this test (pid {me})"),
            got: format!("{reports:?}"),
            look_at: "run_all: fork in the calling process, once per arg");
    }

    fn no_child_is_left_a_zombie() {
        support::step("waiting for run_all(double, [5, 6, 7])",
            "a report never reaches end-of-file: does the parent drop each writer after fork?");
        run_all(double, &[5, 6, 7]).expect("run_all");
        // A child that exited but was not waited for is still our child
        // (a zombie) until someone calls waitpid on it.
        let me = procs::own_pid();
        let left: Vec<String> = procs::children(me)
            .into_iter()
            .filter_map(procs::info)
            .map(|p| p.describe())
            .collect();
        require!(left.is_empty(),
            expected: "run_all to wait for (reap) every child before it returns",
            got: format!("children still in the process table after run_all returned \
                          (a zombie is a child that exited but was never waited for): {left:?}"),
            look_at: "run_all: after reading a child's report, waitpid(pid, None) reaps it");
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
            "run_all waits for each child before starting the next (Python: start() then join() \
             in the same loop); start every child first, then join them all",
        );
        let reports = run_all(meet_then_double, &[10, 20, 30]).expect("run_all");
        let values: Vec<u64> = reports.iter().map(|r| r.value).collect();
        require!(values == [20, 40, 60],
            expected: "values [20, 40, 60]",
            got: format!("{values:?}"),
            look_at: "run_all: the order of the reports");
        let _ = gate.join();
        drop((arrive_w, go_r));
    }
}
