//! Start several children, then join them all: the total is about the
//! longest child's time, not the sum. Then the same children one by one.
//! Run: cargo run -p processes-exercise --example join_all_timing

use std::thread::sleep;
use std::time::{Duration, Instant};

use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, Pid, fork};

/// Starts a child that sleeps `ms` milliseconds and exits.
fn start_sleeper(ms: u64) -> Pid {
    // SAFETY: one thread only; the child sleeps (a system call) and `_exit`s.
    match unsafe { fork() }.expect("fork") {
        ForkResult::Child => {
            sleep(Duration::from_millis(ms));
            // SAFETY: ends the child at once.
            unsafe { libc::_exit(0) }
        }
        ForkResult::Parent { child } => child,
    }
}

fn main() {
    let times = [100, 200, 300];

    // ANCHOR: together
    let t = Instant::now();
    let pids: Vec<Pid> = times.iter().map(|&ms| start_sleeper(ms)).collect(); // all start()
    for pid in pids {
        waitpid(pid, None).expect("waitpid"); // then all join()
    }
    let together = t.elapsed();
    // ANCHOR_END: together

    // ANCHOR: one_by_one
    let t = Instant::now();
    for &ms in &times {
        let pid = start_sleeper(ms); // start()...
        waitpid(pid, None).expect("waitpid"); // ...and join() at once
    }
    let one_by_one = t.elapsed();
    // ANCHOR_END: one_by_one

    println!("children sleeping {times:?} ms");
    println!(
        "start all, then join all: {:>4} ms (about the longest)",
        together.as_millis()
    );
    println!(
        "start and join each:      {:>4} ms (about the sum)",
        one_by_one.as_millis()
    );
}
