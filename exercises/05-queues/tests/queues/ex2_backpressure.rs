#[cfg(not(feature = "model"))]
use std::sync::Arc;
#[cfg(not(feature = "model"))]
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering::SeqCst};

#[cfg(not(feature = "model"))]
use queues::ex2_backpressure::spawn_producer;

/// A source of `n` numbers that records, each time the producer pulls one,
/// how far ahead of the consumer the producer is (`pulled - received`).
#[cfg(not(feature = "model"))]
#[derive(Clone, Default)]
struct Watch {
    pulled: Arc<AtomicUsize>,
    received: Arc<AtomicUsize>,
    ahead: Arc<AtomicUsize>,
    producer: Arc<AtomicI32>,
}

#[cfg(not(feature = "model"))]
struct Source {
    watch: Watch,
    n: usize,
}

#[cfg(not(feature = "model"))]
impl Iterator for Source {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        let w = &self.watch;
        w.producer.store(crate::thread_id(), SeqCst);
        if w.pulled.load(SeqCst) >= self.n {
            return None;
        }
        let p = w.pulled.fetch_add(1, SeqCst) + 1;
        w.ahead.fetch_max(p - w.received.load(SeqCst), SeqCst);
        Some(p - 1)
    }
}

/// Receives everything, but before each item lets the producer run until
/// it blocks (or finishes): the producer gets every chance to run ahead.
/// Returns the items and the furthest the producer ever got ahead.
#[cfg(not(feature = "model"))]
fn run(n: usize, capacity: usize) -> (Vec<usize>, usize) {
    let watch = Watch::default();
    let (rx, producer) = spawn_producer(
        Source {
            watch: watch.clone(),
            n,
        },
        capacity,
    );
    support::step(
        &format!("receiving {n} items through a channel of capacity {capacity}"),
        "the items stop coming: does the producer send every item the source gives?",
    );
    let mut got = Vec::new();
    loop {
        crate::until_blocked_or_done(&watch.producer, || producer.is_finished());
        match rx.recv() {
            Ok(item) => {
                watch.received.fetch_add(1, SeqCst);
                got.push(item);
            }
            Err(_) => break,
        }
    }
    producer.join().expect("the producer thread panicked");
    (got, watch.ahead.load(SeqCst))
}

#[cfg(not(feature = "model"))]
fn check_bound(n: usize, capacity: usize) {
    let (got, ahead) = run(n, capacity);
    support::require!(got == (0..n).collect::<Vec<_>>(),
        expected: format!("the items 0..{n} in order"),
        got: format!("{} items: {:?}...", got.len(), &got[..got.len().min(8)]),
        look_at: "spawn_producer: send every item of the source, then stop");
    // In the channel: `capacity`; in the consumer's hands: 1; just pulled
    // by the producer, waiting to be sent: 1.
    let bound = capacity + 2;
    support::require!(ahead <= bound,
        expected: format!(
            "the producer never more than {bound} items ahead of the consumer \
             ({capacity} in the channel, one being received, one waiting to be sent)"),
        got: format!("it got {ahead} items ahead while the consumer was not receiving"),
        look_at: "spawn_producer: what kind of channel makes send() wait while \
                  the consumer is behind? (a high-water mark, not a stopwatch, found this)");
}

#[cfg(not(feature = "model"))]
support::isolated_tests! {
    fn every_item_arrives_in_order() {
        let (got, _) = run(500, 16);
        support::require!(got == (0..500).collect::<Vec<_>>(),
            expected: "the items 0..500 in order",
            got: format!("{} items", got.len()),
            look_at: "spawn_producer: one producer thread sending every item of the source");
    }

    /// The consumer waits before each item until the producer is blocked:
    /// with a bounded channel it can never be more than capacity + 2 ahead.
    fn the_producer_never_runs_more_than_capacity_ahead() within 10 s {
        check_bound(64, 4);
    }

    /// Capacity 0 is a rendezvous: every send waits for a receive.
    fn a_rendezvous_channel_holds_nothing() within 10 s {
        check_bound(32, 0);
    }

    /// A consumer that leaves early: the producer must notice (send fails)
    /// and end, without a panic, long before the source runs out.
    fn the_producer_stops_when_the_consumer_leaves() {
        let watch = Watch::default();
        let (rx, producer) = spawn_producer(Source { watch: watch.clone(), n: usize::MAX }, 2);
        for _ in 0..3 {
            rx.recv().expect("the producer should be sending");
        }
        drop(rx);
        support::step("joining the producer after the receiver was dropped",
            "the producer keeps going: what does send() return once no one can receive?");
        let joined = producer.join();
        support::require!(joined.is_ok(),
            expected: "the producer to end quietly when the receiver is gone",
            got: "it panicked",
            look_at: "spawn_producer: a failed send is the consumer saying goodbye, not a bug");
    }
}
