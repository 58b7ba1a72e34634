use synchronization::ex5_bounded_buffer::BoundedBuffer;

#[cfg(not(feature = "model"))]
use std::sync::mpsc;

#[cfg(not(feature = "model"))]
support::isolated_tests! {
    fn items_come_out_in_the_order_they_went_in() {
        let b = BoundedBuffer::new(3);
        support::require!(b.capacity() == 3 && b.is_empty(),
            expected: "a new buffer of capacity 3, empty",
            got: format!("capacity {}, len {}", b.capacity(), b.len()),
            look_at: "BoundedBuffer::new, capacity, len");
        support::step("pushing 3 items into a buffer of capacity 3", "push() waits although there is room");
        for i in 1..=3 {
            b.push(i);
        }
        support::require!(b.len() == 3, expected: "len 3", got: b.len(), look_at: "BoundedBuffer::push");
        support::step("popping 3 items", "pop() waits although there are items");
        let got: Vec<i32> = (0..3).map(|_| b.pop()).collect();
        support::require!(got == [1, 2, 3],
            expected: "[1, 2, 3] (first in, first out)", got: format!("{got:?}"),
            look_at: "BoundedBuffer: push_back and pop_front");
    }

    fn a_zero_capacity_is_refused() {
        let one = BoundedBuffer::<u8>::new(1);
        support::require!(one.capacity() == 1,
            expected: "capacity 1", got: one.capacity(), look_at: "BoundedBuffer::new");
        let zero = std::panic::catch_unwind(|| BoundedBuffer::<u8>::new(0));
        support::require!(zero.is_err(),
            expected: "BoundedBuffer::new(0) to panic (push could never succeed)",
            got: "a buffer of capacity 0", look_at: "BoundedBuffer::new: assert!(capacity > 0)");
    }

    fn push_waits_while_full() {
        let b = BoundedBuffer::new(1);
        b.push(1);
        let (tx, rx) = mpsc::channel();
        std::thread::scope(|s| {
            s.spawn(|| {
                b.push(2);
                tx.send(()).unwrap();
            });
            support::require!(rx.try_recv().is_err() && b.len() <= 1,
                expected: "push() into a full buffer to wait",
                got: format!("it returned, and the buffer holds {} of capacity 1", b.len()),
                look_at: "BoundedBuffer::push: wait while len == capacity");
            support::step("popping from a full buffer, so the waiting push() can finish",
                "pop() does not wake the waiting push(): notify not_full after taking an item");
            support::require!(b.pop() == 1, expected: "1", got: "another item", look_at: "pop");
            rx.recv().unwrap();
        });
        support::require!(b.pop() == 2, expected: "2", got: "another item", look_at: "pop");
    }

    /// Two producers and two consumers through 4 slots: every item arrives
    /// exactly once and the buffer never holds more than 4.
    fn many_producers_and_consumers_move_every_item_once() within 20 s {
        let b = BoundedBuffer::new(4);
        support::step("2 producers x 5000 items -> 4 slots -> 2 consumers",
            "a push() or pop() waits forever: after changing the buffer, notify the condvar the \
             other side waits on (a producer's notify_one on a condvar shared with other \
             producers can wake the wrong kind of thread)");
        let mut got: Vec<u32> = std::thread::scope(|s| {
            for p in 0..2u32 {
                let b = &b;
                s.spawn(move || {
                    for i in 0..5000 {
                        b.push(p * 5000 + i);
                    }
                });
            }
            let consumers: Vec<_> = (0..2)
                .map(|_| {
                    s.spawn(|| {
                        let mut mine = Vec::new();
                        for _ in 0..5000 {
                            mine.push(b.pop());
                            let len = b.len();
                            assert!(len <= 4, "the buffer held {len} items, capacity 4 (look at push: while full, wait)");
                        }
                        mine
                    })
                })
                .collect();
            consumers.into_iter().flat_map(|c| c.join().unwrap()).collect()
        });
        got.sort_unstable();
        let want: Vec<u32> = (0..10_000).collect();
        support::require!(got == want,
            expected: "each of the 10000 items exactly once",
            got: format!("{} items, first differences near {:?}", got.len(),
                got.iter().zip(&want).find(|(a, b)| a != b)),
            look_at: "BoundedBuffer::push and pop: one Mutex around the VecDeque");
    }
}

#[cfg(feature = "model")]
mod model {
    use super::*;
    use crate::model_check::keep;
    use synchronization::given::{sync::Arc, thread};

    support::isolated_tests! {
        fn a_one_slot_buffer_hands_over_in_order_in_every_interleaving() {
            crate::model_check::explore(
                "a producer pushes 1, 2 through one slot; the consumer gets 1, 2 and never sees \
                 more than one item inside",
                "BoundedBuffer: push waits `while len == capacity` on not_full, pop waits `while \
                 empty` on not_empty, and each notifies the other side after changing the buffer",
                || {
                    let b = keep(Arc::new(BoundedBuffer::new(1)));
                    let b2 = Arc::clone(&*b);
                    let producer = thread::spawn(move || {
                        b2.push(1);
                        b2.push(2);
                    });
                    assert!(b.len() <= 1, "capacity 1 exceeded");
                    let first = b.pop();
                    let second = b.pop();
                    producer.join().unwrap();
                    assert_eq!((first, second), (1, 2));
                },
            );
        }

        fn two_consumers_each_get_one_item_in_every_interleaving() within 30 s {
            crate::model_check::explore(
                "two consumers wait on an empty one-slot buffer; a producer pushes two items; \
                 each consumer gets one",
                "BoundedBuffer::pop: after taking an item, notify not_full (the producer waits \
                 there), and wait in a `while` loop (another consumer may take the item first)",
                || {
                    let b = keep(Arc::new(BoundedBuffer::new(1)));
                    let consumers: Vec<_> = (0..2)
                        .map(|_| {
                            let b = Arc::clone(&*b);
                            thread::spawn(move || b.pop())
                        })
                        .collect();
                    b.push(10);
                    b.push(20);
                    let mut got: Vec<i32> = consumers.into_iter().map(|c| c.join().unwrap()).collect();
                    got.sort_unstable();
                    assert_eq!(got, [10, 20]);
                },
            );
        }
    }
}
