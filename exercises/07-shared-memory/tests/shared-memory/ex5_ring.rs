//! Exercise 5: a ring between two processes (`src/ex5_ring.rs`).
//!
//! The ordinary tests run the ring between processes; `mod model` (with
//! `--features model`) runs it between two loom threads, once per
//! interleaving, with the futex played by loom's thread parking.

#[cfg(not(feature = "model"))]
use std::sync::atomic::Ordering;

#[cfg(not(feature = "model"))]
use shared_memory::ex1_counter::map_shared;
#[cfg(not(feature = "model"))]
use shared_memory::ex5_ring::{PEER_CHECK, Ring, RingError, bytes_needed};
#[cfg(not(feature = "model"))]
use shared_memory::given::{Child, RingControl, fork_child};
#[cfg(not(feature = "model"))]
use support::require;

/// Rounds in the wake-up tests. A side that is not woken sleeps until its
/// own timer ([`PEER_CHECK`], 1 s) runs out: this many rounds of that
/// overrun the tests' 5-second limit, so a lost wake-up is caught.
#[cfg(not(feature = "model"))]
const ROUNDS: u64 = 10;

/// Returns once the kernel shows `child` asleep (state `S` or `D`): it is
/// blocked in a wait, not spinning. `what` is what the child is doing.
#[cfg(not(feature = "model"))]
fn until_asleep(child: &Child, what: &str) {
    support::step(
        &format!("waiting for a child blocked in {what} to go to sleep"),
        &format!(
            "the child in {what} never went to sleep: it keeps running (state R). \
             Possible causes: it loops on try_push/try_pop (with spin_loop or \
             yield_now) and never calls futex_wait, so a waiting side burns a core \
             for as long as it waits. Look at Ring::push and Ring::pop in \
             src/ex5_ring.rs: what does a side do once its short spin is over?"
        ),
    );
    let pid = child.pid() as i32;
    loop {
        match support::procs::info(pid).map(|i| i.state) {
            Some('S' | 'D') => return,
            None | Some('Z' | 'X') => support::fail(
                format!("the child in {what} to wait, asleep"),
                "it ended instead (look for its panic above)",
                "Ring::push / Ring::pop in src/ex5_ring.rs: when may each one return?",
            ),
            Some(_) => std::thread::yield_now(),
        }
    }
}

/// Returns once `child`, asleep in `what`, has woken up by itself and gone
/// back to sleep, or has ended. Nothing in the test touches the ring in
/// the meantime, so what woke it is its own timer ([`PEER_CHECK`]): it
/// then checked on its peer (this process, alive) and went on waiting.
/// Evidence from the kernel (`support::waiter`), not a sleep past the timer.
#[cfg(not(feature = "model"))]
fn until_it_timed_out_and_sleeps_again(child: &Child, what: &str, side: &str) {
    support::step(
        &format!(
            "waiting for the child asleep in {what} to wake when its timer \
             ({PEER_CHECK:?}) runs out, and to go back to sleep: this process, its \
             peer, is slow but alive"
        ),
        &format!(
            "the child in {what} either slept on and never woke by itself, or woke and \
             never slept again. Does {side} give futex_wait a timeout (PEER_CHECK), so \
             that it gets a chance to check on its peer? After a timeout, with the \
             peer alive, does it go back to waiting? Look at Ring::{side}"
        ),
    );
    let pid = child.pid() as i32;
    if let Some(asleep) = support::waiter::until_blocked_in(pid, pid) {
        asleep.until_blocked_again();
    }
}

/// A child pushes `0..count` through a ring of `capacity` slots; this
/// process pops them and checks every one.
#[cfg(not(feature = "model"))]
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

#[cfg(not(feature = "model"))]
support::isolated_tests! {
    fn a_reader_asleep_on_an_empty_ring_is_woken_by_each_push() within 5 s {
        let region = map_shared(bytes_needed(4)).expect("map_shared");
        let got = map_shared(64).expect("map_shared");
        let ring = Ring::init_in(&region, 4).expect("init_in");
        for round in 0..ROUNDS {
            let reader = fork_child(|| {
                let mine = Ring::attach(&region).expect("attach in the child");
                let v = mine.pop().expect("pop");
                got.atomics()[0].store(v, Ordering::Relaxed);
            })
            .expect("fork");
            until_asleep(&reader, "pop on an empty ring");
            support::step(
                &format!("round {round}: waiting for a reader asleep in pop to wake after a push"),
                &format!(
                    "a push went into the ring while the reader slept, and the reader was \
                     not woken: it sleeps on until its own timer ({PEER_CHECK:?}) runs out, \
                     round after round. Possible causes: try_push publishes the new tail \
                     but does not call futex_wake(&tail) when consumer_sleeping is set; \
                     pop sleeps on a different word than the one try_push wakes; or pop \
                     never sets consumer_sleeping. Look at Ring::try_push and Ring::pop"
                ),
            );
            let value = 1000 + round;
            require!(ring.try_push(value) == Ok(true),
                expected: format!("round {round}: a push into an empty 4-slot ring to succeed"),
                got: format!("{:?}", ring.try_push(value)),
                look_at: "Ring::try_push");
            reader.wait().expect("the reader should exit 0");
            let v = got.atomics()[0].load(Ordering::Relaxed);
            require!(v == value,
                expected: format!("round {round}: the reader to pop {value}"),
                got: v,
                look_at: "Ring::pop: which value does it return once woken?");
        }
    }

    fn a_writer_asleep_on_a_full_ring_is_woken_by_each_pop() within 5 s {
        let region = map_shared(bytes_needed(2)).expect("map_shared");
        let ring = Ring::init_in(&region, 2).expect("init_in");
        let full = ring.try_push(0).and_then(|a| Ok(a && ring.try_push(1)?));
        require!(full == Ok(true),
            expected: "two pushes into a 2-slot ring to succeed",
            got: format!("{full:?}"),
            look_at: "Ring::try_push");
        // FIFO: 0 and 1, then what each round's writer pushed.
        let mut want = std::collections::VecDeque::from([0, 1]);
        for round in 0..ROUNDS {
            let value = 100 + round;
            let writer = fork_child(|| {
                let mine = Ring::attach(&region).expect("attach in the child");
                mine.push(value).expect("push");
            })
            .expect("fork");
            until_asleep(&writer, "push into a full ring");
            support::step(
                &format!("round {round}: waiting for a writer asleep in push to wake after a pop"),
                &format!(
                    "a pop made room while the writer slept, and the writer was not \
                     woken: it sleeps on until its own timer ({PEER_CHECK:?}) runs out, \
                     round after round. Possible causes: try_pop publishes the new head \
                     but does not call futex_wake(&head) when producer_sleeping is set; \
                     push sleeps on a different word than the one try_pop wakes; or push \
                     never sets producer_sleeping. Look at Ring::try_pop and Ring::push"
                ),
            );
            let (popped, oldest) = (ring.try_pop(), want.pop_front());
            require!(popped == Ok(oldest),
                expected: format!("round {round}: pop {oldest:?}, the oldest message"),
                got: format!("{popped:?}"),
                look_at: "Ring::try_pop");
            writer.wait().expect("the writer should exit 0");
            want.push_back(value);
        }
        let rest: Vec<_> = std::iter::from_fn(|| ring.try_pop().ok().flatten()).collect();
        require!(want == rest,
            expected: format!("{want:?} left in the ring, in the order pushed"),
            got: format!("{rest:?}"),
            look_at: "Ring::push: a woken writer puts its value in once, at the tail");
    }

    fn a_reader_gets_an_error_when_the_writer_has_died() within 5 s {
        let region = map_shared(bytes_needed(8)).expect("map_shared");
        let ring = Ring::init_in(&region, 8).expect("init_in");
        let writer = fork_child(|| {
            let mine = Ring::attach(&region).expect("attach in the child");
            for i in 1..=3 {
                mine.push(i).expect("push");
            }
            let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGKILL);
        })
        .expect("fork");
        let pid = writer.pid();
        support::step(
            "popping 3 messages from a writer that is then killed, and a 4th",
            &format!(
                "the writer (pid {pid}) pushed 3 messages and was killed; the reader waits \
                 for ever for a 4th. Nothing wakes a sleeper when a process dies: when pop's \
                 sleep times out, does it ask whether the producer's process is gone \
                 (producer_pid, process_is_gone)? Look at Ring::pop and Ring::try_push \
                 (who records producer_pid?)"
            ),
        );
        let first: Vec<_> = (0..3).map(|_| ring.pop()).collect();
        require!(first == vec![Ok(1), Ok(2), Ok(3)],
            expected: "1, 2, 3: the messages pushed before the writer died are delivered",
            got: format!("{first:?}"),
            look_at: "Ring::pop");
        let fourth = ring.pop();
        require!(fourth == Err(RingError::PeerGone { pid }),
            expected: format!("Err(PeerGone {{ pid: {pid} }}): the writer's process has ended"),
            got: format!("{fourth:?}"),
            look_at: "Ring::pop: once the producer is gone and the ring is empty, nothing \
                      more can come; and Ring::try_push: does it record producer_pid?");
        writer.kill_and_reap();
    }

    fn a_slow_writer_is_not_taken_for_a_dead_one() within 10 s {
        let region = map_shared(bytes_needed(4)).expect("map_shared");
        let got = map_shared(64).expect("map_shared");
        let ring = Ring::init_in(&region, 4).expect("init_in");
        // This process is the producer from now on (producer_pid).
        let first = ring.try_push(1).and_then(|_| ring.try_pop());
        require!(first == Ok(Some(1)),
            expected: "a push and a pop of 1 on an empty ring",
            got: format!("{first:?}"),
            look_at: "Ring::try_push / Ring::try_pop");
        let reader = fork_child(|| {
            let mine = Ring::attach(&region).expect("attach in the child");
            let v = mine.pop().expect("pop from a slow but living writer");
            got.atomics()[0].store(v, Ordering::Relaxed);
        })
        .expect("fork");
        until_asleep(&reader, "pop on an empty ring");
        // The scenario: a writer slower than the reader's timer, so that the
        // reader's sleep times out at least once while the writer is alive.
        until_it_timed_out_and_sleeps_again(&reader, "pop on an empty ring", "pop");
        require!(ring.try_push(2) == Ok(true),
            expected: "a push into an empty ring to succeed",
            got: "a full or broken ring",
            look_at: "Ring::try_push");
        support::step(
            "waiting for a reader that waited longer than PEER_CHECK for a living writer",
            "the reader never returned: look at Ring::pop after a timed-out sleep",
        );
        let ended = reader.wait();
        require!(ended.is_ok() && got.atomics()[0].load(Ordering::Relaxed) == 2,
            expected: "the reader to pop 2: a writer that is slow is not gone",
            got: format!("the reader ended with {ended:?}"),
            look_at: "Ring::pop: after a sleep that timed out, give up only if the \
                      producer's process has ended (process_is_gone), not merely because \
                      the time ran out");
    }

    fn a_slow_reader_is_not_taken_for_a_dead_one() within 10 s {
        let region = map_shared(bytes_needed(1)).expect("map_shared");
        let ring = Ring::init_in(&region, 1).expect("init_in");
        // This process is the consumer from now on (consumer_pid); the
        // ring is then full.
        let full = ring.try_push(1).and_then(|_| ring.try_pop());
        let full = full.and_then(|_| ring.try_push(2));
        require!(full == Ok(true),
            expected: "push 1, pop it, push 2 on a 1-slot ring",
            got: format!("{full:?}"),
            look_at: "Ring::try_push / Ring::try_pop");
        let writer = fork_child(|| {
            let mine = Ring::attach(&region).expect("attach in the child");
            mine.push(3).expect("push to a slow but living reader");
        })
        .expect("fork");
        until_asleep(&writer, "push into a full ring");
        // The scenario: a reader slower than the writer's timer.
        until_it_timed_out_and_sleeps_again(&writer, "push into a full ring", "push");
        let popped = ring.try_pop();
        require!(popped == Ok(Some(2)),
            expected: "pop 2 from the full ring",
            got: format!("{popped:?}"),
            look_at: "Ring::try_pop");
        support::step(
            "waiting for a writer that waited longer than PEER_CHECK for a living reader",
            "the writer never returned: look at Ring::push after a timed-out sleep",
        );
        let ended = writer.wait();
        let last = ring.try_pop();
        require!(ended.is_ok() && last == Ok(Some(3)),
            expected: "the writer to push 3: a reader that is slow is not gone",
            got: format!("the writer ended with {ended:?}, then the ring held {last:?}"),
            look_at: "Ring::push: after a sleep that timed out, give up only if the \
                      consumer's process has ended (process_is_gone), not merely because \
                      the time ran out");
    }

    fn a_writer_gets_an_error_when_the_reader_has_died() within 5 s {
        let region = map_shared(bytes_needed(2)).expect("map_shared");
        let ring = Ring::init_in(&region, 2).expect("init_in");
        let full = ring.try_push(1).and_then(|a| Ok(a && ring.try_push(2)?));
        require!(full == Ok(true),
            expected: "two pushes into a 2-slot ring to succeed",
            got: format!("{full:?}"),
            look_at: "Ring::try_push");
        let reader = fork_child(|| {
            let mine = Ring::attach(&region).expect("attach in the child");
            assert_eq!(mine.pop(), Ok(1));
            let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGKILL);
        })
        .expect("fork");
        let pid = reader.pid();
        support::step(
            "pushing into a 2-slot ring whose reader took 1 message and was killed",
            &format!(
                "the reader (pid {pid}) popped once and was killed; the writer waits for \
                 ever for room. When push's sleep times out, does it ask whether the \
                 consumer's process is gone (consumer_pid, process_is_gone)? Look at \
                 Ring::push and Ring::try_pop (who records consumer_pid?)"
            ),
        );
        let third = ring.push(3);
        require!(third == Ok(()),
            expected: "the push into the room the reader made to succeed",
            got: format!("{third:?}"),
            look_at: "Ring::push");
        let fourth = ring.push(4);
        require!(fourth == Err(RingError::PeerGone { pid }),
            expected: format!("Err(PeerGone {{ pid: {pid} }}): the reader's process has ended"),
            got: format!("{fourth:?}"),
            look_at: "Ring::push: once the consumer is gone and the ring is full, no room \
                      can come; and Ring::try_pop: does it record consumer_pid?");
        let kept: Vec<_> = (0..3).map(|_| ring.try_pop()).collect();
        require!(kept == vec![Ok(Some(2)), Ok(Some(3)), Ok(None)],
            expected: "2 and 3 still in the ring, and nothing else (4 was refused)",
            got: format!("{kept:?}"),
            look_at: "Ring::push: a push that fails must not write a slot");
        reader.kill_and_reap();
    }

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

#[cfg(feature = "model")]
mod model {
    use crate::model_check::{explore, keep};
    use loom::sync::Arc;
    use shared_memory::ex5_ring::Ring;
    use shared_memory::given::RingControl;
    use shared_memory::given::sync::AtomicU64;

    /// A ring of `capacity` slots in ordinary memory, for threads.
    struct Shared {
        ctl: RingControl,
        slots: Vec<AtomicU64>,
    }

    fn ring_of(capacity: u64) -> Arc<Shared> {
        Arc::new(Shared {
            ctl: RingControl::new(capacity),
            slots: (0..capacity).map(|_| AtomicU64::new(0)).collect(),
        })
    }

    /// A producer thread pushes `1..=count` with `push`; this thread pops
    /// `count` values with `pop` and checks them.
    fn producer_and_consumer(capacity: u64, count: u64) {
        let shared = keep(ring_of(capacity));
        let theirs = Arc::clone(&*shared);
        let producer = loom::thread::spawn(move || {
            let theirs = keep(theirs);
            let ring = Ring::between_threads(&theirs.ctl, &theirs.slots);
            for i in 1..=count {
                ring.push(i).expect("push");
            }
        });
        let ring = Ring::between_threads(&shared.ctl, &shared.slots);
        for want in 1..=count {
            let got = ring.pop().expect("pop");
            assert_eq!(got, want, "popped {got} where {want} was next");
        }
        producer.join().expect("the producer thread");
    }

    support::isolated_tests! {
        fn both_sides_sleep_and_wake_in_every_interleaving() within 60 s {
            explore(
                "through a 1-slot ring, 1 and 2 arrive in order, and neither side \
                 sleeps for ever (the producer waits for room, the consumer for a message)",
                "Ring::push / Ring::pop and the wake-ups in try_push / try_pop \
                 (src/ex5_ring.rs). A deadlock means a side slept and was never woken: \
                 does each side set its sleeping flag, fence, and look once more before \
                 futex_wait, and does the other side fence between publishing its index \
                 and looking at the flag? A wrong value means a slot was read before \
                 its write was visible: which store publishes the slot (Release), and \
                 which load must see it (Acquire)?",
                || producer_and_consumer(1, 2),
            );
        }

        fn messages_wrap_around_in_every_interleaving() within 60 s {
            explore(
                "through a 2-slot ring, 1, 2 and 3 arrive in order (the third \
                 reuses the first slot)",
                "Ring::try_push / Ring::try_pop (src/ex5_ring.rs): the producer may \
                 write a slot again only after the consumer has published that it \
                 read it (head, Release then Acquire); and the consumer may read a \
                 slot only after the producer published it (tail, Release then Acquire)",
                || producer_and_consumer(2, 3),
            );
        }
    }
}
