//! The synchronization chapter's tests, written once and run against both
//! the exercise crate and the solution.
//!
//! Each exercise has two kinds of tests, and each test exists in exactly
//! one build:
//!
//! * ordinary **stress tests** (`cargo test -p synchronization-exercise`):
//!   real threads, real `std::sync`;
//! * **model-checked tests**, in `mod model` of each file
//!   (`cargo test -p synchronization-exercise --features model`): the
//!   primitives are built on loom's `Mutex`/`Condvar`/atomics, and
//!   [`model_check::explore`] runs each small scenario once per possible
//!   interleaving (up to a bound), so a bad interleaving is found on
//!   purpose, every time, instead of by luck.

mod ex1_counter;
mod ex2_lock_scope;
mod ex3_event;
mod ex4_semaphore;
mod ex5_bounded_buffer;
mod ex6_philosophers;

/// Evidence, from the kernel, that a thread is blocked, before a test wakes
/// it: see `support::waiter`.
#[cfg(not(feature = "model"))]
pub use support::waiter;

/// `explore` (loom, through `support::model`) and `keep`.
#[cfg(feature = "model")]
mod model_check {
    support::loom_explore!(
        if_slow: "Possible causes: a method loops without sleeping on a Condvar (a spin: \
                  loom explores every turn of the loop), or it takes more locks than it \
                  needs, which multiplies the interleavings loom must explore"
    );
}
