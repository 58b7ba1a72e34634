//! Exercise 9: a one-shot channel whose types forbid misuse.
//!
//! Many channels carry exactly one value: a reply to one request, the
//! result of one job. Build one where the compiler refuses what makes no
//! sense: `send` and `recv` take `self`, so after one send the `Sender` is
//! gone, and a second `send` does not compile (nor a second `recv`).
//! What types cannot rule out is checked at run time:
//!
//! * a `Receiver` waiting in `recv` wakes when the value is sent;
//! * a `Sender` dropped without sending makes `recv` return
//!   `Err(Canceled)`, also for a receiver already waiting;
//! * `send` to a dropped `Receiver` gives the value back.
//!
//! Use `crate::given::sync` (loom checks the waking in every interleaving).
//! Remember that `send(self, ..)` ends by dropping `self`: your `Drop` for
//! `Sender` runs after every send too.

// Fields and parameters are unused until the todo!()s are filled in.
#![allow(dead_code, unused_variables, unused_imports)]

use crate::given::sync::{Arc, Condvar, Mutex};

/// `recv` failed: the `Sender` was dropped without sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Canceled;

// ANCHOR: shared
struct State<T> {
    value: Option<T>,
    sender_gone: bool,
    receiver_gone: bool,
}

struct Shared<T> {
    state: Mutex<State<T>>,
    /// The receiver waits here for the value, or for the sender to go.
    changed: Condvar,
}

/// The sending half: used once, by value.
pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

/// The receiving half: used once, by value.
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
}
// ANCHOR_END: shared

/// A channel for exactly one value.
pub fn oneshot<T>() -> (Sender<T>, Receiver<T>) {
    todo!()
}

// ANCHOR: send
impl<T> Sender<T> {
    /// Sends `value`, or gives it back if the receiver is gone. `send`
    /// takes the sender by value, so there is no second send.
    pub fn send(self, value: T) -> Result<(), T> {
        todo!()
    }
}

impl<T> Drop for Sender<T> {
    /// Runs whichever way the sender goes: at the end of `send`, or
    /// dropped unused.
    fn drop(&mut self) {
        todo!()
    }
}
// ANCHOR_END: send

// ANCHOR: recv
impl<T> Receiver<T> {
    /// Waits for the value. `Err(Canceled)` if the sender was dropped
    /// without sending. Takes the receiver by value: one value, one
    /// receive.
    pub fn recv(self) -> Result<T, Canceled> {
        todo!()
    }

    /// Would `recv` return at once (a value is there, or the sender is
    /// gone)?
    pub fn is_ready(&self) -> bool {
        todo!()
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        todo!()
    }
}
// ANCHOR_END: recv
