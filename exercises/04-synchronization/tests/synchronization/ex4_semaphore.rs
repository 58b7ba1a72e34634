use synchronization::ex4_semaphore::{BoundedSemaphore, ReleasedTooOften, Semaphore};

#[cfg(not(feature = "model"))]
use crate::waiter::{self, Seen};
#[cfg(not(feature = "model"))]
use std::sync::atomic::{AtomicUsize, Ordering};
#[cfg(not(feature = "model"))]
use std::sync::{Barrier, mpsc};

/// What a test says when `release` leaves a blocked `acquire` asleep.
const RELEASE_LEAVES_WAITER_ASLEEP: &str = "release() returned, but the thread blocked in \
    acquire() never got the permit. Possible causes, most likely first: release() adds the \
    permit without waking a waiting thread; it wakes the waiter before the permit is there, \
    so the waiter looks, sees 0 and sleeps again; or the permit is added where the waiter \
    does not look (another Mutex, a copy of the count). Look at release in \
    src/ex4_semaphore.rs: after it, what tells a sleeping acquire() to look again?";

/// Starts a thread that calls `acquire`, and returns once the kernel shows
/// it blocked. Fails if acquire() returned with no permit free.
#[cfg(not(feature = "model"))]
fn blocked_acquirer<'s, 'e: 's>(
    s: &'s std::thread::Scope<'s, 'e>,
    acquire: impl FnOnce() + Send + 'e,
    done: mpsc::Sender<()>,
    what: &str,
) {
    let (tid_tx, tid_rx) = mpsc::channel();
    s.spawn(move || {
        tid_tx.send(waiter::my_tid()).unwrap();
        acquire();
        done.send(()).unwrap();
    });
    let tid = tid_rx.recv().unwrap();
    let seen = waiter::until_blocked(
        tid,
        &format!("waiting for a thread to block in {what}::acquire() with no permit free"),
        &format!(
            "the thread in acquire() never went to sleep: it keeps running. Possible \
                  causes: acquire() looks at the count again and again without waiting on the \
                  Condvar (a spin), or it loops forever for another reason. Look at \
                  {what}::acquire (src/ex4_semaphore.rs): what does the thread do while the \
                  count is 0?"
        ),
    );
    support::require!(seen == Seen::Blocked,
        expected: format!("{what}::acquire() with no permit free to wait"),
        got: "it returned at once",
        look_at: format!("{what}::acquire (src/ex4_semaphore.rs): when does it return?"));
}

#[cfg(not(feature = "model"))]
support::isolated_tests! {
    fn permits_are_counted() {
        let s = Semaphore::new(2);
        support::require!(s.available() == 2,
            expected: "2 permits in Semaphore::new(2)", got: s.available(),
            look_at: "Semaphore::new and available (src/ex4_semaphore.rs)");
        support::step("acquiring the first of 2 permits",
            "acquire() waits although 2 permits are free: when does it decide to wait? \
             Look at Semaphore::acquire (src/ex4_semaphore.rs)");
        s.acquire();
        support::require!(s.try_acquire(),
            expected: "try_acquire() to take the second permit", got: "false",
            look_at: "Semaphore::try_acquire (src/ex4_semaphore.rs): when does it say no?");
        support::require!(!s.try_acquire(),
            expected: "try_acquire() to fail with no permit left", got: "true",
            look_at: "Semaphore::try_acquire (src/ex4_semaphore.rs): what does it do when \
                      the count is 0?");
        s.release();
        support::require!(s.available() == 1,
            expected: "1 permit after one release", got: s.available(),
            look_at: "Semaphore::release (src/ex4_semaphore.rs)");
    }

    /// Two permits: two threads meet at a Barrier(2) while both hold one.
    fn two_permits_let_two_threads_in_at_once() {
        let s = Semaphore::new(2);
        let meet = Barrier::new(2);
        support::step("two threads holding a permit each, meeting at a Barrier(2)",
            "the two threads never held a permit at the same time. Possible causes: the second \
             acquire() waits although a second permit is free (when does acquire decide to \
             wait?); or Semaphore::new(2) did not start with 2 permits. Look at \
             src/ex4_semaphore.rs");
        std::thread::scope(|sc| {
            for _ in 0..2 {
                sc.spawn(|| {
                    s.acquire();
                    meet.wait();
                    s.release();
                });
            }
        });
    }

    /// A thread blocks in acquire() (the kernel shows it asleep); then
    /// release() must let it go on.
    fn release_wakes_a_blocked_acquire() {
        let s = Semaphore::new(0);
        let (tx, rx) = mpsc::channel();
        std::thread::scope(|sc| {
            blocked_acquirer(sc, || s.acquire(), tx, "Semaphore");
            s.release();
            support::step("waiting for a thread blocked in acquire() to return after release()",
                RELEASE_LEAVES_WAITER_ASLEEP);
        });
        support::require!(rx.try_iter().count() == 1 && s.available() == 0,
            expected: "the waiter to take the released permit, leaving 0",
            got: format!("{} permit(s) left", s.available()),
            look_at: "Semaphore::acquire (src/ex4_semaphore.rs): does it take the permit it waited for?");
    }

    /// Four threads share two permits, thousands of times: never more than
    /// two inside at once, and no permit lost or invented.
    fn never_more_holders_than_permits() within 20 s {
        let s = Semaphore::new(2);
        let inside = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        support::step("4 threads x 5000 acquire/release on 2 permits",
            "a thread stays blocked in acquire() though the others release their permits. \
             Possible causes: release() adds a permit without waking a waiter, or wakes it \
             before the permit is added; or a permit gets lost (two updates of the count \
             overlap). Look at Semaphore::release and acquire (src/ex4_semaphore.rs)");
        std::thread::scope(|sc| {
            for _ in 0..4 {
                sc.spawn(|| {
                    for _ in 0..5000 {
                        s.acquire();
                        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        inside.fetch_sub(1, Ordering::SeqCst);
                        s.release();
                    }
                });
            }
        });
        let most = most.load(Ordering::SeqCst);
        support::require!(most <= 2 && s.available() == 2,
            expected: "at most 2 holders at once, and 2 permits free at the end",
            got: format!("{most} holders at once, {} permits at the end", s.available()),
            look_at: "Semaphore::acquire (src/ex4_semaphore.rs): when a waiter wakes up, is the \
                      permit it was woken for still there? Another thread may have taken it \
                      in between");
    }

    fn bounded_semaphore_refuses_an_extra_release() {
        let b = BoundedSemaphore::new(1);
        support::require!(b.release() == Err(ReleasedTooOften),
            expected: "Err(ReleasedTooOften) when releasing a BoundedSemaphore that has all \
                       its permits (Python raises ValueError)",
            got: "Ok", look_at: "BoundedSemaphore::release (src/ex4_semaphore.rs): what does it \
                                 compare the count with?");
        support::require!(b.available() == 1,
            expected: "still 1 permit after a refused release",
            got: format!("{} permits", b.available()),
            look_at: "BoundedSemaphore::release (src/ex4_semaphore.rs): a refused release \
                      must leave the count as it was; does it change it before deciding?");
        support::step("acquiring the only permit",
            "acquire() waits although the permit is free: when does it decide to wait? Look at \
             BoundedSemaphore::acquire (src/ex4_semaphore.rs)");
        b.acquire();
        support::require!(b.available() == 0,
            expected: "0 permits after acquire", got: b.available(),
            look_at: "BoundedSemaphore::acquire (src/ex4_semaphore.rs)");
        support::require!(b.release() == Ok(()) && b.available() == 1,
            expected: "Ok(()) and 1 permit after giving it back", got: format!("{} permits", b.available()),
            look_at: "BoundedSemaphore::release (src/ex4_semaphore.rs)");
        support::require!(b.release() == Err(ReleasedTooOften) && b.available() == 1,
            expected: "Err(ReleasedTooOften) for the second release, and still 1 permit",
            got: format!("{} permits", b.available()),
            look_at: "BoundedSemaphore::release (src/ex4_semaphore.rs)");
    }

    /// A thread blocks in BoundedSemaphore::acquire(); release() must wake
    /// it, and the permit goes to it.
    fn bounded_release_wakes_a_blocked_acquire() {
        let b = BoundedSemaphore::new(1);
        b.acquire();
        let (tx, rx) = mpsc::channel();
        std::thread::scope(|sc| {
            blocked_acquirer(sc, || b.acquire(), tx, "BoundedSemaphore");
            support::require!(b.release() == Ok(()),
                expected: "Ok(()) when giving back the permit that was taken",
                got: "Err(ReleasedTooOften)",
                look_at: "BoundedSemaphore::release (src/ex4_semaphore.rs): what does it compare \
                          the count with?");
            support::step("waiting for a thread blocked in BoundedSemaphore::acquire() to \
                           return after release()", RELEASE_LEAVES_WAITER_ASLEEP);
        });
        support::require!(rx.try_iter().count() == 1 && b.available() == 0,
            expected: "the waiter to take the released permit, leaving 0",
            got: format!("{} permit(s) left", b.available()),
            look_at: "BoundedSemaphore::acquire (src/ex4_semaphore.rs): does it take the \
                      permit it waited for?");
    }
}

#[cfg(feature = "model")]
mod model {
    use super::*;
    use crate::model_check::keep;
    use synchronization::given::sync::{Arc, AtomicUsize, Ordering};
    use synchronization::given::thread;

    support::isolated_tests! {
        /// One permit, three threads: the only interleaving that breaks an
        /// `if` around `wait` is "A releases and notifies B, but C grabs the
        /// permit before B gets the lock back". loom tries it on purpose.
        fn one_permit_means_one_holder_in_every_interleaving() within 30 s {
            crate::model_check::explore(
                "three threads share one permit, and at most one holds it at a time",
                "Semaphore::acquire (src/ex4_semaphore.rs): is a woken thread sure to find a \
                 permit? Between the release() that woke it and the moment it has the lock back, \
                 another thread can take that permit. Does your acquire look at the count again \
                 after every wake-up, or only once?",
                || {
                    let s = keep(Arc::new(Semaphore::new(1)));
                    let inside = keep(Arc::new(AtomicUsize::new(0)));
                    let critical = keep({
                        let (s, inside) = (Arc::clone(&*s), Arc::clone(&*inside));
                        move || {
                            s.acquire();
                            let others = inside.fetch_add(1, Ordering::SeqCst);
                            assert_eq!(others, 0, "two threads hold the only permit");
                            inside.fetch_sub(1, Ordering::SeqCst);
                            s.release();
                        }
                    });
                    let a = thread::spawn((*critical).clone());
                    let b = thread::spawn((*critical).clone());
                    (*critical)();
                    a.join().unwrap();
                    b.join().unwrap();
                },
            );
        }

        fn try_acquire_hands_the_last_permit_to_one_thread_in_every_interleaving() {
            crate::model_check::explore(
                "two threads try_acquire() one permit, and exactly one gets it",
                "Semaphore::try_acquire (src/ex4_semaphore.rs): can another thread get in \
                 between looking at the count and taking the permit? If the two happen under \
                 two separate lock() calls, that is a check-then-act race",
                || {
                    let s = keep(Arc::new(Semaphore::new(1)));
                    let s2 = Arc::clone(&*s);
                    let t = thread::spawn(move || s2.try_acquire());
                    let mine = s.try_acquire();
                    let theirs = t.join().unwrap();
                    assert!(mine != theirs, "both or neither got the permit: {mine} and {theirs}");
                    assert_eq!(s.available(), 0);
                },
            );
        }

        fn release_wakes_a_blocked_acquire_in_every_interleaving() {
            crate::model_check::explore(
                "acquire() on 0 permits returns once another thread releases",
                RELEASE_LEAVES_WAITER_ASLEEP,
                || {
                    let s = keep(Arc::new(Semaphore::new(0)));
                    let s2 = Arc::clone(&*s);
                    let t = thread::spawn(move || s2.acquire());
                    s.release();
                    t.join().unwrap();
                    assert_eq!(s.available(), 0);
                },
            );
        }

        fn a_bounded_semaphore_takes_back_only_what_was_given_in_every_interleaving() {
            crate::model_check::explore(
                "two threads release() a BoundedSemaphore(1) with its permit out: one Ok, one Err",
                "BoundedSemaphore::release (src/ex4_semaphore.rs): can the other thread get in \
                 between the check against the limit and the increment? If the two happen \
                 under two separate lock() calls (available() first, say), that is a \
                 check-then-act race",
                || {
                    let b = keep(Arc::new(BoundedSemaphore::new(1)));
                    b.acquire();
                    let b2 = Arc::clone(&*b);
                    let t = thread::spawn(move || b2.release());
                    let mine = b.release();
                    let theirs = t.join().unwrap();
                    assert!(mine.is_ok() != theirs.is_ok(), "got {mine:?} and {theirs:?}");
                    assert_eq!(theirs.or(mine), Ok::<(), ReleasedTooOften>(()));
                    assert_eq!(b.available(), 1);
                },
            );
        }

        /// loom also runs the interleaving where the spawned thread blocks
        /// in acquire() before release() runs: a missed wake-up deadlocks.
        fn bounded_release_wakes_a_blocked_acquire_in_every_interleaving() {
            crate::model_check::explore(
                "acquire() on a BoundedSemaphore with its only permit out returns once another \
                 thread releases",
                RELEASE_LEAVES_WAITER_ASLEEP,
                || {
                    let b = keep(Arc::new(BoundedSemaphore::new(1)));
                    b.acquire();
                    let b2 = Arc::clone(&*b);
                    let t = thread::spawn(move || b2.acquire());
                    assert_eq!(b.release(), Ok(()), "giving back the permit that was taken");
                    t.join().unwrap();
                    assert_eq!(b.available(), 0);
                },
            );
        }
    }
}
