//! The tests of chapter 6, Pools. Written once; they run against the
//! exercise crate (`cargo test -p pools-exercise`) and the solution
//! (`cargo test -p pools-solution`), both of which build `pools`.
//!
//! None of them measures time. Where a test needs one task to finish after
//! another, it makes it so with a latch; where it needs two workers busy at
//! once, it meets them at a barrier.

mod ex1_chunks;
mod ex2_map;
mod ex3_unordered;
mod ex4_thread_pool;
mod ex5_process_pool;
mod ex6_rayon;
mod ex7_recycle;
mod ex8_async_pool;

use std::sync::{Arc, Condvar, Mutex};

/// A gate that starts closed; `wait` blocks until someone calls `open`.
#[derive(Clone, Default)]
pub struct Latch(Arc<(Mutex<bool>, Condvar)>);

impl Latch {
    pub fn open(&self) {
        let (open, changed) = &*self.0;
        *open.lock().unwrap() = true;
        changed.notify_all();
    }

    pub fn wait(&self) {
        let (open, changed) = &*self.0;
        let mut is_open = open.lock().unwrap();
        while !*is_open {
            is_open = changed.wait(is_open).unwrap();
        }
    }
}

/// How many different values `ids` holds.
pub fn distinct<T: PartialEq>(ids: &[T]) -> usize {
    let mut seen: Vec<&T> = Vec::new();
    for id in ids {
        if !seen.contains(&id) {
            seen.push(id);
        }
    }
    seen.len()
}
