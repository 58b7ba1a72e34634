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

/// The model checker's driver (as in the Queues and Synchronization
/// chapters' tests).
#[cfg(feature = "model")]
mod model_check {
    use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
    use std::sync::{Arc, Mutex};

    /// How many times loom may pre-empt a thread that could have gone on
    /// running, per execution. Most concurrency bugs need only one or two
    /// (Musuvathi and Qadeer, "Iterative context bounding", 2007); the bound
    /// keeps every model here to a few seconds on two cores.
    const PREEMPTIONS: usize = 2;

    /// Runs `scenario` under loom once per interleaving of its threads. If
    /// any interleaving panics (a failed check, an arithmetic overflow) or
    /// deadlocks (every thread blocked), the test fails with `expected`,
    /// what loom saw, and `look_at`.
    pub fn explore(expected: &str, look_at: &str, scenario: impl Fn() + Sync + Send + 'static) {
        support::step(
            &format!("model-checking every interleaving of: {expected}"),
            "the model check takes too long: does a side loop on try_push/try_pop \
             without ever calling futex_wait (a spin: loom explores every turn of \
             the loop)? Keep the spin before the sleep short (SPINS)",
        );
        let first: Arc<Mutex<Option<String>>> = Arc::default();
        let harness: Arc<dyn Fn(&PanicHookInfo<'_>) + Sync + Send> = Arc::from(panic::take_hook());
        {
            let (first, harness) = (Arc::clone(&first), Arc::clone(&harness));
            panic::set_hook(Box::new(move |info| {
                let text = payload_text(info.payload());
                if text.starts_with("not yet implemented") {
                    // Let the harness say "Not done yet" with the stub's location.
                    harness(info);
                }
                let at = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                let mut slot = first.lock().unwrap_or_else(|e| e.into_inner());
                slot.get_or_insert(format!("{text} (at {at})"));
            }));
        }
        let mut builder = loom::model::Builder::new();
        builder.preemption_bound = Some(PREEMPTIONS);
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| builder.check(scenario)));
        panic::set_hook(Box::new(move |info| harness(info)));
        if outcome.is_ok() {
            return;
        }
        let seen = first
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .unwrap_or_else(|| "a panic without a message".into());
        if seen.starts_with("not yet implemented") {
            panic::resume_unwind(Box::new(seen));
        }
        let note = if seen.starts_with("deadlock") {
            "\n          (a deadlock: every thread was blocked, waiting for something no \
             thread would ever do)"
        } else {
            ""
        };
        support::fail(
            format!("in every interleaving: {expected}"),
            format!("loom found an interleaving where it fails:\n          {seen}{note}"),
            look_at,
        )
    }

    /// Holds a value of the scenario's main thread (a loom `Arc`, say) and
    /// drops it normally, except while the thread unwinds from a failure
    /// loom found: loom's objects cannot be dropped once the model has
    /// stopped, so then the value is leaked instead (the process is about
    /// to report the failure anyway).
    pub struct Keep<T>(Option<T>);

    pub fn keep<T>(value: T) -> Keep<T> {
        Keep(Some(value))
    }

    impl<T> std::ops::Deref for Keep<T> {
        type Target = T;
        fn deref(&self) -> &T {
            self.0
                .as_ref()
                .expect("a Keep holds its value until dropped")
        }
    }

    impl<T> Drop for Keep<T> {
        fn drop(&mut self) {
            if std::thread::panicking() {
                std::mem::forget(self.0.take());
            }
        }
    }

    fn payload_text(p: &(dyn std::any::Any + Send)) -> String {
        p.downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_default()
    }
}
