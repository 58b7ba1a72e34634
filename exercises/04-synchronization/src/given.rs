//! Code the exercises use but do not ask you to write.
//!
//! The hand-made primitives (exercises 1, 3, 4 and 5) take their `Mutex`,
//! `Condvar`, atomics and threads from [`sync`] and [`thread`] below, never
//! from `std` directly. In an ordinary build these *are* std's types. Built
//! with `--features model`, they are [loom](https://docs.rs/loom)'s: the same
//! API, but every lock, wait and atomic access becomes a point where loom's
//! scheduler may switch threads, and the model-checked tests run each
//! scenario once per possible interleaving (up to a bound) instead of hoping
//! that a stress test stumbles on the bad one.

/// `Mutex`, `Condvar`, `Arc` and atomics: std's, or loom's under `model`.
pub mod sync {
    #[cfg(feature = "model")]
    pub use loom::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize};
    #[cfg(feature = "model")]
    pub use loom::sync::{Arc, Condvar, Mutex, MutexGuard};

    #[cfg(not(feature = "model"))]
    pub use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize};
    #[cfg(not(feature = "model"))]
    pub use std::sync::{Arc, Condvar, Mutex, MutexGuard};

    /// The same type in both builds.
    pub use std::sync::atomic::Ordering;
}

/// `spawn` and `yield_now`: std's, or loom's under `model`.
pub mod thread {
    #[cfg(feature = "model")]
    pub use loom::thread::{JoinHandle, spawn, yield_now};
    #[cfg(not(feature = "model"))]
    pub use std::thread::{JoinHandle, spawn, yield_now};
}

// ANCHOR: table
/// The dining philosophers' table (exercise 6): `n` forks in a ring.
/// Philosopher `i` sits between fork `i` (left) and fork `(i + 1) % n` (right).
///
/// Forks are taken only through [`Table::take`], which tells the table's
/// watcher (the tests) who reaches for which fork, before blocking, and
/// who got it. That is how the tests *force* the bad interleaving instead
/// of waiting for luck to produce it.
pub struct Table {
    forks: Vec<std::sync::Mutex<()>>,
    watcher: Box<dyn Fn(Seen) + Send + Sync>,
}

/// What [`Table::take`] reports to the watcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// `philosopher` is about to block until `fork` is free.
    Reaching { philosopher: usize, fork: usize },
    /// `philosopher` now holds `fork`.
    Took { philosopher: usize, fork: usize },
}

impl Table {
    /// A table with `n` forks and a watcher that is told every move.
    pub fn new(n: usize, watcher: impl Fn(Seen) + Send + Sync + 'static) -> Table {
        Table {
            forks: (0..n).map(|_| std::sync::Mutex::new(())).collect(),
            watcher: Box::new(watcher),
        }
    }

    /// How many forks (and philosophers) there are.
    pub fn seats(&self) -> usize {
        self.forks.len()
    }

    /// Philosopher `philosopher` picks up fork `fork`, waiting until it is
    /// free. The fork goes back on the table when the guard is dropped.
    pub fn take(&self, philosopher: usize, fork: usize) -> std::sync::MutexGuard<'_, ()> {
        (self.watcher)(Seen::Reaching { philosopher, fork });
        let guard = self.forks[fork]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        (self.watcher)(Seen::Took { philosopher, fork });
        guard
    }
}
// ANCHOR_END: table
