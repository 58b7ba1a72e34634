use queues::ex4_joinable::JoinableQueue;
#[cfg(not(feature = "model"))]
use queues::ex4_joinable::TooManyTaskDone;

#[cfg(not(feature = "model"))]
support::isolated_tests! {
    fn items_come_out_in_order_and_count_as_unfinished() {
        let q = JoinableQueue::new();
        for i in 1..=3 {
            q.put(i);
        }
        support::require!(q.unfinished_tasks() == 3,
            expected: "3 unfinished tasks after 3 puts", got: q.unfinished_tasks(),
            look_at: "JoinableQueue::put counts one more unfinished task");
        support::step("getting 3 items", "get() waits although there are items");
        let got: Vec<i32> = (0..3).map(|_| q.get()).collect();
        support::require!(got == [1, 2, 3],
            expected: "[1, 2, 3]", got: format!("{got:?}"), look_at: "put and get: first in, first out");
        support::require!(q.unfinished_tasks() == 3,
            expected: "still 3 unfinished: getting an item is not finishing it",
            got: q.unfinished_tasks(), look_at: "JoinableQueue::get");
        for left in (0..3).rev() {
            q.task_done().expect("task_done for an item that was put");
            support::require!(q.unfinished_tasks() == left,
                expected: format!("{left} unfinished"), got: q.unfinished_tasks(),
                look_at: "JoinableQueue::task_done");
        }
    }

    /// Python: `ValueError: task_done() called too many times`.
    fn a_surplus_task_done_is_an_error() {
        let q = JoinableQueue::new();
        q.put("only item");
        q.get();
        support::require!(q.task_done().is_ok(),
            expected: "the first task_done to succeed", got: "an error",
            look_at: "JoinableQueue::task_done");
        let surplus = q.task_done();
        support::require!(surplus == Err(TooManyTaskDone) && q.unfinished_tasks() == 0,
            expected: "a second task_done for one item: Err(TooManyTaskDone), and the count stays 0 \
                       (Python raises ValueError here)",
            got: format!("{surplus:?}, {} unfinished", q.unfinished_tasks()),
            look_at: "JoinableQueue::task_done: what if nothing is unfinished?");
        let said = TooManyTaskDone.to_string();
        support::require!(said.contains("task_done"),
            expected: "the error to say what went wrong (mention task_done)",
            got: said, look_at: "impl Display for TooManyTaskDone");
        q.put("next");
        support::require!(q.unfinished_tasks() == 1,
            expected: "1 unfinished after one more put", got: q.unfinished_tasks(),
            look_at: "task_done must not change the count when it fails");
    }

    fn join_on_a_queue_with_nothing_unfinished_returns_at_once() {
        let q = JoinableQueue::<u8>::new();
        support::step("join() on a new queue", "join() waits although nothing was ever put");
        q.join();
    }

    /// A joiner already asleep in join() stays asleep after the first of
    /// two task_done calls, and wakes after the second.
    fn a_waiting_join_wakes_at_the_last_task_done_only() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicI32, Ordering::SeqCst};
        let q = Arc::new(JoinableQueue::new());
        q.put(1);
        q.put(2);
        q.get();
        q.get();
        let tid = Arc::new(AtomicI32::new(0));
        let (q2, t2) = (Arc::clone(&q), Arc::clone(&tid));
        let joiner = std::thread::spawn(move || {
            t2.store(crate::thread_id(), SeqCst);
            q2.join();
        });
        crate::until_blocked_or_done(&tid, || joiner.is_finished());
        q.task_done().unwrap();
        crate::until_blocked_or_done(&tid, || joiner.is_finished());
        support::require!(!joiner.is_finished(),
            expected: "join() to go on waiting while 1 of 2 items is unfinished",
            got: "it returned", look_at: "JoinableQueue::join: wait while anything is unfinished");
        q.task_done().unwrap();
        support::step("waiting for a joiner that was asleep when the last task_done came",
            "join() never returns: the count reached 0 while it slept. Who tells it?");
        joiner.join().unwrap();
    }

    /// Workers get items and call task_done; join returns only after the
    /// last one, and then every item has been processed.
    fn join_returns_when_every_item_is_done() within 10 s {
        use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
        let q = JoinableQueue::new();
        let processed = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..3 {
                s.spawn(|| loop {
                    let item: Option<u32> = q.get();
                    match item {
                        Some(_) => {
                            processed.fetch_add(1, SeqCst);
                            q.task_done().unwrap();
                        }
                        None => {
                            q.task_done().unwrap();
                            return;
                        }
                    }
                });
            }
            for i in 0..300 {
                q.put(Some(i));
            }
            support::step("join() while 3 workers process 300 items",
                "join() never returns: is every waiter woken when the count reaches 0?");
            q.join();
            let seen = processed.load(SeqCst);
            support::require!(seen == 300,
                expected: "all 300 items processed when join() returns",
                got: format!("{seen} processed"),
                look_at: "JoinableQueue::join: wait while anything is unfinished");
            for _ in 0..3 {
                q.put(None);
            }
        });
    }
}

#[cfg(feature = "model")]
mod model {
    use super::*;
    use crate::model_check::keep;
    use queues::given::{sync::Arc, thread};

    support::isolated_tests! {
        fn two_joiners_both_wake_in_every_interleaving() within 30 s {
            crate::model_check::explore(
                "two threads in join() both return once the one item is done",
                "JoinableQueue::task_done: when the count reaches 0, who is waiting? All of them \
                 wait for the same thing",
                || {
                    let q = keep(Arc::new(JoinableQueue::new()));
                    q.put(1u8);
                    let joiners: Vec<_> = (0..2)
                        .map(|_| {
                            let q = Arc::clone(&*q);
                            thread::spawn(move || q.join())
                        })
                        .collect();
                    q.get();
                    q.task_done().unwrap();
                    for j in joiners {
                        j.join().unwrap();
                    }
                },
            );
        }

        fn join_returns_only_after_task_done_in_every_interleaving() {
            crate::model_check::explore(
                "join() returns only after the worker's task_done, never before",
                "JoinableQueue::join: wait *while* anything is unfinished; task_done: count down \
                 under the lock, then wake the joiners",
                || {
                    use queues::given::sync::{AtomicUsize, Ordering};
                    let q = keep(Arc::new(JoinableQueue::new()));
                    let done = keep(Arc::new(AtomicUsize::new(0)));
                    q.put(7u8);
                    let (q2, d2) = (Arc::clone(&*q), Arc::clone(&*done));
                    let worker = thread::spawn(move || {
                        q2.get();
                        d2.store(1, Ordering::SeqCst);
                        q2.task_done().unwrap();
                    });
                    q.join();
                    assert_eq!(done.load(Ordering::SeqCst), 1, "join returned before task_done");
                    worker.join().unwrap();
                },
            );
        }
    }
}
