//! The Shared memory chapter's tests, written once: they run against your
//! crate (`cargo test -p shared-memory-exercise`) and against the reference
//! solution (`cargo test -p shared-memory-solution`). One module per
//! exercise; every test runs in a process of its own, under a time limit,
//! and fails if it leaves a child process behind (see
//! `support::isolated_tests!`). Every segment a test names is removed by a
//! guard when the test ends, even when it fails.

mod ex1_counter;
mod ex2_segment;
mod ex3_parallel_sum;
mod ex4_robust_mutex;
mod ex5_ring;

use std::path::PathBuf;

/// Removes the segment `name` when dropped, whatever the test did.
pub struct Unlink(pub String);

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

impl Drop for Unlink {
    fn drop(&mut self) {
        let _ = nix::sys::mman::shm_unlink(self.0.as_str());
    }
}
