#[cfg(not(feature = "model"))]
use std::sync::Barrier;
#[cfg(not(feature = "model"))]
use std::thread;

use synchronization::ex1_counter::{Counter, LockedCounter};

#[cfg(not(feature = "model"))]
const THREADS: u64 = 4;

/// Runs `THREADS` threads that start together (a Barrier) and each call
/// `increment` `per_thread` times.
#[cfg(not(feature = "model"))]
fn hammer(per_thread: u64, increment: impl Fn() + Sync) {
    let start = Barrier::new(THREADS as usize);
    thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                start.wait();
                for _ in 0..per_thread {
                    increment();
                }
            });
        }
    });
}

#[cfg(not(feature = "model"))]
support::isolated_tests! {
    /// Four threads, a million increments each: a load-then-store counter
    /// loses a good share of them on any machine with two cores.
    fn no_increment_is_lost() within 20 s {
        let c = Counter::new();
        support::step("4 threads incrementing one Counter", "increment never returns");
        hammer(1_000_000, || c.increment());
        let got = c.get();
        support::require!(got == THREADS * 1_000_000,
            expected: format!("{} after {THREADS} threads x 1,000,000 increments", THREADS * 1_000_000),
            got: format!("{got}: {} increments were lost", THREADS * 1_000_000 - got.min(THREADS * 1_000_000)),
            look_at: "Counter::increment: a load followed by a store lets another thread's increment \
                      land in between and be overwritten (Python's Value(lock=False) does the same). \
                      Use one atomic read-modify-write: fetch_add");
    }

    fn the_locked_counter_loses_nothing() within 20 s {
        let c = LockedCounter::new();
        support::step("4 threads incrementing one LockedCounter",
            "increment never returns: is the lock taken twice in one statement?");
        hammer(100_000, || c.increment());
        let got = c.get();
        support::require!(got == THREADS * 100_000,
            expected: format!("{}", THREADS * 100_000),
            got: got,
            look_at: "LockedCounter::increment: read and write under ONE guard (`*self.n.lock().unwrap() += 1`)");
    }
}

#[cfg(feature = "model")]
mod model {
    use super::*;
    use crate::model_check::keep;
    use synchronization::given::{sync::Arc as MArc, thread as mthread};

    support::isolated_tests! {
        fn two_increments_make_two_in_every_interleaving() {
            crate::model_check::explore(
                "two threads increment a Counter once each, and it reads 2",
                "Counter::increment: between your load and your store the other thread can load \
                 the same old value; both store old+1. Use fetch_add.",
                || {
                    let c = keep(MArc::new(Counter::new()));
                    let c2 = MArc::clone(&*c);
                    let t = mthread::spawn(move || c2.increment());
                    c.increment();
                    t.join().unwrap();
                    assert_eq!(c.get(), 2, "an increment was lost");
                },
            );
        }

        fn two_locked_increments_make_two_in_every_interleaving() {
            crate::model_check::explore(
                "two threads increment a LockedCounter once each, and it reads 2",
                "LockedCounter::increment: take the lock once and do the read and the write under it",
                || {
                    let c = keep(MArc::new(LockedCounter::new()));
                    let c2 = MArc::clone(&*c);
                    let t = mthread::spawn(move || c2.increment());
                    c.increment();
                    t.join().unwrap();
                    assert_eq!(c.get(), 2, "an increment was lost");
                },
            );
        }
    }
}
