#[cfg(not(feature = "model"))]
use std::os::fd::{AsFd, OwnedFd};

#[cfg(not(feature = "model"))]
use nix::sys::signal::{self, Signal};
#[cfg(not(feature = "model"))]
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
#[cfg(not(feature = "model"))]
use nix::unistd::{Pid, read, write};
#[cfg(not(feature = "model"))]
use queues::ex7_process_queue::{Frame, Producer, Queue, QueueError, header};
#[cfg(not(feature = "model"))]
use queues::given::{fork_child, make_pipe, wait_for};

/// Forks a producer process that sends `payloads`, one frame each, and
/// exits 0 (1 if a send failed). If `gate` is given, the producer first
/// waits there for one byte (or end-of-file).
#[cfg(not(feature = "model"))]
fn start(mut p: Producer, payloads: Vec<Vec<u8>>, gate: Option<OwnedFd>) -> Pid {
    fork_child(move || {
        if let Some(g) = &gate {
            let mut b = [0u8; 1];
            while read(g, &mut b) == Err(nix::errno::Errno::EINTR) {}
        }
        for m in &payloads {
            if p.send(m).is_err() {
                return 1;
            }
        }
        0
    })
    .expect("fork failed")
}

/// Forks a producer process that writes `bytes` raw (not through send)
/// and then, if `die`, kills itself with SIGKILL.
#[cfg(not(feature = "model"))]
fn start_raw(p: Producer, bytes: Vec<u8>, die: bool) -> Pid {
    fork_child(move || {
        let _ = write(p.as_fd(), &bytes);
        if die {
            // SAFETY: kill and getpid have no memory-safety preconditions.
            unsafe { libc::kill(libc::getpid(), libc::SIGKILL) };
        }
        0
    })
    .expect("fork failed")
}

#[cfg(not(feature = "model"))]
fn text(p: u32, i: usize) -> Vec<u8> {
    format!("producer {p}, message {i}").into_bytes()
}

/// Everything the queue delivers until it says the end.
#[cfg(not(feature = "model"))]
fn drain(q: &mut Queue) -> (Vec<Frame>, Vec<QueueError>) {
    let (mut frames, mut errors) = (Vec::new(), Vec::new());
    while let Some(next) = q.recv() {
        match next {
            Ok(f) => frames.push(f),
            Err(e) => errors.push(e),
        }
    }
    (frames, errors)
}

#[cfg(not(feature = "model"))]
fn from(frames: &[Frame], p: u32) -> Vec<Vec<u8>> {
    frames
        .iter()
        .filter(|f| f.producer == p)
        .map(|f| f.payload.clone())
        .collect()
}

#[cfg(not(feature = "model"))]
support::isolated_tests! {
    /// Three producer processes, 50 small messages each: every message
    /// arrives once, whole, and in its producer's order.
    fn messages_from_three_processes_all_arrive_in_each_ones_order() within 10 s {
        let mut q = Queue::new(1 << 16);
        let mut pids = Vec::new();
        for _ in 0..3 {
            let p = q.add_producer().expect("add_producer failed");
            let id = p.id();
            pids.push(start(p, (0..50).map(|i| text(id, i)).collect(), None));
        }
        support::step("receiving 150 messages from 3 producer processes",
            "recv() never returns None: it should, once every producer's pipe has ended. Does \
             the queue keep a write end of its own? (The producers close theirs by exiting.)");
        let (frames, errors) = drain(&mut q);
        for pid in pids {
            support::require!(wait_for(pid).unwrap() == 0,
                expected: "each producer process to exit 0", got: "a failed send",
                look_at: "Producer::send");
        }
        support::require!(errors.is_empty(),
            expected: "no errors", got: format!("{:?}", errors.iter().map(|e| e.to_string()).collect::<Vec<_>>()),
            look_at: "Queue::recv: parse whole frames only");
        for id in 1..=3 {
            let want: Vec<Vec<u8>> = (0..50).map(|i| text(id, i)).collect();
            support::require!(from(&frames, id) == want,
                expected: format!("producer {id}'s 50 messages, in the order it sent them"),
                got: format!("{} of them", from(&frames, id).len()),
                look_at: "Producer::send (one header, then the payload) and Queue::recv");
        }
    }

    /// Producer 1 sends a frame of 512 KiB: far above PIPE_BUF (4096
    /// bytes) and more than a pipe holds (64 KiB), so its write stops
    /// part-way until the queue reads. The test stops producer 1 there, in
    /// the middle of its frame, lets producer 2 send a small frame, then
    /// lets producer 1 go on. Both frames must arrive whole. No timing:
    /// the kernel says when producer 1 is blocked and when it is stopped.
    fn large_frames_from_several_processes_arrive_whole() within 20 s {
        const BIG: usize = 512 * 1024;
        const SMALL: usize = 1000;
        let mut q = Queue::new(1 << 20);
        let p1 = q.add_producer().expect("add_producer failed");
        let p2 = q.add_producer().expect("add_producer failed");
        let (id1, id2) = (p1.id(), p2.id());
        let (gate_r, gate_w) = make_pipe().unwrap();
        // Producer 2 waits at the gate; producer 1 starts writing at once,
        // and nobody reads yet.
        let pid2 = start(p2, vec![vec![id2 as u8; SMALL]], Some(gate_r));
        let pid1 = start(p1, vec![vec![id1 as u8; BIG]], None);
        support::step("waiting until producer 1's send of 512 KiB blocks: nobody reads yet",
            "producer 1 neither ends nor blocks: does Producer::send write into a pipe?");
        let raw1 = pid1.as_raw();
        let seen = support::waiter::until_blocked_in(raw1, raw1);
        let how = support::procs::blocked_in(raw1, raw1).unwrap_or_default();
        support::require!(seen.is_some() && how.contains("writ"),
            expected: "producer 1's send to block in a write once the pipe is full",
            got: if seen.is_none() { "producer 1 ended".to_string() } else { format!("producer 1 {how}") },
            look_at: "Producer::send: write the frame's bytes into the producer's pipe");
        // Stop producer 1 in the middle of its frame.
        signal::kill(pid1, Signal::SIGSTOP).unwrap();
        let stopped = waitpid(pid1, Some(WaitPidFlag::WUNTRACED)).unwrap();
        support::require!(matches!(stopped, WaitStatus::Stopped(..)),
            expected: "producer 1 stopped (SIGSTOP) in the middle of its frame",
            got: format!("{stopped:?}"), look_at: "Producer::send");
        let reader = std::thread::spawn(move || drain(&mut q));
        write(&gate_w, b"go").unwrap();
        drop(gate_w);
        support::step("producer 2 sends 1000 bytes while producer 1 is stopped mid-frame",
            "producer 2's send never finishes though the queue is reading: does producer 2 \
             wait for room in a pipe that producer 1 filled?");
        let code2 = wait_for(pid2).unwrap();
        signal::kill(pid1, Signal::SIGCONT).unwrap();
        support::step("receiving both frames after producer 1 goes on",
            "recv() never returns None: once every producer's pipe has ended, it should");
        let (frames, errors) = reader.join().expect("the reading thread panicked");
        // A producer still writing into a pipe nobody reads any more would
        // block forever: end it (harmless if it already exited).
        let _ = signal::kill(pid1, Signal::SIGKILL);
        let _ = wait_for(pid1);
        support::require!(code2 == 0,
            expected: "producer 2 to exit 0", got: format!("exit code {code2}"),
            look_at: "Producer::send");
        let torn = frames.iter().filter(|f| f.payload.iter().any(|&b| u32::from(b) != f.producer)).count();
        let whole = from(&frames, id1) == [vec![id1 as u8; BIG]]
            && from(&frames, id2) == [vec![id2 as u8; SMALL]];
        support::require!(errors.is_empty() && whole && frames.len() == 2,
            expected: "producer 1's 512 KiB frame and producer 2's 1000-byte frame, each whole \
                       and all its producer's own bytes",
            got: format!("{} frames ({torn} torn: bytes of another producer inside), sizes {:?}, \
                          errors: {:?}",
                frames.len(), frames.iter().map(|f| (f.producer, f.payload.len())).collect::<Vec<_>>(),
                errors.iter().map(|e| e.to_string()).collect::<Vec<_>>()),
            look_at: "a write of more than PIPE_BUF bytes to a pipe is not atomic: producer 2 \
                      wrote while producer 1 was in the middle of its frame. When several \
                      processes share one pipe, whose bytes can end up inside a frame?");
    }

    /// Producer 1 has nothing to send until producer 2 has exited, and
    /// producer 2 sends more than a pipe can hold: the queue must take
    /// whatever is ready, from whoever has it.
    fn a_quiet_producer_does_not_hold_up_the_others() within 10 s {
        let mut q = Queue::new(1 << 16);
        let p1 = q.add_producer().unwrap();
        let p2 = q.add_producer().unwrap();
        let (gate_r, gate_w) = make_pipe().unwrap();
        let lots: Vec<Vec<u8>> = (0..64).map(|i| vec![i as u8; 4000]).collect();
        // Producer 2 holds the gate's write end; it closes when 2 exits.
        let pid2 = fork_child(move || {
            let mut p2 = p2;
            let _keep = &gate_w;
            for m in &lots {
                if p2.send(m).is_err() {
                    return 1;
                }
            }
            0
        })
        .unwrap();
        let pid1 = start(p1, vec![b"after 2".to_vec()], Some(gate_r));
        support::step("receiving while producer 1 is quiet and producer 2 has 256 KiB to send",
            "the queue waits for producer 1, who waits for producer 2, who waits for room in \
             its pipe: messages do not arrive in one global order. Which pipe has data now?");
        let (frames, errors) = drain(&mut q);
        let _ = (wait_for(pid1), wait_for(pid2));
        support::require!(errors.is_empty() && from(&frames, 2).len() == 64 && from(&frames, 1) == [b"after 2".to_vec()],
            expected: "producer 2's 64 messages, then producer 1's one",
            got: format!("{} from 2, {} from 1, {} errors", from(&frames, 2).len(), from(&frames, 1).len(), errors.len()),
            look_at: "Queue::recv: read from whichever producer has data (poll)");
    }

    /// Producer 2 dies (SIGKILL) in the middle of a frame. The queue says
    /// so, naming producer 2, and the others' messages still arrive.
    fn a_producer_killed_mid_frame_is_an_error_naming_it() within 10 s {
        let mut q = Queue::new(1 << 16);
        let p1 = q.add_producer().unwrap();
        let pid1 = start(p1, (0..20).map(|i| text(1, i)).collect(), None);
        let p2 = q.add_producer().unwrap();
        let mut half = header(2, 1000).unwrap().to_vec();
        half.extend_from_slice(&[7u8; 10]);
        let pid2 = start_raw(p2, half, true);
        let p3 = q.add_producer().unwrap();
        let pid3 = start(p3, (0..20).map(|i| text(3, i)).collect(), None);
        support::step("receiving from 3 producers, one of which dies mid-frame",
            "recv() waits for the rest of a frame from a producer that is dead: its pipe \
             reached end-of-file. What does a read of 0 bytes mean in the middle of a frame?");
        let (frames, errors) = drain(&mut q);
        let codes = (wait_for(pid1).unwrap(), wait_for(pid2).unwrap(), wait_for(pid3).unwrap());
        support::require!(codes.1 == 128 + 9, expected: "producer 2 killed by SIGKILL",
            got: format!("{codes:?}"), look_at: "the test's setup");
        let named: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        let whole = queues::given::frame::HEADER + 1000;
        let had = queues::given::frame::HEADER + 10;
        support::require!(errors.len() == 1
                && matches!(errors[0], QueueError::Truncated { producer: 2, wanted, got }
                    if wanted == whole && got == had),
            expected: format!("exactly one error: Truncated, naming producer 2, wanted {whole} \
                               bytes (header + the 1000 it announced), got {had}"),
            got: format!("{named:?}"),
            look_at: "Queue::recv: end-of-file with part of a frame read is an error of that producer");
        support::require!(from(&frames, 1).len() == 20 && from(&frames, 3).len() == 20 && from(&frames, 2).is_empty(),
            expected: "the 20 messages of producer 1 and of producer 3, none of 2",
            got: format!("{} from 1, {} from 3, {} from 2", from(&frames, 1).len(), from(&frames, 3).len(), from(&frames, 2).len()),
            look_at: "Queue::recv: one producer's bad stream must not stop the others");
    }

    /// Producer 1 sends garbage, producer 2 a length above the limit,
    /// producer 3 good frames. Two errors, each naming its producer, and
    /// all of producer 3's messages.
    fn garbled_and_oversized_frames_are_errors_naming_the_producer() within 10 s {
        let mut q = Queue::new(4096);
        let p1 = q.add_producer().unwrap();
        let pid1 = start_raw(p1, b"XXXX this is not a frame".to_vec(), false);
        let p2 = q.add_producer().unwrap();
        let pid2 = start_raw(p2, header(2, 0xFFFF_FFF0).unwrap().to_vec(), false);
        let p3 = q.add_producer().unwrap();
        let mut good: Vec<Vec<u8>> = (0..10).map(|i| text(3, i)).collect();
        good.push(vec![3u8; 4096]); // exactly the limit: allowed
        let pid3 = start(p3, good.clone(), None);
        let p4 = q.add_producer().unwrap();
        let pid4 = start_raw(p4, header(9, 3).unwrap().iter().chain(b"abc").copied().collect(), false);
        support::step("receiving from a garbling, an oversized, a good and a lying producer",
            "recv() hangs: a length field above the limit should be refused before waiting \
             for (or allocating) its payload");
        let (frames, errors) = drain(&mut q);
        for pid in [pid1, pid2, pid3, pid4] {
            let _ = wait_for(pid);
        }
        let named: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        let kinds: Vec<(Option<u32>, &str)> = errors.iter().map(|e| (e.producer(), match e {
            QueueError::Garbled { .. } => "garbled",
            QueueError::TooLarge { .. } => "too large",
            QueueError::Truncated { .. } => "truncated",
            QueueError::Io(_) => "io",
        })).collect();
        let mut sorted = kinds.clone();
        sorted.sort();
        support::require!(sorted == [(Some(1), "garbled"), (Some(2), "too large"), (Some(4), "garbled")],
            expected: "three errors: producer 1 garbled (no \"QF\" marker), producer 2 too large, \
                       producer 4 garbled (its frame claims to be from producer 9)",
            got: format!("{named:?}"),
            look_at: "Queue::recv: given::frame::parse_header, then check the claimed producer \
                      and the length against the limit");
        support::require!(from(&frames, 3) == good && frames.len() == 11,
            expected: "producer 3's 11 messages (the last exactly at the 4096-byte limit) and \
                       nothing else",
            got: format!("{} frames, {} from producer 3", frames.len(), from(&frames, 3).len()),
            look_at: "Queue::recv: stop reading a bad producer, go on with the others");
    }
}
