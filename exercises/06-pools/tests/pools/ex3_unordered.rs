use std::sync::{Arc, Barrier, Mutex};
use std::thread::{self, ThreadId};

use pools::ex3_unordered::imap_unordered;
use support::require;

use crate::Latch;

support::isolated_tests! {
    /// Task 0 waits for a latch that this test opens only after it has
    /// received some other result. An iterator that hands results out in
    /// input order would wait for task 0 forever.
    fn a_result_is_handed_out_while_task_0_still_runs() {
        let latch = Latch::default();
        let gate = latch.clone();
        let mut results = imap_unordered(2, (0..5u64).collect(), move |x| {
            if x == 0 { gate.wait() }
            x * 10
        });
        support::step("waiting for the first result while task 0 waits for it",
            "the iterator holds back results that finished before task 0: results \
             in input order are imap, not imap_unordered. Does a worker hand over each \
             result the moment its task has finished?");
        let first = results.next();
        require!(matches!(first, Some((i, r)) if i != 0 && r == i as u64 * 10),
            expected: "some (i, 10 * i) with i != 0: task 0 is still running",
            got: format!("{first:?}"),
            look_at: "imap_unordered: each pair is (index, f(items[index]))");
        latch.open();
        support::step("waiting for the other results after task 0 was let go",
            "the iterator never ends: does the channel close when every worker is done?");
        let mut all: Vec<(usize, u64)> = results.collect();
        all.extend(first);
        all.sort();
        require!(all == [(0, 0), (1, 10), (2, 20), (3, 30), (4, 40)],
            expected: "every (index, result) exactly once: (0, 0) .. (4, 40)",
            got: format!("{all:?}"),
            look_at: "imap_unordered: every task sends one pair, then the iterator ends");
    }

    /// Every item is computed exactly once, and the iterator ends.
    fn every_result_comes_exactly_once() {
        support::step("collecting 100 results", "the iterator never ends: does every sender go away?");
        let mut all: Vec<(usize, u64)> = imap_unordered(3, (0..100u64).collect(), |x| x + 1).collect();
        all.sort();
        let want: Vec<(usize, u64)> = (0..100).map(|i| (i, i as u64 + 1)).collect();
        require!(all == want,
            expected: "100 pairs (i, i + 1), each once",
            got: format!("{} pairs: {:?}...", all.len(), &all[..all.len().min(6)]),
            look_at: "imap_unordered: one pair per item, with the item's own index");
    }

    /// Two workers meet at a barrier of two; at most 2 threads ever run f.
    fn workers_run_at_once_and_are_reused() {
        let barrier = Arc::new(Barrier::new(2));
        let seen: Arc<Mutex<Vec<ThreadId>>> = Arc::default();
        let record = Arc::clone(&seen);
        support::step("waiting for tasks 0 and 1 to meet at a barrier of 2",
            "only one task runs at a time: are `workers` threads started?");
        let got: Vec<(usize, u64)> = imap_unordered(2, (0..40u64).collect(), move |x| {
            if x < 2 { barrier.wait(); }
            record.lock().unwrap().push(thread::current().id());
            x
        }).collect();
        let ids = seen.lock().unwrap().clone();
        require!(got.len() == 40 && crate::distinct(&ids) == 2,
            expected: "40 results computed on exactly 2 threads",
            got: format!("{} results on {} threads", got.len(), crate::distinct(&ids)),
            look_at: "imap_unordered: `workers` threads, each taking item after item");
    }
}
