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

/// Evidence, from the kernel, that a thread is blocked.
///
/// A test that checks "operation X wakes a waiter" must first be sure the
/// waiter is really waiting; otherwise X may run before the waiter even
/// looked, and a forgotten wake-up goes unnoticed. The waiter sends its
/// kernel thread id ([`waiter::my_tid`]) just before it calls the blocking
/// method; [`waiter::until_blocked`] then watches `/proc` until that thread
/// sleeps in the kernel (a `Mutex`, `Condvar` or channel wait puts it in
/// state `S`) or has ended. No sleeping, no timing: only the thread's state.
#[cfg(not(feature = "model"))]
pub mod waiter {
    /// The calling thread's kernel id (`/proc/thread-self` is
    /// `<pid>/task/<tid>`).
    pub fn my_tid() -> u32 {
        let link = std::fs::read_link("/proc/thread-self").expect("Linux /proc/thread-self");
        link.file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.parse().ok())
            .expect("/proc/thread-self ends in a thread id")
    }

    /// The kernel ids of this process's threads right now.
    pub fn threads() -> Vec<u32> {
        std::fs::read_dir("/proc/self/task")
            .expect("Linux /proc/self/task")
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
            .collect()
    }

    /// What became of a watched thread.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Seen {
        /// It sleeps in the kernel: blocked in a wait.
        Blocked,
        /// It has ended (its method returned and the thread finished).
        Ended,
    }

    /// Watches thread `tid` of this process until it blocks or ends.
    /// `doing` and `if_stuck` go into the timeout message (it never blocks:
    /// it keeps running, which is a spin).
    pub fn until_blocked(tid: u32, doing: &str, if_stuck: &str) -> Seen {
        support::step(doing, if_stuck);
        loop {
            match state(tid) {
                None | Some('Z' | 'X') => return Seen::Ended,
                Some('S' | 'D') => return Seen::Blocked,
                Some(_) => std::thread::yield_now(),
            }
        }
    }

    /// The one-letter state in `/proc/self/task/<tid>/stat`: the field after
    /// the `(name)`, which may itself contain spaces and parentheses.
    fn state(tid: u32) -> Option<char> {
        let stat = std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")).ok()?;
        stat.rsplit_once(')')?.1.trim_start().chars().next()
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
            "the model check did not finish in time. Possible causes: a method loops \
             without sleeping on a Condvar (a spin: loom explores every turn of the loop), \
             or it takes more locks than it needs, which multiplies the interleavings loom \
             must explore",
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
