use synchronization::ex3_event::Event;

#[cfg(not(feature = "model"))]
use crate::waiter::{self, Seen};
#[cfg(not(feature = "model"))]
use std::sync::mpsc;

/// What a test says when `set` leaves a blocked waiter asleep (both builds).
const SET_LEAVES_ONE_ASLEEP: &str = "set() returned, but not every blocked waiter woke up. \
    Possible causes, most likely first: set() wakes only one of the waiting threads, though \
    all of them wait for the same flag (how many threads does each kind of notify wake?); \
    set() changes the flag without waking anyone; or a woken waiter goes back to sleep \
    because it does not see the flag (is the flag written under the Mutex the waiters \
    wait with?). Look at Event::set and Event::wait (src/ex3_event.rs)";

/// Starts a thread that waits on `e`, and returns once the kernel shows it
/// blocked. Fails if wait() returned although the event was not set.
#[cfg(not(feature = "model"))]
fn blocked_waiter<'s, 'e: 's>(
    s: &'s std::thread::Scope<'s, 'e>,
    e: &'e Event,
    done: mpsc::Sender<usize>,
    i: usize,
) {
    let (tid_tx, tid_rx) = mpsc::channel();
    s.spawn(move || {
        tid_tx.send(waiter::my_tid()).unwrap();
        e.wait();
        done.send(i).unwrap();
    });
    let tid = tid_rx.recv().unwrap();
    let seen = waiter::until_blocked(
        tid,
        "waiting for a thread to block in wait() on an Event that is not set",
        "the waiting thread never went to sleep: it keeps running. Possible causes: wait() \
         looks at the flag again and again without waiting on the Condvar (a spin), or it \
         loops forever for another reason. Look at Event::wait (src/ex3_event.rs): what does \
         the thread do while the flag is false?",
    );
    support::require!(seen == Seen::Blocked,
        expected: "wait() on an Event that is not set to block until set() is called",
        got: "wait() returned although the event was not set",
        look_at: "Event::wait (src/ex3_event.rs): when does it return? What does it look at first?");
}

#[cfg(not(feature = "model"))]
support::isolated_tests! {
    fn set_clear_and_is_set() {
        let e = Event::new();
        support::require!(!e.is_set(),
            expected: "a new Event not to be set", got: "is_set() == true",
            look_at: "Event::new (src/ex3_event.rs): what does the flag start as?");
        e.set();
        support::require!(e.is_set(),
            expected: "is_set() after set()", got: "false",
            look_at: "Event::set and Event::is_set (src/ex3_event.rs): is the flag written, \
                      and read back, in the same Mutex?");
        e.clear();
        support::require!(!e.is_set(),
            expected: "not is_set() after clear()", got: "true",
            look_at: "Event::clear (src/ex3_event.rs)");
    }

    fn wait_returns_at_once_when_already_set() {
        let e = Event::new();
        e.set();
        support::step("calling wait() on an Event that is already set",
            "wait() blocks although the flag is already true. Possible causes: wait() goes to \
             sleep on the Condvar before looking at the flag (a notify sent while nobody was \
             waiting is not remembered); or set() did not store true. Look at Event::wait \
             (src/ex3_event.rs): what does it look at before it waits?");
        e.wait();
    }

    /// States between events: waiting does not use the flag up, and after
    /// clear() a new waiter blocks again until the next set().
    fn the_flag_stays_set_until_cleared() {
        let e = Event::new();
        e.set();
        support::step("calling wait() twice on an Event that is set",
            "the second wait() blocks although nobody cleared the flag. Possible cause: the \
             first wait() changed the flag. Look at Event::wait (src/ex3_event.rs)");
        e.wait();
        e.wait();
        support::require!(e.is_set(),
            expected: "is_set() still true after two wait() calls: waiting leaves the flag \
                       set for every other waiter (like Python's Event)",
            got: "false",
            look_at: "Event::wait (src/ex3_event.rs): does it write to the flag?");
        e.clear();
        let (done_tx, done_rx) = mpsc::channel();
        std::thread::scope(|s| {
            blocked_waiter(s, &e, done_tx, 0);
            e.set();
            support::step("waiting for a thread blocked in wait() after clear() to wake up on set()",
                SET_LEAVES_ONE_ASLEEP);
        });
        support::require!(done_rx.try_iter().count() == 1,
            expected: "the waiter to return from wait()", got: "it did not",
            look_at: "Event::wait (src/ex3_event.rs)");
    }

    /// Three threads block in wait() (the kernel shows them asleep), then
    /// one set() must wake every one of them.
    fn set_wakes_every_waiter() {
        let e = Event::new();
        let (done_tx, done_rx) = mpsc::channel();
        std::thread::scope(|s| {
            for i in 0..3 {
                blocked_waiter(s, &e, done_tx.clone(), i);
            }
            e.set();
            support::step("waiting for 3 threads blocked in wait() to wake up after one set()",
                SET_LEAVES_ONE_ASLEEP);
        });
        support::require!(done_rx.try_iter().count() == 3,
            expected: "all 3 waiters to return from wait()", got: "fewer",
            look_at: "Event::set (src/ex3_event.rs)");
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
                SET_LEAVES_ONE_ASLEEP,
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
                "Event::wait (src/ex3_event.rs): what does a thread check after it wakes up? A \
                 wake-up alone does not prove the flag is set",
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
