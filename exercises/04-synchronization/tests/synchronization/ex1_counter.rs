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
        support::step("4 threads incrementing one Counter",
            "increment or get never returns: does it wait for something, or loop until a \
             value it expects? Look at Counter (src/ex1_counter.rs)");
        hammer(1_000_000, || c.increment());
        let got = c.get();
        support::require!(got == THREADS * 1_000_000,
            expected: format!("{} after {THREADS} threads x 1,000,000 increments", THREADS * 1_000_000),
            got: format!("{got}: {} increments were lost", THREADS * 1_000_000 - got.min(THREADS * 1_000_000)),
            look_at: "Counter::increment (src/ex1_counter.rs): between your read of the count \
                      and your write of count + 1, can another thread's increment land, and be \
                      overwritten? (Python's Value(lock=False) loses updates the same way.) \
                      Is there a way to read, add and write as one step?");
    }

    fn the_locked_counter_loses_nothing() within 20 s {
        let c = LockedCounter::new();
        support::step("4 threads incrementing one LockedCounter",
            "increment or get never returns. Possible causes: the lock is taken a second time \
             while the first guard is still alive (a std Mutex is not re-entrant: the second \
             lock() waits for the first forever); or a guard is kept somewhere and never \
             dropped. Look at LockedCounter (src/ex1_counter.rs)");
        hammer(100_000, || c.increment());
        let got = c.get();
        support::require!(got == THREADS * 100_000,
            expected: format!("{}", THREADS * 100_000),
            got: got,
            look_at: "LockedCounter::increment (src/ex1_counter.rs): are the read and the \
                      write made under one guard, or is the lock let go in between?");
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
                "Counter::increment (src/ex1_counter.rs): between your load and your store, \
                 can the other thread load the same old value? Then both store old + 1. Is \
                 there a way to read, add and write as one step?",
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
                "LockedCounter::increment (src/ex1_counter.rs): are the read and the write made \
                 under one guard, or is the lock let go in between?",
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
