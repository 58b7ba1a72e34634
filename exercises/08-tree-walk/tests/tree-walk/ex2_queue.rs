use std::sync::mpsc;
use std::thread;

use support::require;
use tree_walk::ex2_queue::WorkQueue;

use crate::waiter::{self, Seen};

const WAKES_NOBODY: &str = "the blocked pop() calls never returned after the last done(). \
    Possible causes: done() lowers the count of items in progress without waking the \
    waiters, or wakes only one of them (how many does notify_one wake?), or pop() waits \
    again without looking at the count. Look at WorkQueue::done and WorkQueue::pop \
    (src/ex2_queue.rs)";

/// Starts a thread that calls `q.pop()` and sends what it got; returns once
/// the kernel shows it asleep. Fails if pop returned at once.
fn blocked_pop<'s, 'e: 's>(
    s: &'s thread::Scope<'s, 'e>,
    q: &'e WorkQueue<u32>,
    got: mpsc::Sender<Option<u32>>,
    why: &str,
) {
    let (tid_tx, tid_rx) = mpsc::channel();
    let (mine_tx, mine_rx) = mpsc::channel();
    s.spawn(move || {
        tid_tx.send(waiter::my_tid()).unwrap();
        let item = q.pop();
        let _ = mine_tx.send(item);
        if item.is_some() {
            q.done();
        }
        let _ = got.send(item);
    });
    let tid = tid_rx.recv().unwrap();
    let seen = waiter::until_blocked(
        tid,
        "waiting for a thread to block in pop() on an empty queue while an item is in progress",
        "the thread in pop() neither returned nor went to sleep: it keeps running. Does pop() \
         check the queue again and again instead of waiting on the Condvar? Look at \
         WorkQueue::pop (src/ex2_queue.rs)",
    );
    if seen == Seen::Ended {
        let item = mine_rx.recv().unwrap();
        support::fail(
            format!("pop() to wait: the queue is empty, but {why}, so more work may still come"),
            format!("pop() returned {item:?} at once"),
            "WorkQueue::pop (src/ex2_queue.rs): an empty queue is not the end while an item \
             is still held. What besides the items must pop look at before it returns None?",
        );
    }
}

support::isolated_tests! {
    /// On one thread: items come out, and after the last done, None.
    fn every_item_comes_out_then_none_when_all_are_done() {
        let q = WorkQueue::new(vec![1, 2, 3]);
        let mut got = Vec::new();
        while got.len() < 3 {
            match q.pop() {
                Some(x) => got.push(x),
                None => support::fail("3 items from pop() on a queue made with 3",
                                      format!("None after {got:?}"),
                                      "WorkQueue::new and WorkQueue::pop (src/ex2_queue.rs)"),
            }
        }
        q.push(4);
        let fourth = q.pop();
        for _ in 0..4 {
            q.done();
        }
        got.extend(fourth);
        got.sort();
        support::step("calling pop() after every item was done",
            "pop() on an empty queue with nothing in progress did not return: it must say \
             None at once. Look at WorkQueue::pop and WorkQueue::done (src/ex2_queue.rs)");
        let last = q.pop();
        require!(got == [1, 2, 3, 4] && last.is_none(),
            expected: "items 1, 2, 3 and the pushed 4, then None once all four are done",
            got: format!("{got:?}, then {last:?}"),
            look_at: "WorkQueue::pop and WorkQueue::push (src/ex2_queue.rs)");
    }

    /// One item held by the test; a second worker must wait, not quit, and
    /// get what the first one pushes.
    fn pop_waits_while_another_worker_holds_an_item() {
        let q = WorkQueue::new(vec![1]);
        let first = q.pop();
        assert_eq!(first, Some(1), "pop() on a queue made with [1]");
        let (tx, rx) = mpsc::channel();
        thread::scope(|s| {
            blocked_pop(s, &q, tx, "the test still holds item 1");
            // The holder finds a sub-folder and pushes it: the waiter gets it.
            q.push(2);
            support::step("waiting for the blocked pop() to return the item just pushed",
                "push() did not wake the waiting pop(). Does push notify the Condvar that \
                 pop waits on? Look at WorkQueue::push (src/ex2_queue.rs)");
            let got = rx.recv().unwrap();
            require!(got == Some(2),
                expected: "the waiting pop() to return Some(2), pushed while it waited",
                got: format!("{got:?}"),
                look_at: "WorkQueue::push and WorkQueue::pop (src/ex2_queue.rs)");
            q.done();
        });
    }

    /// Two workers asleep in pop; the last item is done with nothing
    /// pushed: both must wake and get None.
    fn the_last_done_wakes_every_waiter() {
        let q = WorkQueue::new(vec![1]);
        assert_eq!(q.pop(), Some(1), "pop() on a queue made with [1]");
        let (tx, rx) = mpsc::channel();
        thread::scope(|s| {
            blocked_pop(s, &q, tx.clone(), "the test still holds item 1");
            blocked_pop(s, &q, tx, "the test still holds item 1");
            q.done();
            support::step("waiting for both blocked pop() calls to return None after the \
                           last done()", WAKES_NOBODY);
            let got = [rx.recv().unwrap(), rx.recv().unwrap()];
            require!(got == [None, None],
                expected: "both waiting pop() calls to return None: the queue is empty and \
                           nothing is in progress, so the work is over",
                got: format!("{got:?}"),
                look_at: "WorkQueue::done and WorkQueue::pop (src/ex2_queue.rs)");
        });
    }
}
