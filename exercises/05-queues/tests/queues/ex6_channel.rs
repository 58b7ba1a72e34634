use queues::ex6_channel::channel;
#[cfg(not(feature = "model"))]
use queues::ex6_channel::{RecvError, SendError};

#[cfg(not(feature = "model"))]
use std::sync::Arc;
#[cfg(not(feature = "model"))]
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering::SeqCst};

#[cfg(not(feature = "model"))]
support::isolated_tests! {
    fn items_come_out_in_order_then_the_channel_disconnects() {
        let (tx, rx) = channel(3);
        support::step("sending 3 items into a channel of capacity 3", "send() waits although there is room");
        for i in 1..=3 {
            tx.send(i).unwrap();
        }
        support::require!(rx.len() == 3 && !rx.is_empty(),
            expected: "3 items waiting (not empty)", got: rx.len(),
            look_at: "Sender::send, Receiver::len and is_empty");
        drop(tx);
        support::step("receiving after the only Sender was dropped",
            "recv() waits although items are waiting");
        let got: Vec<i32> = (0..3).map(|_| rx.recv().unwrap_or(-1)).collect();
        support::require!(got == [1, 2, 3],
            expected: "[1, 2, 3]: items sent before the last Sender went still arrive",
            got: format!("{got:?}"),
            look_at: "Receiver::recv: take an item if there is one, before looking at senders");
        let end = rx.recv();
        support::require!(end == Err(RecvError) && rx.is_empty(),
            expected: "Err(RecvError) once the channel is empty and no Sender is left",
            got: format!("{end:?}"),
            look_at: "Receiver::recv: count the senders (Clone adds one, Drop removes one)");
    }

    fn a_zero_capacity_is_refused() {
        let (tx, rx) = channel::<u8>(1);
        tx.send(1).unwrap();
        support::require!(rx.recv() == Ok(1),
            expected: "a channel of capacity 1 to carry an item", got: "something else",
            look_at: "channel, Sender::send, Receiver::recv");
        let zero = std::panic::catch_unwind(|| channel::<u8>(0));
        support::require!(zero.is_err(),
            expected: "channel(0) to panic (this channel has no rendezvous mode)",
            got: "a channel", look_at: "channel: assert!(capacity > 0)");
    }

    fn a_clone_keeps_the_channel_open() {
        let (tx, rx) = channel(2);
        let tx2 = tx.clone();
        drop(tx);
        tx2.send(5).unwrap();
        support::require!(rx.recv() == Ok(5),
            expected: "Ok(5) from the clone", got: "something else",
            look_at: "Sender::clone: one more sender");
        drop(tx2);
        support::step("recv() after every Sender was dropped",
            "recv() waits forever: it should see that no Sender is left");
        support::require!(rx.recv() == Err(RecvError),
            expected: "Err(RecvError) after the last clone went", got: "an item",
            look_at: "Sender's Drop: one sender fewer");
    }

    fn sending_to_a_dropped_receiver_gives_the_item_back() {
        let (tx, rx) = channel(1);
        drop(rx);
        support::step("send() with no receiver", "send() waits for a receiver that is gone");
        support::require!(tx.send("lost") == Err(SendError("lost")),
            expected: "Err(SendError(\"lost\"))", got: "Ok", look_at: "Sender::send: is the receiver alive?");
    }

    /// A receiver blocked on an empty channel must wake when the last
    /// Sender is dropped.
    fn dropping_the_last_sender_wakes_a_blocked_receiver() {
        let (tx, rx) = channel::<u8>(1);
        let tid = Arc::new(AtomicI32::new(0));
        let t2 = Arc::clone(&tid);
        let waiter = std::thread::spawn(move || {
            t2.store(crate::thread_id(), SeqCst);
            rx.recv()
        });
        crate::until_blocked_or_done(&tid, || waiter.is_finished());
        drop(tx);
        support::step("waiting for a receiver that was blocked when the last Sender was dropped",
            "the receiver sleeps on: it went to sleep before the last Sender left, and \
             nobody told it. What should a departing last Sender do?");
        let got = waiter.join().unwrap();
        support::require!(got == Err(RecvError),
            expected: "Err(RecvError)", got: format!("{got:?}"), look_at: "Sender's Drop");
    }

    /// A sender blocked on a full channel must fail when the receiver goes.
    fn dropping_the_receiver_wakes_a_blocked_sender() {
        let (tx, rx) = channel(1);
        tx.send(1).unwrap();
        let tid = Arc::new(AtomicI32::new(0));
        let t2 = Arc::clone(&tid);
        let waiter = std::thread::spawn(move || {
            t2.store(crate::thread_id(), SeqCst);
            tx.send(2)
        });
        crate::until_blocked_or_done(&tid, || waiter.is_finished());
        drop(rx);
        support::step("waiting for a sender that was blocked on a full channel when the receiver went",
            "the sender waits for room that will never come: what should a departing \
             Receiver do?");
        let got = waiter.join().unwrap();
        support::require!(got == Err(SendError(2)),
            expected: "Err(SendError(2))", got: format!("{got:?}"),
            look_at: "Receiver's Drop, and the wait loop in Sender::send");
    }

    /// Four senders, one receiver, 4 slots, 8000 items.
    fn many_senders_move_every_item_once() within 20 s {
        let (tx, rx) = channel(4);
        let over = Arc::new(AtomicBool::new(false));
        support::step("4 senders x 2000 items -> 4 slots -> 1 receiver",
            "a send() or recv() waits forever: after changing the queue, wake the other side");
        std::thread::scope(|s| {
            for p in 0..4u32 {
                let tx = tx.clone();
                s.spawn(move || {
                    for i in 0..2000 {
                        tx.send(p * 2000 + i).unwrap();
                    }
                });
            }
            drop(tx);
            let mut got = Vec::new();
            for x in &rx {
                if rx.len() > 4 {
                    over.store(true, SeqCst);
                }
                got.push(x);
            }
            got.sort_unstable();
            support::require!(got == (0..8000).collect::<Vec<_>>() && !over.load(SeqCst),
                expected: "each of the 8000 items once, never more than 4 in the channel",
                got: format!("{} items, capacity exceeded: {}", got.len(), over.load(SeqCst)),
                look_at: "Sender::send: wait while full, in a loop");
        });
    }
}

#[cfg(feature = "model")]
mod model {
    use super::*;
    use queues::given::thread;

    support::isolated_tests! {
        fn dropping_the_last_sender_wakes_the_receiver_in_every_interleaving() {
            crate::model_check::explore(
                "a receiver waiting on an empty channel returns Err once the only Sender is dropped",
                "Sender's Drop: the receiver may already be asleep when the last Sender goes",
                || {
                    let (tx, rx) = channel::<u8>(1);
                    let receiver = thread::spawn(move || rx.recv());
                    drop(tx);
                    assert!(receiver.join().unwrap().is_err());
                },
            );
        }

        fn two_senders_never_overfill_one_slot_in_every_interleaving() within 30 s {
            crate::model_check::explore(
                "two senders and a receiver through one slot: never two items inside",
                "Sender::send: after waking, is there really room? Another sender may have \
                 taken it",
                || {
                    let (tx, rx) = channel::<u8>(1);
                    tx.send(0).unwrap();
                    let senders: Vec<_> = (1..=2)
                        .map(|i| {
                            let tx = tx.clone();
                            thread::spawn(move || tx.send(i).unwrap())
                        })
                        .collect();
                    drop(tx);
                    let mut got = vec![rx.recv().unwrap()];
                    assert!(rx.len() <= 1, "a one-slot channel held {} items", rx.len());
                    while let Ok(x) = rx.recv() {
                        assert!(rx.len() <= 1, "a one-slot channel held more than one item");
                        got.push(x);
                    }
                    for s in senders {
                        s.join().unwrap();
                    }
                    got.sort_unstable();
                    assert_eq!(got, [0, 1, 2]);
                },
            );
        }
    }
}
