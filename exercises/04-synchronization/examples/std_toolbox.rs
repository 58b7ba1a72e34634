//! The rest of std::sync in one run: poisoning, RwLock, Barrier, OnceLock.
//! Run: cargo run -p synchronization-exercise --example std_toolbox

use std::sync::{Arc, Barrier, Mutex, OnceLock, PoisonError, RwLock};
use std::thread;

fn main() {
    // ANCHOR: poison
    let m = Arc::new(Mutex::new(vec![1, 2, 3]));
    let m2 = Arc::clone(&m);
    let crashed = thread::spawn(move || {
        let mut v = m2.lock().unwrap();
        v.push(4);
        panic!("oops, while holding the lock"); // the guard drops during unwinding
    })
    .join();
    assert!(crashed.is_err());
    // The lock is now *poisoned*: lock() returns Err, to say "a thread died
    // in the middle of changing this; check the data before you trust it".
    let v = m.lock().unwrap_or_else(PoisonError::into_inner);
    println!("poisoned, but still there: {v:?}");
    // ANCHOR_END: poison
    drop(v);

    // ANCHOR: rwlock
    let config = RwLock::new(String::from("v1"));
    thread::scope(|s| {
        for _ in 0..3 {
            // Any number of readers at once...
            s.spawn(|| assert!(config.read().unwrap().starts_with('v')));
        }
    });
    *config.write().unwrap() = "v2".into(); // ...or one writer alone
    println!("config is now {}", config.read().unwrap());
    // ANCHOR_END: rwlock

    // ANCHOR: barrier
    let start = Barrier::new(3);
    thread::scope(|s| {
        for i in 0..3 {
            let start = &start;
            s.spawn(move || {
                // No thread passes until all three have arrived.
                let leader = start.wait().is_leader();
                if leader {
                    println!("thread {i} was the last to arrive");
                }
            });
        }
    });
    // ANCHOR_END: barrier

    // ANCHOR: once
    static TABLE: OnceLock<Vec<u64>> = OnceLock::new();
    thread::scope(|s| {
        for _ in 0..4 {
            // Four threads race to initialise; the closure runs exactly once
            // and everyone sees the same table.
            s.spawn(|| TABLE.get_or_init(|| (0..10).map(|i| i * i).collect()).len());
        }
    });
    println!("squares: {:?}", TABLE.get().unwrap());
    // ANCHOR_END: once
}
