//! Two threads add to one counter three ways: a load-then-store on an
//! atomic (loses updates, like Python's `Value(lock=False)`), `fetch_add`,
//! and a `Mutex`. Run: cargo run -p synchronization-exercise --example lost_updates

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

const THREADS: u64 = 2;
const PER_THREAD: u64 = 1_000_000;

// ANCHOR: racy
fn racy() -> u64 {
    let n = AtomicU64::new(0);
    thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                for _ in 0..PER_THREAD {
                    // Two steps: another thread can store in between.
                    let now = n.load(Ordering::Relaxed);
                    n.store(now + 1, Ordering::Relaxed);
                }
            });
        }
    });
    n.into_inner()
}
// ANCHOR_END: racy

// ANCHOR: atomic
fn atomic() -> u64 {
    let n = AtomicU64::new(0);
    thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                for _ in 0..PER_THREAD {
                    n.fetch_add(1, Ordering::Relaxed); // one indivisible step
                }
            });
        }
    });
    n.into_inner()
}
// ANCHOR_END: atomic

// ANCHOR: locked
fn locked() -> u64 {
    let n = Mutex::new(0u64);
    thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                for _ in 0..PER_THREAD {
                    *n.lock().unwrap() += 1; // the guard lives to the end of the statement
                }
            });
        }
    });
    n.into_inner().unwrap()
}
// ANCHOR_END: locked

fn main() {
    let want = THREADS * PER_THREAD;
    let r = racy();
    println!(
        "load + store: {r} of {want} ({:.0}% lost)",
        100.0 * (want - r) as f64 / want as f64
    );
    println!("fetch_add:    {} of {want}", atomic());
    println!("Mutex:        {} of {want}", locked());
}
