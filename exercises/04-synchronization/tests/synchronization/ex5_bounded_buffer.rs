use synchronization::ex5_bounded_buffer::BoundedBuffer;

#[cfg(not(feature = "model"))]
use crate::waiter::{self, Seen};
#[cfg(not(feature = "model"))]
use std::sync::{Arc, mpsc};

/// What a test says when one side's change leaves the other side asleep.
#[cfg(not(feature = "model"))]
const LEFT_ASLEEP: &str = "the buffer changed, but the thread blocked on the other side \
    never woke up. Possible causes, most likely first: push() or pop() changes the buffer \
    without waking a thread of the other kind (which Condvar does each kind wait on, and \
    which one is notified?); one Condvar is shared by producers and consumers, and a \
    notify_one woke a thread of the wrong kind; or the waiter looks at the buffer only once \
    and then sleeps again. Look at push and pop in src/ex5_bounded_buffer.rs";

/// Starts a thread that runs `op` (a push into a full buffer, or a pop from
/// an empty one), and returns once the kernel shows it blocked.
#[cfg(not(feature = "model"))]
fn blocked<'s, 'e: 's, R: Send + 'e>(
    s: &'s std::thread::Scope<'s, 'e>,
    op: impl FnOnce() -> R + Send + 'e,
    done: mpsc::Sender<R>,
    what: &str,
) {
    let (tid_tx, tid_rx) = mpsc::channel();
    s.spawn(move || {
        tid_tx.send(waiter::my_tid()).unwrap();
        let r = op();
        done.send(r).unwrap();
    });
    let tid = tid_rx.recv().unwrap();
    let seen = waiter::until_blocked(
        tid,
        &format!("waiting for a thread to block in {what}"),
        &format!(
            "the thread in {what} never went to sleep: it keeps running. Possible causes: \
                  it looks at the buffer again and again without waiting on a Condvar (a spin), \
                  or it loops forever for another reason. Look at src/ex5_bounded_buffer.rs: \
                  what does the thread do while it cannot go on?"
        ),
    );
    support::require!(seen == Seen::Blocked,
        expected: format!("{what} to wait"),
        got: "it returned at once",
        look_at: "push and pop in src/ex5_bounded_buffer.rs: when may each one go on?");
}

#[cfg(not(feature = "model"))]
support::isolated_tests! {
    fn items_come_out_in_the_order_they_went_in() {
        let b = BoundedBuffer::new(3);
        support::require!(b.capacity() == 3 && b.is_empty(),
            expected: "a new buffer of capacity 3, empty",
            got: format!("capacity {}, len {}", b.capacity(), b.len()),
            look_at: "BoundedBuffer::new, capacity and len (src/ex5_bounded_buffer.rs)");
        support::step("pushing 3 items into a buffer of capacity 3",
            "push() waits although there is room: when does it decide the buffer is full? \
             Look at BoundedBuffer::push (src/ex5_bounded_buffer.rs)");
        for i in 1..=3 {
            b.push(i);
        }
        support::require!(b.len() == 3 && !b.is_empty(),
            expected: "len 3, not empty",
            got: format!("len {}, is_empty() == {}", b.len(), b.is_empty()),
            look_at: "BoundedBuffer::push and len (src/ex5_bounded_buffer.rs)");
        support::step("popping 3 items",
            "pop() waits although there are items: when does it decide the buffer is empty? \
             Look at BoundedBuffer::pop (src/ex5_bounded_buffer.rs)");
        let got: Vec<i32> = (0..3).map(|_| b.pop()).collect();
        support::require!(got == [1, 2, 3],
            expected: "[1, 2, 3] (first in, first out)", got: format!("{got:?}"),
            look_at: "push and pop (src/ex5_bounded_buffer.rs): which end does each one use?");
    }

    fn a_zero_capacity_is_refused() {
        let one = BoundedBuffer::<u8>::new(1);
        support::require!(one.capacity() == 1,
            expected: "capacity 1", got: one.capacity(),
            look_at: "BoundedBuffer::new and capacity (src/ex5_bounded_buffer.rs)");
        let zero = std::panic::catch_unwind(|| BoundedBuffer::<u8>::new(0));
        support::require!(zero.is_err(),
            expected: "BoundedBuffer::new(0) to panic (push could never succeed)",
            got: "a buffer of capacity 0",
            look_at: "BoundedBuffer::new (src/ex5_bounded_buffer.rs): what does it accept?");
    }

    /// A consumer blocks in pop() on an empty buffer (the kernel shows it
    /// asleep); one push() must wake it with that item.
    fn push_wakes_a_consumer_blocked_on_empty() {
        let b = BoundedBuffer::new(2);
        let (tx, rx) = mpsc::channel();
        std::thread::scope(|s| {
            blocked(s, || b.pop(), tx, "pop() on an empty buffer");
            b.push(7);
            support::step("waiting for a consumer blocked in pop() to return after push(7)",
                LEFT_ASLEEP);
        });
        let got: Vec<i32> = rx.try_iter().collect();
        support::require!(got == [7] && b.is_empty(),
            expected: "the blocked pop() to return 7, leaving the buffer empty",
            got: format!("pop() returned {got:?}, {} item(s) left", b.len()),
            look_at: "BoundedBuffer::pop (src/ex5_bounded_buffer.rs)");
    }

    /// A producer blocks in push() on a full buffer (the kernel shows it
    /// asleep); one pop() must make room and wake it.
    fn pop_wakes_a_producer_blocked_on_full() {
        let b = BoundedBuffer::new(1);
        b.push(1);
        let (tx, rx) = mpsc::channel();
        std::thread::scope(|s| {
            blocked(s, || b.push(2), tx, "push() into a full buffer");
            support::require!(b.len() == 1,
                expected: "1 item in a buffer of capacity 1 while a push() waits",
                got: format!("{} items", b.len()),
                look_at: "BoundedBuffer::push (src/ex5_bounded_buffer.rs): when may it add?");
            support::step("popping from a full buffer", "pop() waits although the buffer is \
                full: when does it decide the buffer is empty? Look at BoundedBuffer::pop \
                (src/ex5_bounded_buffer.rs)");
            let first = b.pop();
            support::require!(first == 1, expected: "pop() == 1 (first in, first out)",
                got: first, look_at: "BoundedBuffer::pop (src/ex5_bounded_buffer.rs)");
            support::step("waiting for a producer blocked in push() to return after pop()",
                LEFT_ASLEEP);
        });
        support::require!(rx.try_iter().count() == 1 && b.len() == 1,
            expected: "the blocked push(2) to finish, leaving 1 item",
            got: format!("{} item(s)", b.len()),
            look_at: "BoundedBuffer::push (src/ex5_bounded_buffer.rs)");
        let second = b.pop();
        support::require!(second == 2, expected: "2", got: second,
            look_at: "BoundedBuffer::pop (src/ex5_bounded_buffer.rs)");
    }

    /// Two producers and two consumers through 4 slots: every item arrives
    /// exactly once and the buffer never holds more than 4. The threads are
    /// not scoped: if one panics (a consumer's `unwrap` on an empty buffer,
    /// say), the test reports that panic at once instead of waiting forever
    /// for the others.
    fn many_producers_and_consumers_move_every_item_once() within 20 s {
        let b = Arc::new(BoundedBuffer::new(4));
        let (tx, rx) = mpsc::channel::<Result<Vec<u32>, String>>();
        let run = |role: &'static str, f: Box<dyn FnOnce() -> Vec<u32> + Send>| {
            let tx = tx.clone();
            std::thread::spawn(move || {
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
                    .map_err(|p| {
                        let text = p.downcast_ref::<&str>().map(|s| s.to_string())
                            .or_else(|| p.downcast_ref::<String>().cloned())
                            .unwrap_or_default();
                        format!("a {role} thread panicked: {text}")
                    });
                let _ = tx.send(outcome);
            });
        };
        for p in 0..2u32 {
            let b = Arc::clone(&b);
            run("producer", Box::new(move || {
                for i in 0..5000 {
                    b.push(p * 5000 + i);
                }
                Vec::new()
            }));
        }
        for _ in 0..2 {
            let b = Arc::clone(&b);
            run("consumer", Box::new(move || {
                let mut mine = Vec::new();
                for _ in 0..5000 {
                    mine.push(b.pop());
                    let len = b.len();
                    assert!(len <= 4, "the buffer held {len} items, capacity 4");
                }
                mine
            }));
        }
        support::step("2 producers x 5000 items -> 4 slots -> 2 consumers", LEFT_ASLEEP);
        let mut got = Vec::new();
        for _ in 0..4 {
            match rx.recv().unwrap() {
                Ok(items) => got.extend(items),
                Err(panicked) => support::fail(
                    "2 producers and 2 consumers to move 10000 items without a panic",
                    panicked,
                    "push and pop in src/ex5_bounded_buffer.rs, where that panic points. \
                     A consumer that unwraps an empty buffer: is the buffer sure to hold an \
                     item when it wakes up? Another consumer may have taken it first. A \
                     buffer above its capacity: is it sure to have room when push wakes up?"),
            }
        }
        got.sort_unstable();
        let want: Vec<u32> = (0..10_000).collect();
        support::require!(got == want,
            expected: "each of the 10000 items exactly once",
            got: format!("{} items, first differences near {:?}", got.len(),
                got.iter().zip(&want).find(|(a, b)| a != b)),
            look_at: "push and pop in src/ex5_bounded_buffer.rs: is every change of the \
                      VecDeque made under the one Mutex?");
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
                "push and pop in src/ex5_bounded_buffer.rs. If loom reports a deadlock: one side \
                 changed the buffer without waking the other, which sleeps on. If it reports a \
                 failed check or a panic: did a thread go on without looking at the buffer \
                 again after it woke up?",
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
                "push and pop in src/ex5_bounded_buffer.rs. If loom reports a panic in pop (an \
                 unwrap on None): a woken consumer took for granted that an item was there, but \
                 the other consumer may have taken it first. If it reports a deadlock: a \
                 thread blocked on one side was never woken by the other (is the producer, \
                 blocked on a full buffer, woken when a consumer takes an item?)",
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
