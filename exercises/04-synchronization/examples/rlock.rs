//! Python's `RLock`, built from a Mutex and a Condvar, and why std's Mutex
//! is not reentrant. Run: cargo run -p synchronization-exercise --example rlock

use std::sync::{Condvar, Mutex, TryLockError};
use std::thread::{self, ThreadId};

// ANCHOR: rlock
/// A lock the owning thread may take again; it is free once released as
/// often as it was acquired.
struct RLock {
    state: Mutex<(Option<ThreadId>, usize)>, // (owner, depth)
    freed: Condvar,
}

impl RLock {
    fn new() -> RLock {
        RLock {
            state: Mutex::new((None, 0)),
            freed: Condvar::new(),
        }
    }

    fn acquire(&self) {
        let me = thread::current().id();
        let mut s = self.state.lock().unwrap();
        while s.0.is_some_and(|owner| owner != me) {
            s = self.freed.wait(s).unwrap();
        }
        *s = (Some(me), s.1 + 1);
    }

    fn release(&self) {
        let mut s = self.state.lock().unwrap();
        assert_eq!(
            s.0,
            Some(thread::current().id()),
            "release by a thread that does not own it"
        );
        s.1 -= 1;
        if s.1 == 0 {
            s.0 = None;
            self.freed.notify_one();
        }
    }
}
// ANCHOR_END: rlock

fn main() {
    // ANCHOR: not_reentrant
    let m = Mutex::new(0);
    let _held = m.lock().unwrap();
    // `m.lock()` here would never return (or panic: std leaves it
    // unspecified). try_lock shows the lock is simply taken:
    match m.try_lock() {
        Err(TryLockError::WouldBlock) => {
            println!("std Mutex: a second lock by the same thread would block")
        }
        _ => unreachable!("the guard above still holds it"),
    }
    // ANCHOR_END: not_reentrant

    let r = RLock::new();
    r.acquire();
    r.acquire(); // same thread again: fine
    println!("RLock: acquired twice by one thread");
    r.release();
    r.release();
    thread::scope(|s| {
        s.spawn(|| {
            r.acquire();
            println!("RLock: another thread gets it once it was released twice");
            r.release();
        });
    });
}
