#[cfg(not(feature = "model"))]
use std::sync::atomic::{AtomicI32, Ordering::SeqCst};
#[cfg(not(feature = "model"))]
use std::sync::{Arc, Barrier, mpsc};

#[cfg(not(feature = "model"))]
use queues::ex3_disconnect::{Producer, gather};

/// Producer `p` sends (p, 0), (p, 1), ... (p, count - 1).
#[cfg(not(feature = "model"))]
fn numbered(p: usize, count: usize) -> Producer<(usize, usize)> {
    Box::new(move |tx| {
        for i in 0..count {
            tx.send((p, i)).expect("gather stopped receiving early");
        }
    })
}

/// Checks that every item arrived once and that each producer's items
/// arrived in the order it sent them.
#[cfg(not(feature = "model"))]
fn check_all(items: &[(usize, usize)], counts: &[usize]) {
    for (p, &count) in counts.iter().enumerate() {
        let mine: Vec<usize> = items
            .iter()
            .filter(|(q, _)| *q == p)
            .map(|(_, i)| *i)
            .collect();
        support::require!(mine == (0..count).collect::<Vec<_>>(),
            expected: format!("producer {p}'s {count} items, each once, in the order it sent them"),
            got: format!("{} of them: {:?}...", mine.len(), &mine[..mine.len().min(8)]),
            look_at: "gather: collect until the channel says every producer is done");
    }
}

#[cfg(not(feature = "model"))]
support::isolated_tests! {
    fn every_item_of_every_producer_arrives() {
        support::step("gathering from 4 producers of 250 items",
            "gather never returns: the loop over the receiver ends only when every \
             Sender is gone. Which Senders still exist once the producers are done?");
        let got = gather((0..4).map(|p| numbered(p, 250)).collect());
        check_all(&got.items, &[250; 4]);
        support::require!(got.panicked == 0,
            expected: "no producer panicked", got: got.panicked,
            look_at: "gather: count the producers whose thread panicked");
    }

    /// Order holds per producer, not across them: producer 1's items come
    /// in order, producer 0's too, but interleaved somehow.
    fn a_producer_that_sends_nothing_is_no_problem() {
        support::step("gathering from a producer that sends nothing and one that sends 3",
            "gather never returns: which Senders still exist once the producers are done?");
        let got = gather(vec![numbered(0, 0), numbered(1, 3)]);
        check_all(&got.items, &[0, 3]);
    }

    fn no_producers_means_nothing_to_gather() {
        support::step("gathering from no producers at all",
            "gather never returns with no producers: the channel can only disconnect when \
             the last Sender goes. Is there a Sender no producer ever got?");
        let got = gather::<u8>(Vec::new());
        support::require!(got.items.is_empty() && got.panicked == 0,
            expected: "nothing", got: format!("{got:?}"), look_at: "gather");
    }

    /// Producer 1 starts only once gather is waiting (blocked on an empty
    /// queue): an empty queue is not the end, only disconnection is.
    fn gather_waits_for_a_late_producer() within 10 s {
        let gatherer = Arc::new(AtomicI32::new(0));
        let (go_tx, go_rx) = mpsc::channel::<()>();
        let late: Producer<(usize, usize)> = Box::new(move |tx| {
            let _ = go_rx.recv();
            for i in 0..5 {
                // The late items may find no one listening (that is what
                // this test is about): do not panic here.
                let _ = tx.send((1, i));
            }
        });
        let g = Arc::clone(&gatherer);
        let run = std::thread::spawn(move || {
            g.store(crate::thread_id(), SeqCst);
            gather(vec![numbered(0, 3), late])
        });
        support::step("waiting for gather to block on the queue while producer 1 has not started",
            "gather neither blocks nor returns: does it wait for items, or poll in a loop?");
        crate::until_blocked_or_done(&gatherer, || run.is_finished());
        let returned_early = run.is_finished();
        go_tx.send(()).ok();
        let got = run.join().expect("gather panicked");
        support::require!(!returned_early && got.items.iter().filter(|(p, _)| *p == 1).count() == 5,
            expected: "gather to wait for producer 1, who starts late, and return its 5 items too",
            got: format!("{} of producer 1's items (gather {} before producer 1 started)",
                got.items.iter().filter(|(p, _)| *p == 1).count(),
                if returned_early { "had already returned" } else { "was still running" }),
            look_at: "gather: an empty queue only means nothing has been sent *yet*. What tells \
                      you that no producer will ever send again?");
    }

    fn a_panicking_producer_is_counted_and_the_others_still_arrive() {
        let start = Arc::new(Barrier::new(2));
        let s2 = Arc::clone(&start);
        let bad: Producer<(usize, usize)> = Box::new(move |tx| {
            tx.send((0, 0)).unwrap();
            tx.send((0, 1)).unwrap();
            s2.wait();
            panic!("producer 0 fails on purpose (this panic is expected)");
        });
        let s1 = Arc::clone(&start);
        let good: Producer<(usize, usize)> = Box::new(move |tx| {
            s1.wait();
            for i in 0..5 {
                tx.send((1, i)).unwrap();
            }
        });
        support::step("gathering from a producer that panics and one that does not",
            "gather never returns when a producer panics: a panicking thread still drops \
             its Sender, so what else keeps the channel open?");
        let got = gather(vec![bad, good]);
        check_all(&got.items, &[2, 5]);
        support::require!(got.panicked == 1,
            expected: "1 producer counted as panicked",
            got: got.panicked,
            look_at: "gather: JoinHandle::join returns Err for a thread that panicked");
    }
}
