//! Exercise 4, solved: Python's `JoinableQueue` (and `queue.Queue`'s
//! `task_done`/`join`), from one Mutex and two Condvars.

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
        JoinableQueue {
            state: Mutex::new(State {
                items: VecDeque::new(),
                unfinished: 0,
            }),
            item_ready: Condvar::new(),
            all_done: Condvar::new(),
        }
    }

    /// Adds an item; it counts as unfinished until someone calls
    /// `task_done` for it.
    pub fn put(&self, item: T) {
        let mut s = self.state.lock().unwrap();
        s.items.push_back(item);
        s.unfinished += 1;
        drop(s);
        self.item_ready.notify_one();
    }

    /// Takes the oldest item, waiting while the queue is empty.
    pub fn get(&self) -> T {
        let mut s = self.state.lock().unwrap();
        loop {
            match s.items.pop_front() {
                Some(item) => return item,
                None => s = self.item_ready.wait(s).unwrap(),
            }
        }
    }

    /// Marks one item as done. More calls than items put is an error,
    /// and leaves the count as it was.
    pub fn task_done(&self) -> Result<(), TooManyTaskDone> {
        let mut s = self.state.lock().unwrap();
        if s.unfinished == 0 {
            return Err(TooManyTaskDone);
        }
        s.unfinished -= 1;
        if s.unfinished == 0 {
            drop(s);
            // Wake the joiner.
            self.all_done.notify_one();
        }
        Ok(())
    }

    /// Waits until every item put so far has been marked done.
    pub fn join(&self) {
        let mut s = self.state.lock().unwrap();
        while s.unfinished > 0 {
            s = self.all_done.wait(s).unwrap();
        }
    }

    /// How many items are put but not yet done.
    pub fn unfinished_tasks(&self) -> usize {
        self.state.lock().unwrap().unfinished
    }
}
// ANCHOR_END: joinable

impl<T> Default for JoinableQueue<T> {
    fn default() -> Self {
        JoinableQueue::new()
    }
}
