//! Model-checked tests: what a chapter's `--features model` tests share.
//!
//! A chapter whose exercises build their own primitives runs small
//! scenarios under loom, once per interleaving of their threads. This
//! module turns what loom finds into a teaching failure message; it does
//! not depend on loom itself (the support crate stays light for every
//! chapter): [`explore`] takes loom's run as a closure, and the
//! [`loom_explore!`](crate::loom_explore) macro writes that closure in the
//! chapter's tests, where loom is a dependency:
//!
//! ```ignore
//! #[cfg(feature = "model")]
//! mod model_check {
//!     support::loom_explore!(if_slow: "does a method spin instead of waiting?");
//! }
//! // ... in a test:
//! crate::model_check::explore("one holder at a time", "Semaphore::acquire", || {
//!     // threads built on the chapter's loom shim, and checks
//! });
//! ```

use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::sync::{Arc, Mutex};

/// How many times loom may pre-empt a thread that could have gone on
/// running, per execution. Most concurrency bugs need only one or two
/// (Musuvathi and Qadeer, "Iterative context bounding", 2007); the bound
/// keeps every model to a few seconds on two cores.
pub const PREEMPTIONS: usize = 2;

/// Runs `check` (loom exploring a scenario). If any interleaving panics (a
/// failed check, an arithmetic overflow) or deadlocks (every thread
/// blocked), the test fails with `expected`, what loom saw, and `look_at`.
/// If the time limit strikes first, the timeout message gives `if_slow`,
/// the chapter's likely cause of a model check that never ends (each
/// chapter's primitives spin in their own way). A `todo!()` still in place
/// is left to the harness, which says "Not done yet" with the stub's
/// location.
pub fn explore(expected: &str, look_at: &str, if_slow: &str, check: impl FnOnce()) {
    crate::step(
        &format!("model-checking every interleaving of: {expected}"),
        &format!("the model check did not finish in time. {if_slow}"),
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
    let outcome = panic::catch_unwind(AssertUnwindSafe(check));
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
    crate::fail(
        format!("in every interleaving: {expected}"),
        found(&seen),
        look_at,
    )
}

/// The "Got" part of the failure: what loom found, and what a deadlock is.
fn found(seen: &str) -> String {
    let note = if seen.starts_with("deadlock") {
        "\n          (a deadlock: every thread was blocked, waiting for something no \
         thread would ever do)"
    } else {
        ""
    };
    format!("loom found an interleaving where it fails:\n          {seen}{note}")
}

/// Defines, where it is written, `explore(expected, look_at, scenario)`:
/// [`explore`] with loom's model checker (at most [`PREEMPTIONS`]
/// pre-emptions per execution) as the run and the chapter's `if_slow` as
/// the likely cause of a timeout, and re-exports [`keep`]. The crate that
/// writes it must depend on loom.
#[macro_export]
macro_rules! loom_explore {
    (if_slow: $if_slow:expr $(,)?) => {
        pub use $crate::model::keep;

        /// Runs `scenario` under loom once per interleaving of its threads;
        /// a failing one fails the test with `expected`, what loom saw, and
        /// `look_at` (see `support::model::explore`).
        pub fn explore(expected: &str, look_at: &str, scenario: impl Fn() + Sync + Send + 'static) {
            $crate::model::explore(expected, look_at, $if_slow, move || {
                let mut loom = ::loom::model::Builder::new();
                loom.preemption_bound = Some($crate::model::PREEMPTIONS);
                loom.check(scenario);
            });
        }
    };
}

/// Holds a value of the scenario's main thread (a loom `Arc`, say) and
/// drops it normally, except while the thread unwinds from a failure loom
/// found: loom's objects cannot be dropped once the model has stopped, so
/// then the value is leaked instead (the process is about to report the
/// failure anyway).
pub struct Keep<T>(Option<T>);

/// Wraps `value` in a [`Keep`].
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `explore` sets the process's panic hook; these tests take turns.
    static HOOK: Mutex<()> = Mutex::new(());

    #[test]
    fn a_passing_check_is_quiet() {
        let _turn = HOOK.lock().unwrap_or_else(|e| e.into_inner());
        let mut ran = false;
        explore("nothing", "nowhere", "never slow", || ran = true);
        assert!(ran);
    }

    #[test]
    fn a_failing_interleaving_becomes_a_teaching_failure() {
        let _turn = HOOK.lock().unwrap_or_else(|e| e.into_inner());
        let failure = panic::catch_unwind(|| {
            explore("one holder", "Semaphore::acquire", "a spin?", || {
                panic!("deadlock; threads = [..]")
            })
        })
        .expect_err("the failure is reported");
        let text = payload_text(failure.as_ref());
        assert!(
            text.contains("Expected: in every interleaving: one holder"),
            "{text}"
        );
        assert!(text.contains("deadlock; threads"), "{text}");
        assert!(text.contains("every thread was blocked"), "{text}");
        assert!(text.contains("Look at: Semaphore::acquire"), "{text}");
    }

    #[test]
    fn a_stub_is_left_to_the_harness() {
        let _turn = HOOK.lock().unwrap_or_else(|e| e.into_inner());
        let failure = panic::catch_unwind(|| explore("x", "y", "z", || todo!()))
            .expect_err("the stub panics");
        assert!(payload_text(failure.as_ref()).starts_with("not yet implemented"));
    }

    #[test]
    fn keep_derefs_and_leaks_only_while_unwinding() {
        let k = keep(vec![1, 2]);
        assert_eq!(k.len(), 2);
        drop(k);
    }
}
