//! Exercise 5: fan-in from two channels with `select!`.
//!
//! A consumer with two inputs (say, results and log lines) should take
//! whichever has something, and sleep while neither has. crossbeam's
//! `select!` waits on several channel operations at once and runs the
//! first one that is ready.
//!
//! Write `merge`: hand every item of `a` and `b` to `sink`, tagged with
//! its input, until *both* inputs are disconnected and empty. Count one
//! wake-up per `select!` and return the count: the tests use it to check
//! that the loop never runs without a reason (a spinning loop burns a core
//! while it waits).

// Imports and parameters are unused until the todo!() is filled in.
#![allow(unused_imports, unused_variables, unused_mut)]

use crossbeam_channel::{Receiver, never, select};

/// One item out of [`merge`], tagged with the input it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merged<A, B> {
    A(A),
    B(B),
}

// ANCHOR: merge
/// Hands every item of `a` and of `b` to `sink`, in the order they become
/// ready, until both inputs are disconnected and empty. Returns how many
/// times the loop woke up (one `select!` per wake-up).
pub fn merge<A, B, F>(a: Receiver<A>, b: Receiver<B>, mut sink: F) -> usize
where
    F: FnMut(Merged<A, B>),
{
    todo!()
}
// ANCHOR_END: merge
