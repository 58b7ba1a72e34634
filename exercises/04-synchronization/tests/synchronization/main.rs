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
            "the model check takes too long: keep the primitive's methods short \
             (one lock, one wait loop) and do not spin or loop without waiting",
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
