#[cfg(not(feature = "model"))]
use queues::ex9_oneshot::Sender;
use queues::ex9_oneshot::{Canceled, oneshot};

#[cfg(not(feature = "model"))]
use std::sync::Arc;
#[cfg(not(feature = "model"))]
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering::SeqCst};

/// A value that counts how many times it was dropped.
#[cfg(not(feature = "model"))]
struct Counted(Arc<AtomicUsize>);

#[cfg(not(feature = "model"))]
impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, SeqCst);
    }
}

#[cfg(not(feature = "model"))]
support::isolated_tests! {
    fn a_value_sent_first_is_received() {
        let (tx, rx) = oneshot();
        support::require!(!rx.is_ready(),
            expected: "is_ready() false before anything happened", got: true,
            look_at: "Receiver::is_ready");
        support::step("sending with nobody waiting yet", "send() waits: it should never wait");
        let sent = tx.send(42);
        support::require!(sent.is_ok() && rx.is_ready(),
            expected: "send to be Ok and is_ready() true after it",
            got: format!("{sent:?}, is_ready() {}", rx.is_ready()),
            look_at: "Sender::send and Receiver::is_ready");
        support::step("receiving a value that was sent before", "recv() waits for a value that is already there");
        let got = rx.recv();
        support::require!(got == Ok(42),
            expected: "Ok(42)", got: format!("{got:?}"),
            look_at: "Receiver::recv: the Sender is dropped at the end of every send. Does recv \
                      look for the value before it looks at whether the sender is gone?");
    }

    fn a_receiver_blocked_before_the_send_is_woken() {
        let (tx, rx) = oneshot::<String>();
        let tid = Arc::new(AtomicI32::new(0));
        let t2 = Arc::clone(&tid);
        let waiter = std::thread::spawn(move || {
            t2.store(crate::thread_id(), SeqCst);
            rx.recv()
        });
        crate::until_blocked_or_done(&tid, || waiter.is_finished());
        support::require!(!waiter.is_finished(),
            expected: "recv() to wait while nothing was sent", got: "it returned",
            look_at: "Receiver::recv: wait (in a loop) while there is no value and the sender is there");
        tx.send("hello".to_string()).unwrap();
        support::step("waiting for a receiver that was asleep in recv() when the value was sent",
            "the receiver sleeps on: it went to sleep before the value came, and nobody \
             woke it. Who must notify the Condvar, and when?");
        let got = waiter.join().unwrap();
        support::require!(got.as_deref() == Ok("hello"),
            expected: "Ok(\"hello\")", got: format!("{got:?}"),
            look_at: "Sender::send and Drop for Sender");
    }

    fn dropping_the_sender_unsent_cancels() {
        let (tx, rx) = oneshot::<u8>();
        drop(tx);
        support::require!(rx.is_ready(),
            expected: "is_ready() true once the sender is gone (recv would not wait)",
            got: false, look_at: "Drop for Sender, and Receiver::is_ready");
        support::step("recv() after the sender was dropped", "recv() waits for a sender that is gone");
        let got = rx.recv();
        support::require!(got == Err(Canceled),
            expected: "Err(Canceled)", got: format!("{got:?}"),
            look_at: "Drop for Sender: mark the sender gone; Receiver::recv: check it");
    }

    fn dropping_the_sender_wakes_a_blocked_receiver() {
        let (tx, rx) = oneshot::<u8>();
        let tid = Arc::new(AtomicI32::new(0));
        let t2 = Arc::clone(&tid);
        let waiter = std::thread::spawn(move || {
            t2.store(crate::thread_id(), SeqCst);
            rx.recv()
        });
        crate::until_blocked_or_done(&tid, || waiter.is_finished());
        drop(tx);
        support::step("waiting for a receiver that was asleep in recv() when the sender was dropped",
            "the receiver sleeps on: the sender went away unused while it slept, and nobody \
             woke it. What must a departing Sender do?");
        let got = waiter.join().unwrap();
        support::require!(got == Err(Canceled),
            expected: "Err(Canceled)", got: format!("{got:?}"), look_at: "Drop for Sender");
    }

    fn sending_to_a_dropped_receiver_gives_the_value_back() {
        let drops = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = oneshot();
        drop(rx);
        let back = tx.send(Counted(Arc::clone(&drops)));
        support::require!(back.is_err() && drops.load(SeqCst) == 0,
            expected: "Err(value): the value comes back, not dropped",
            got: format!("is_err {}, the value dropped {} times", back.is_err(), drops.load(SeqCst)),
            look_at: "Sender::send: is the receiver still there? Drop for Receiver: say it is gone");
        drop(back);
        support::require!(drops.load(SeqCst) == 1,
            expected: "the value dropped once, by whoever got it back", got: drops.load(SeqCst),
            look_at: "Sender::send");
    }

    fn a_value_nobody_receives_is_dropped_once() {
        let drops = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = oneshot();
        support::require!(tx.send(Counted(Arc::clone(&drops))).is_ok(),
            expected: "send to succeed while the receiver exists", got: "Err",
            look_at: "Sender::send");
        support::require!(drops.load(SeqCst) == 0,
            expected: "the value kept in the channel until someone takes it",
            got: "it was dropped already", look_at: "Sender::send");
        drop(rx);
        support::require!(drops.load(SeqCst) == 1,
            expected: "the unreceived value dropped exactly once, when the channel goes",
            got: format!("dropped {} times", drops.load(SeqCst)),
            look_at: "the channel's state owns the value (an Option<T>)");
    }

    /// One-shot channels as replies: each of 8 jobs answers through its own.
    fn every_request_gets_its_own_reply() {
        let (jobs, todo) = std::sync::mpsc::channel::<(u64, Sender<u64>)>();
        let worker = std::thread::spawn(move || {
            for (n, reply) in todo {
                let _ = reply.send(n * n);
            }
        });
        let replies: Vec<_> = (0..8u64)
            .map(|n| {
                let (tx, rx) = oneshot();
                jobs.send((n, tx)).unwrap();
                rx
            })
            .collect();
        drop(jobs);
        support::step("waiting for 8 replies", "a recv() waits for a reply that was sent");
        let got: Vec<_> = replies.into_iter().map(|rx| rx.recv()).collect();
        worker.join().unwrap();
        let want: Vec<Result<u64, Canceled>> = (0..8).map(|n| Ok(n * n)).collect();
        support::require!(got == want,
            expected: format!("{want:?}"), got: format!("{got:?}"),
            look_at: "Sender::send and Receiver::recv: each channel carries its own value");
    }
}

#[cfg(feature = "model")]
mod model {
    use super::*;
    use queues::given::thread;

    support::isolated_tests! {
        fn a_waiting_receiver_gets_the_value_in_every_interleaving() {
            crate::model_check::explore(
                "a receiver, waiting or not, gets the value a sender on another thread sends",
                "Sender::send and Drop for Sender: the receiver may be asleep already when the \
                 value comes",
                || {
                    let (tx, rx) = oneshot::<u8>();
                    let sender = thread::spawn(move || tx.send(7).is_ok());
                    assert_eq!(rx.recv(), Ok(7));
                    assert!(sender.join().unwrap());
                },
            );
        }

        fn a_dropped_sender_wakes_the_receiver_in_every_interleaving() {
            crate::model_check::explore(
                "a receiver, waiting or not, gets Err(Canceled) when the sender is dropped \
                 unused on another thread",
                "Drop for Sender: the receiver may be asleep already when the sender goes. \
                 What must a departing Sender do?",
                || {
                    let (tx, rx) = oneshot::<u8>();
                    let dropper = thread::spawn(move || drop(tx));
                    assert_eq!(rx.recv(), Err(Canceled));
                    dropper.join().unwrap();
                },
            );
        }
    }
}
