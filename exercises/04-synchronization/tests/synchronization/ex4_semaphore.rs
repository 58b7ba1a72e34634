use synchronization::ex4_semaphore::{BoundedSemaphore, ReleasedTooOften, Semaphore};

#[cfg(not(feature = "model"))]
use std::sync::atomic::{AtomicUsize, Ordering};
#[cfg(not(feature = "model"))]
use std::sync::{Barrier, mpsc};

#[cfg(not(feature = "model"))]
support::isolated_tests! {
    fn permits_are_counted() {
        let s = Semaphore::new(2);
        support::require!(s.available() == 2,
            expected: "2 permits in Semaphore::new(2)", got: s.available(), look_at: "Semaphore::new");
        support::step("acquiring the first of 2 permits", "acquire() waits although a permit is free");
        s.acquire();
        support::require!(s.try_acquire(),
            expected: "try_acquire() to take the second permit", got: "false",
            look_at: "Semaphore::try_acquire");
        support::require!(!s.try_acquire(),
            expected: "try_acquire() to fail with no permit left", got: "true",
            look_at: "Semaphore::try_acquire: take a permit only if the count is above 0");
        s.release();
        support::require!(s.available() == 1,
            expected: "1 permit after one release", got: s.available(), look_at: "Semaphore::release");
    }

    /// Two permits: two threads meet at a Barrier(2) while both hold one.
    fn two_permits_let_two_threads_in_at_once() {
        let s = Semaphore::new(2);
        let meet = Barrier::new(2);
        support::step("two threads holding a permit each, meeting at a Barrier(2)",
            "the second acquire() blocks although a second permit is free");
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

    fn a_blocked_acquire_goes_on_after_release() {
        let s = Semaphore::new(0);
        let (tx, rx) = mpsc::channel();
        std::thread::scope(|sc| {
            sc.spawn(|| {
                s.acquire();
                tx.send(()).unwrap();
            });
            support::require!(rx.try_recv().is_err(),
                expected: "acquire() on a semaphore with 0 permits to wait",
                got: "it returned at once",
                look_at: "Semaphore::acquire: wait while the count is 0");
            s.release();
            support::step("waiting for a blocked acquire() to return after release()",
                "release() does not wake the waiter: notify the Condvar after adding the permit");
        });
    }

    /// Four threads share two permits, thousands of times: never more than
    /// two inside at once, and no permit lost or invented.
    fn never_more_holders_than_permits() within 20 s {
        let s = Semaphore::new(2);
        let inside = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        support::step("4 threads x 5000 acquire/release on 2 permits",
            "a waiter is never woken: does release() notify?");
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
            look_at: "Semaphore::acquire: after a wake-up, look at the count again (`while`, not `if`)");
    }

    fn bounded_semaphore_refuses_an_extra_release() {
        let b = BoundedSemaphore::new(1);
        support::require!(b.release() == Err(ReleasedTooOften),
            expected: "Err(ReleasedTooOften) when releasing a full BoundedSemaphore",
            got: "Ok", look_at: "BoundedSemaphore::release: compare with the starting count");
        support::step("acquiring the only permit", "acquire() waits although the permit is free");
        b.acquire();
        support::require!(b.available() == 0,
            expected: "0 permits after acquire", got: b.available(), look_at: "BoundedSemaphore::acquire");
        support::require!(b.release() == Ok(()) && b.available() == 1,
            expected: "Ok(()) and 1 permit after giving it back", got: format!("{} permits", b.available()),
            look_at: "BoundedSemaphore::release");
        support::require!(b.release() == Err(ReleasedTooOften),
            expected: "Err(ReleasedTooOften) for the second release", got: "Ok",
            look_at: "BoundedSemaphore::release");
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
                "Semaphore::acquire: wrap the wait in `while *permits == 0`, not `if`. Between \
                 notify_one and the woken thread getting the lock back, another thread can take \
                 the permit; the woken thread must look again",
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
                "Semaphore::try_acquire: a check-then-act race. Look at the count and take the \
                 permit under ONE guard; between two separate lock() calls another thread can \
                 take the same permit",
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
                "Semaphore::release: add the permit under the lock, then notify the Condvar",
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
                "BoundedSemaphore::release: compare with the limit and add the permit under ONE \
                 guard (checking available() first is a check-then-act race)",
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
    }
}
