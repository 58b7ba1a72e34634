//! The Shared memory chapter's tests, written once: they run against your
//! crate (`cargo test -p shared-memory-exercise`) and against the reference
//! solution (`cargo test -p shared-memory-solution`). One module per
//! exercise; every test runs in a process of its own, under a time limit,
//! and fails if it leaves a child process behind (see
//! `support::isolated_tests!`). Every segment a test names is removed by a
//! guard when the test ends, even when it fails.
//!
//! With `--features model` only exercise 5's model-checked tests run (the
//! ring between loom threads, `mod model` in its file); every other test
//! runs only without it, so each test exists in one build.

#[cfg(not(feature = "model"))]
mod ex1_counter;
#[cfg(not(feature = "model"))]
mod ex2_segment;
#[cfg(not(feature = "model"))]
mod ex3_parallel_sum;
#[cfg(not(feature = "model"))]
mod ex4_robust_mutex;
mod ex5_ring;
#[cfg(not(feature = "model"))]
mod ex6_manager;

#[cfg(not(feature = "model"))]
use std::path::PathBuf;

/// Removes the segment `name` when dropped, whatever the test did.
#[cfg(not(feature = "model"))]
pub struct Unlink(pub String);

#[cfg(not(feature = "model"))]
impl Unlink {
    pub fn new(tag: &str) -> Unlink {
        Unlink(shared_memory::given::unique_name(tag))
    }

    pub fn name(&self) -> &str {
        &self.0
    }

    /// Where the segment shows up in the file system.
    pub fn path(&self) -> PathBuf {
        PathBuf::from(format!("/dev/shm{}", self.0))
    }

    pub fn exists(&self) -> bool {
        self.path().exists()
    }
}

#[cfg(not(feature = "model"))]
impl Drop for Unlink {
    fn drop(&mut self) {
        let _ = nix::sys::mman::shm_unlink(self.0.as_str());
    }
}

/// `explore` (loom, through `support::model`) and `keep`.
#[cfg(feature = "model")]
mod model_check {
    support::loom_explore!(
        if_slow: "Possible cause: a side loops on try_push/try_pop without ever calling \
                  futex_wait (a spin: loom explores every turn of the loop). Is the spin \
                  before the sleep short (SPINS)?"
    );
}
