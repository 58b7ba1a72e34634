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

/// The kernel's id of the calling thread.
#[cfg(not(feature = "model"))]
pub fn thread_id() -> i32 {
    // SAFETY: gettid has no arguments and cannot fail.
    unsafe { libc::gettid() }
}

/// The state letter of one of our threads (`R` running, `S` asleep in the
/// kernel, e.g. blocked on a futex), or None once it has ended.
#[cfg(not(feature = "model"))]
pub fn thread_state(tid: i32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 1..];
    after.trim_start().chars().next()
}

/// Waits (polling /proc, never guessing a duration) until thread `tid` is
/// asleep in the kernel, i.e. blocked, or `done()` says it has finished.
/// This is how the tests let a thread run as far as it can before they
/// look at what it did.
#[cfg(not(feature = "model"))]
pub fn until_blocked_or_done(tid: &std::sync::atomic::AtomicI32, done: impl Fn() -> bool) {
    use std::sync::atomic::Ordering;
    loop {
        if done() {
            return;
        }
        let t = tid.load(Ordering::SeqCst);
        if t != 0 && matches!(thread_state(t), Some('S') | Some('D') | None) {
            // Look twice: a thread can sleep for a moment on its way.
            std::thread::sleep(std::time::Duration::from_millis(2));
            if done() || matches!(thread_state(t), Some('S') | Some('D') | None) {
                return;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

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
