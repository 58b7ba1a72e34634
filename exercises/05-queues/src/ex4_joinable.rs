//! Exercise 4: Python's `JoinableQueue` (and `queue.Queue`'s
//! `task_done`/`join`).
//!
//! A worker `get`s an item, processes it and calls `task_done`; whoever
//! calls `join` waits until every item that was ever `put` has been marked
//! done. One `task_done` too many is an error (Python: `ValueError`).
//!
//! Build it from `crate::given::sync::{Mutex, Condvar}` (so that the
//! model-checked tests can run it under loom): one Mutex around the state,
//! a Condvar for each thing a thread can wait for.

// Fields and parameters are unused until the todo!()s are filled in.
#![allow(dead_code, unused_variables)]

use std::collections::VecDeque;
use std::fmt;

use crate::given::sync::{Condvar, Mutex};

/// `task_done` was called more times than items were put: Python raises
/// `ValueError('task_done() called too many times')`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooManyTaskDone;

impl fmt::Display for TooManyTaskDone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "task_done() called more times than items were put")
    }
}

impl std::error::Error for TooManyTaskDone {}

// ANCHOR: joinable
struct State<T> {
    items: VecDeque<T>,
    /// Items put but not yet marked done with `task_done`.
    unfinished: usize,
}

/// An unbounded queue that also counts unfinished tasks: `join` waits
/// until every item that was `put` has been marked done.
pub struct JoinableQueue<T> {
    state: Mutex<State<T>>,
    item_ready: Condvar,
    all_done: Condvar,
}

impl<T> JoinableQueue<T> {
    pub fn new() -> JoinableQueue<T> {
        todo!()
    }

    /// Adds an item; it counts as unfinished until someone calls
    /// `task_done` for it.
    pub fn put(&self, item: T) {
        todo!()
    }

    /// Takes the oldest item, waiting while the queue is empty.
    pub fn get(&self) -> T {
        todo!()
    }

    /// Marks one item as done. More calls than items put is an error,
    /// and leaves the count as it was.
    pub fn task_done(&self) -> Result<(), TooManyTaskDone> {
        todo!()
    }

    /// Waits until every item put so far has been marked done.
    pub fn join(&self) {
        todo!()
    }

    /// How many items are put but not yet done.
    pub fn unfinished_tasks(&self) -> usize {
        todo!()
    }
}
// ANCHOR_END: joinable

impl<T> Default for JoinableQueue<T> {
    fn default() -> Self {
        JoinableQueue::new()
    }
}
