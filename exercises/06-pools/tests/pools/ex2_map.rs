use std::sync::{Arc, Barrier, Mutex};
use std::thread::{self, ThreadId};

use pools::ex2_map::map;
use support::require;

use crate::Latch;

const FINISH_ORDER: &str = "map returned its results in the order the chunks finished, \
     not in the order of the input";

support::isolated_tests! {
    /// Task 0 is made to finish last: it waits for a latch that task 5 (the
    /// last one) opens. The results must still be in input order.
    fn results_keep_the_input_order_when_task_0_finishes_last() {
        let latch = Latch::default();
        let items: Vec<u64> = (0..6).collect();
        support::step("waiting for map over 6 items where task 0 waits for task 5",
            "task 0 waits for task 5, which never runs: do all workers take chunks \
             from the queue at the same time, or does one worker run them all in turn?");
        let got = map(2, &items, Some(1), |&x| {
            if x == 0 { latch.wait() }
            if x == 5 { latch.open() }
            x * 10
        });
        require!(got == [0, 10, 20, 30, 40, 50],
            expected: "[0, 10, 20, 30, 40, 50]: f(items[i]) at index i",
            got: format!("{got:?} (task 0 finished last). {FINISH_ORDER}"),
            look_at: "map: each chunk's results come back with the place they belong; \
                      how do you put them back in that place?");
    }

    /// 101 items in chunks of 10: the last chunk holds one item.
    fn every_item_is_mapped_including_the_last_partial_chunk() {
        let items: Vec<u64> = (0..101).collect();
        let got = map(3, &items, Some(10), |&x| x + 1);
        let want: Vec<u64> = (1..102).collect();
        require!(got == want,
            expected: "101 results, 1 ..= 101, in order",
            got: format!("{} results, the last one {:?}", got.len(), got.last()),
            look_at: "map, and chunk_ranges from exercise 1: is the last, shorter chunk \
                      queued too? Are results out of order?");
    }

    /// Two workers meet at a barrier of two: they run at the same time.
    fn two_workers_run_at_once() {
        let barrier = Barrier::new(2);
        let items = [1u64, 2];
        support::step("waiting for tasks 0 and 1 to meet at a barrier of 2",
            "only one task runs at a time: are `workers` threads taking chunks at once?");
        let got = map(2, &items, Some(1), |&x| {
            barrier.wait();
            x
        });
        require!(got == [1, 2],
            expected: "[1, 2]",
            got: format!("{got:?}"),
            look_at: "map: collect every result, in order");
    }

    /// 200 items on 3 workers run on at most 3 threads, none of them the
    /// caller's: a pool reuses its workers.
    fn the_workers_are_reused_and_not_the_caller() {
        let seen: Arc<Mutex<Vec<ThreadId>>> = Arc::default();
        let items: Vec<u64> = (0..200).collect();
        let got = map(3, &items, None, |&x| {
            seen.lock().unwrap().push(thread::current().id());
            x * 2
        });
        let ids = seen.lock().unwrap().clone();
        let n = crate::distinct(&ids);
        require!(ids.len() == 200 && (1..=3).contains(&n),
            expected: "200 calls of f on at most 3 threads",
            got: format!("{} calls on {n} threads", ids.len()),
            look_at: "map: start `workers` threads, each one taking chunk after chunk, \
                      not a thread per chunk");
        require!(!ids.contains(&thread::current().id()),
            expected: "no call of f on the calling thread",
            got: "f ran on the thread that called map",
            look_at: "map: only the worker threads call f");
        require!(got.iter().enumerate().all(|(i, &r)| r == 2 * i as u64),
            expected: "f(items[i]) at index i",
            got: format!("{:?}...", &got[..got.len().min(8)]),
            look_at: "map: the results in input order");
    }

    /// An empty input gives an empty result, and starts no work.
    fn an_empty_input_gives_an_empty_result() {
        let items: [u64; 0] = [];
        let got = map(4, &items, None, |&x| x);
        require!(got.is_empty(),
            expected: "an empty Vec",
            got: format!("{got:?}"),
            look_at: "map with no items: the default chunksize is 0; no chunks, no results");
    }
}
