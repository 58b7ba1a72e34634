//! The queues chapter's tests, written once and run against both the
//! exercise crate and the solution.
//!
//! Exercises 4 and 6 build their own queues; their model-checked tests live
//! in `mod model` of their files and run only with `--features model`
//! (loom), the others only without it (see the Synchronization chapter's
//! tests for the idea).

mod ex1_drain;
mod ex2_backpressure;
mod ex3_disconnect;
mod ex4_joinable;
mod ex5_select;
mod ex6_channel;
mod ex7_process_queue;
mod ex8_logging;
mod ex9_oneshot;

// Evidence, from the kernel, that a thread is blocked (`support::waiter`):
// a thread stores its id (`thread_id()`), and `until_blocked_or_done` waits
// until /proc shows it asleep in the kernel, or `done()` says it finished.
#[cfg(not(feature = "model"))]
pub use support::waiter::{my_tid as thread_id, until_blocked_or_done};

/// `explore` (loom, through `support::model`) and `keep`.
#[cfg(feature = "model")]
mod model_check {
    support::loom_explore!(
        if_slow: "Possible causes: a method spins or loops without waiting on a Condvar \
                  (loom explores every turn of such a loop), or it takes the lock more \
                  often than once per call and one wait loop, which multiplies the \
                  interleavings loom must explore"
    );
}
