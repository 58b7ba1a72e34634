#[cfg(not(feature = "model"))]
use std::sync::Arc;
#[cfg(not(feature = "model"))]
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering::SeqCst};

#[cfg(not(feature = "model"))]
use crossbeam_channel::unbounded;
#[cfg(not(feature = "model"))]
use queues::ex5_select::{Merged, merge};

#[cfg(not(feature = "model"))]
support::isolated_tests! {
    /// Two producers, 100 and 50 items; every item arrives, each input in
    /// its own order, and the loop woke once per item plus once per
    /// disconnection.
    fn every_item_of_both_inputs_arrives() {
        let (ta, ra) = unbounded();
        let (tb, rb) = unbounded();
        let pa = std::thread::spawn(move || (0..100).for_each(|i| ta.send(i).unwrap()));
        let pb = std::thread::spawn(move || (0..50).for_each(|i| tb.send(i).unwrap()));
        let (mut from_a, mut from_b) = (Vec::new(), Vec::new());
        support::step("merging 100 items from a and 50 from b",
            "merge never returns after both producers are done: how does the loop know \
             both inputs are finished?");
        let wakeups = merge(ra, rb, |m| match m {
            Merged::A(x) => from_a.push(x),
            Merged::B(x) => from_b.push(x),
        });
        pa.join().unwrap();
        pb.join().unwrap();
        support::require!(from_a == (0..100).collect::<Vec<_>>() && from_b == (0..50).collect::<Vec<_>>(),
            expected: "a's 100 items and b's 50, each in the order sent",
            got: format!("{} from a, {} from b", from_a.len(), from_b.len()),
            look_at: "merge: keep going until *both* inputs are disconnected");
        support::require!(wakeups == 152,
            expected: "152 wake-ups: one per item (150) and one per input disconnecting (2)",
            got: format!("{wakeups} wake-ups"),
            look_at: "merge: what does select! do with a channel that is already disconnected, \
                      the next time round the loop?");
    }

    /// Input a is done (disconnected) before b sends anything. merge must
    /// then *sleep* until b has something, not return and not spin.
    fn merge_sleeps_while_one_input_is_still_open() within 10 s {
        let (ta, ra) = unbounded::<u32>();
        let (tb, rb) = unbounded::<u32>();
        for i in 0..3 {
            ta.send(i).unwrap();
        }
        drop(ta);
        let merger = Arc::new(AtomicI32::new(0));
        let seen = Arc::new(AtomicUsize::new(0));
        let (m, s) = (Arc::clone(&merger), Arc::clone(&seen));
        let run = std::thread::spawn(move || {
            m.store(crate::thread_id(), SeqCst);
            let mut got = Vec::new();
            let wakeups = merge(ra, rb, |x| {
                s.fetch_add(1, SeqCst);
                got.push(x);
            });
            (got, wakeups)
        });
        support::step("waiting for merge to go to sleep: a is done, b is open but quiet",
            "merge never went to sleep while input b was open and quiet: it is running round \
             its loop. What does a disconnected input look like to select!, every time?");
        loop {
            crate::until_blocked_or_done(&merger, || run.is_finished());
            if run.is_finished() || seen.load(SeqCst) == 3 {
                break;
            }
        }
        let returned_early = run.is_finished();
        for i in 10..15 {
            let _ = tb.send(i);
        }
        drop(tb);
        let (got, wakeups) = run.join().expect("merge panicked");
        let from_b: Vec<u32> = got.iter().filter_map(|m| match m { Merged::B(x) => Some(*x), _ => None }).collect();
        support::require!(!returned_early && from_b == [10, 11, 12, 13, 14],
            expected: "merge to wait for b after a disconnected, and deliver b's 5 items",
            got: format!("merge {} returned; b's items: {from_b:?}",
                if returned_early { "had already" } else { "then" }),
            look_at: "merge: one input disconnecting is not the end of the other");
        support::require!(wakeups == 10,
            expected: "10 wake-ups (3 + 5 items, 2 disconnections)",
            got: wakeups,
            look_at: "merge: count one wake-up per select!");
    }
}
