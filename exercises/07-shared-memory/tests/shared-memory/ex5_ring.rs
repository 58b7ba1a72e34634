//! Exercise 5: a ring between two processes (`src/ex5_ring.rs`).

use std::sync::atomic::Ordering;

use shared_memory::ex1_counter::map_shared;
use shared_memory::ex5_ring::{Ring, RingError, bytes_needed};
use shared_memory::given::{RingControl, fork_child};
use support::require;

/// A child pushes `0..count` through a ring of `capacity` slots; this
/// process pops them and checks every one.
fn through_a_ring_from_a_child(capacity: usize, count: u64) {
    let region = map_shared(bytes_needed(capacity)).expect("map_shared");
    let ring = Ring::init_in(&region, capacity).expect("init_in");
    let producer = fork_child(|| {
        let mine = Ring::attach(&region).expect("attach in the child");
        for i in 0..count {
            mine.push(i).expect("push");
        }
    })
    .expect("fork");
    support::step(
        &format!("popping {count} numbers a child pushes through a {capacity}-slot ring"),
        "the consumer waits for a number the producer thinks it has sent, or the producer \
         waits for room the consumer has made: does each side publish its index after \
         using the slot, and read the other's index again each time?",
    );
    for want in 0..count {
        let got = ring.pop().expect("pop");
        require!(got == want,
            expected: format!("{want} (numbers in the order they were pushed, none lost or repeated)"),
            got: format!("{got}"),
            look_at: "Ring::try_push / try_pop: which slot does index i use, and can the \
                      producer write a slot the consumer has not read yet?");
    }
    producer.wait().expect("the producer should exit 0");
    let left = ring.try_pop().expect("try_pop");
    require!(left.is_none(),
        expected: format!("nothing after the last of {count} numbers"),
        got: format!("{left:?}"),
        look_at: "Ring::try_pop");
}

support::isolated_tests! {
    fn a_million_numbers_arrive_in_order_across_processes() within 60 s {
        // 1024 slots: the million numbers go round the ring 976 times.
        through_a_ring_from_a_child(1024, 1_000_000);
    }

    fn a_small_ring_wraps_thousands_of_times_across_processes() within 60 s {
        // 8 slots, 20,000 numbers: 2,500 times round, and the producer
        // finds the ring full again and again.
        through_a_ring_from_a_child(8, 20_000);
    }

    fn a_full_ring_refuses_instead_of_overwriting() {
        let region = map_shared(bytes_needed(4)).expect("map_shared");
        let ring = Ring::init_in(&region, 4).expect("init_in");
        for i in 0..4 {
            require!(ring.try_push(i) == Ok(true),
                expected: format!("push {i} into a 4-slot ring holding {i} to succeed"),
                got: format!("{:?}", ring.try_push(i)),
                look_at: "Ring::try_push: when is the ring full?");
        }
        let fifth = ring.try_push(99);
        require!(fifth == Ok(false),
            expected: "Ok(false) for a push into a full ring",
            got: format!("{fifth:?}"),
            look_at: "Ring::try_push: a ring holding `capacity` messages is full; \
                      writing anyway overwrites the oldest, which the consumer has not read");
        require!(ring.capacity() == 4,
            expected: "capacity() to be 4",
            got: ring.capacity(),
            look_at: "Ring::capacity");
        let order: Vec<_> = (0..5).map(|_| ring.try_pop()).collect();
        require!(order == vec![Ok(Some(0)), Ok(Some(1)), Ok(Some(2)), Ok(Some(3)), Ok(None)],
            expected: "0, 1, 2, 3, then nothing",
            got: format!("{order:?}"),
            look_at: "Ring::try_push: a full ring must not change");
    }

    fn wraps_around_with_any_capacity() {
        let region = map_shared(bytes_needed(3)).expect("map_shared");
        let ring = Ring::init_in(&region, 3).expect("init_in");
        require!(ring.try_pop() == Ok(None),
            expected: "an empty new ring",
            got: format!("{:?}", ring.try_pop()),
            look_at: "Ring::init_in / try_pop");
        for i in 0..1000u64 {
            let pushed = ring.try_push(2 * i).and_then(|a| Ok((a, ring.try_push(2 * i + 1)?)));
            let popped = (ring.try_pop(), ring.try_pop());
            require!(pushed == Ok((true, true)) && popped == (Ok(Some(2 * i)), Ok(Some(2 * i + 1))),
                expected: format!("round {i}: push {} and {}, pop them back", 2 * i, 2 * i + 1),
                got: format!("pushes {pushed:?}, pops {popped:?}"),
                look_at: "Ring::try_push / try_pop: index modulo capacity, for a capacity that is \
                          not a power of two too");
        }
    }

    fn corrupt_indices_are_detected() {
        let region = map_shared(bytes_needed(4)).expect("map_shared");
        let ring = Ring::init_in(&region, 4).expect("init_in");
        // SAFETY: the region starts with the ring's control block.
        let ctl = unsafe { &*region.as_ptr().cast::<RingControl>() };
        for (head, tail) in [(0u64, 5u64), (10, 3), (u64::MAX, 1)] {
            ctl.head.store(head, Ordering::Relaxed);
            ctl.tail.store(tail, Ordering::Relaxed);
            let (pushed, popped) = (ring.try_push(1), ring.try_pop());
            let said = popped.as_ref().err().map(|e| e.to_string()).unwrap_or_default();
            require!(said.contains("corrupt") && said.contains(&tail.to_string()),
                expected: "the error to say the ring is corrupt and show the indices",
                got: format!("{said:?}"),
                look_at: "RingError's Display");
            require!(matches!(pushed, Err(RingError::Corrupt { .. })) && matches!(popped, Err(RingError::Corrupt { .. })),
                expected: format!("head {head}, tail {tail} in a 4-slot ring to be reported as Corrupt by push and pop"),
                got: format!("push {pushed:?}, pop {popped:?}"),
                look_at: "Ring::try_push / try_pop: how many messages can a ring hold? A process \
                          can die or scribble mid-write; check before trusting the indices");
        }
    }

    fn attach_checks_what_is_in_the_region() {
        let tiny = map_shared(8).expect("map_shared(8)");
        let t = Ring::attach(&tiny).err();
        require!(matches!(t, Some(RingError::TooSmall { .. })),
            expected: "attach to an 8-byte region to fail with TooSmall before reading anything",
            got: format!("{t:?}"),
            look_at: "Ring::attach: is there room for the control block?");
        let bare = map_shared(RingControl::LEN).expect("map_shared");
        let b = Ring::attach(&bare).err();
        require!(b == Some(RingError::NotARing),
            expected: "attach to a zeroed region exactly as big as the control block to say NotARing",
            got: format!("{b:?}"),
            look_at: "Ring::attach: the control block fits; what does its magic say?");
        let region = map_shared(bytes_needed(4)).expect("map_shared");
        let none = Ring::attach(&region).err();
        require!(none == Some(RingError::NotARing),
            expected: "attach to a zeroed region to fail with NotARing",
            got: format!("{none:?}"),
            look_at: "Ring::attach: the magic");
        Ring::init_in(&region, 4).expect("init_in");
        // SAFETY: the region starts with the ring's control block.
        let ctl = unsafe { &*region.as_ptr().cast::<RingControl>() };
        ctl.capacity.store(1 << 40, Ordering::Relaxed);
        let big = Ring::attach(&region).err();
        require!(matches!(big, Some(RingError::TooSmall { .. })),
            expected: "attach to fail with TooSmall when the capacity it reads does not fit the region",
            got: format!("{big:?}"),
            look_at: "Ring::attach: never trust a size read from shared memory");
        ctl.capacity.store(0, Ordering::Relaxed);
        let zero = Ring::attach(&region).err();
        require!(zero == Some(RingError::NotARing),
            expected: "attach to fail with NotARing when the capacity it reads is 0",
            got: format!("{zero:?}"),
            look_at: "Ring::attach: a ring of no slots cannot be used");
        let none = Ring::init_in(&region, 0).err();
        require!(none.is_some(),
            expected: "init_in with capacity 0 to fail",
            got: "Ok",
            look_at: "Ring::init_in");
        let small = map_shared(bytes_needed(2)).expect("map_shared");
        let got = Ring::init_in(&small, 4).err();
        require!(matches!(got, Some(RingError::TooSmall { .. })),
            expected: "init_in of 4 slots in room for 2 to fail with TooSmall",
            got: format!("{got:?}"),
            look_at: "Ring::init_in: bytes_needed");
    }
}
