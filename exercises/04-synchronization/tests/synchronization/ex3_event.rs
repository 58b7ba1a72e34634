use synchronization::ex3_event::Event;

#[cfg(not(feature = "model"))]
use std::sync::{Barrier, mpsc};

#[cfg(not(feature = "model"))]
support::isolated_tests! {
    fn set_clear_and_is_set() {
        let e = Event::new();
        support::require!(!e.is_set(),
            expected: "a new Event not to be set", got: "is_set() == true",
            look_at: "Event::new");
        e.set();
        support::require!(e.is_set(),
            expected: "is_set() after set()", got: "false", look_at: "Event::set");
        e.clear();
        support::require!(!e.is_set(),
            expected: "not is_set() after clear()", got: "true", look_at: "Event::clear");
    }

    fn wait_returns_at_once_when_already_set() {
        let e = Event::new();
        e.set();
        support::step("calling wait() on an Event that is already set",
            "wait() blocks even though the flag is true: check the flag before waiting (a `while !flag` loop does)");
        e.wait();
    }

    /// Four waiters, then `set`: every one of them must wake up.
    fn set_wakes_every_waiter() {
        let e = Event::new();
        let ready = Barrier::new(5);
        let (tx, rx) = mpsc::channel();
        std::thread::scope(|s| {
            for i in 0..4 {
                let (e, ready, tx) = (&e, &ready, tx.clone());
                s.spawn(move || {
                    ready.wait();
                    e.wait();
                    tx.send(i).unwrap();
                });
            }
            ready.wait();
            support::require!(rx.try_recv().is_err(),
                expected: "no waiter to get past wait() before set()",
                got: "a waiter returned from wait() although the event was never set",
                look_at: "Event::wait: wait while the flag is false");
            e.set();
            support::step("waiting for 4 waiters to wake up after set()",
                "set() woke only some of the waiters: they all wait for the same flag, so use notify_all, not notify_one");
        });
        support::require!(rx.try_iter().count() == 4,
            expected: "all 4 waiters to wake", got: "fewer", look_at: "Event::set");
    }
}

#[cfg(feature = "model")]
mod model {
    use super::*;
    use crate::model_check::keep;
    use synchronization::given::{sync::Arc, thread};

    support::isolated_tests! {
        fn set_wakes_every_waiter_in_every_interleaving() {
            crate::model_check::explore(
                "two threads wait() and one set() wakes both",
                "Event::set: two threads wait for the same flag; notify_one wakes only one of them, \
                 and the other sleeps forever. Use notify_all",
                || {
                    let e = keep(Arc::new(Event::new()));
                    let waiters: Vec<_> = (0..2)
                        .map(|_| {
                            let e = Arc::clone(&*e);
                            thread::spawn(move || e.wait())
                        })
                        .collect();
                    e.set();
                    for w in waiters {
                        w.join().unwrap();
                    }
                },
            );
        }

        fn wait_returns_only_after_set_in_every_interleaving() {
            crate::model_check::explore(
                "wait() returns only once the flag is set",
                "Event::wait: loop `while !*flag { flag = cv.wait(flag).unwrap() }`; a wake-up alone \
                 proves nothing",
                || {
                    let e = keep(Arc::new(Event::new()));
                    let e2 = Arc::clone(&*e);
                    let waiter = thread::spawn(move || {
                        e2.wait();
                        assert!(e2.is_set(), "wait() returned but the event is not set");
                    });
                    e.set();
                    waiter.join().unwrap();
                },
            );
        }
    }
}
