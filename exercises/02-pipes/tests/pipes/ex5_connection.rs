use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::thread;

use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork};
use pipes::ex4_framing::{read_frame, write_frame};
use pipes::ex5_connection::{Connection, FrameError, Message, accept, connect};
use pipes::given::{CHALLENGE, FAILURE, HANDSHAKE_MAX, WELCOME, answer, encode};
use support::procs;

const KEY: &[u8] = b"the shared secret";

fn is_auth_failure<T>(r: &Result<T, FrameError>) -> bool {
    matches!(r, Err(FrameError::AuthenticationFailed(_)))
}

fn show<T: std::fmt::Debug>(r: &Result<T, FrameError>) -> String {
    match r {
        Ok(v) => format!("Ok({v:?})"),
        Err(e) => format!("Err({e:?})"),
    }
}

support::isolated_tests! {
    /// Messages go both ways on one pair, and a closed end reads as None.
    fn messages_flow_both_ways() {
        let (mut a, mut b) = Connection::pair().expect("pair should not fail");
        support::step("receiving a message sent on the other end of the pair",
            "recv waits for a frame that send never wrote completely: does send write the length AND the payload?");
        a.send(&Message::Ping(7)).expect("send should not fail");
        let got = b.recv();
        support::require!(matches!(got, Ok(Some(Message::Ping(7)))),
            expected: "Ok(Some(Ping(7))) on the other end",
            got: show(&got),
            look_at: "Connection::send and Connection::recv");
        b.send(&Message::Text("pong".into())).expect("send should not fail");
        let got = a.recv();
        support::require!(matches!(&got, Ok(Some(Message::Text(t))) if t == "pong"),
            expected: "Ok(Some(Text(\"pong\"))) back: a pair is duplex",
            got: show(&got),
            look_at: "Connection::pair: one UnixStream::pair, one end each");
        drop(a);
        support::step("receiving on a connection whose other end was dropped",
            "recv should return Ok(None) when read_frame sees a clean end-of-stream");
        let got = b.recv();
        support::require!(matches!(got, Ok(None)),
            expected: "Ok(None) once the other end is closed",
            got: show(&got),
            look_at: "Connection::recv: read_frame's Ok(None) means the peer has gone");
    }

    /// A message bigger than the socket's buffer arrives whole.
    fn a_large_message_arrives_whole() {
        let (mut a, mut b) = Connection::pair().expect("pair should not fail");
        let numbers: Vec<i64> = (0..100_000).map(|i| i * 7 - 3).collect();
        let sent = Message::Numbers(numbers);
        support::step("sending 800 kB on one thread while another receives it",
            "recv returned before the whole frame arrived, or send never finished: read until the frame is complete");
        let got = thread::scope(|s| {
            let sender = s.spawn(|| a.send(&sent));
            let got = b.recv();
            let _ = sender.join();
            got
        });
        support::require!(matches!(&got, Ok(Some(m)) if *m == sent),
            expected: "the 100000 numbers back, in order",
            got: match &got { Ok(Some(Message::Numbers(v))) => format!("{} numbers", v.len()), other => show(other) },
            look_at: "read_frame: one read() may return part of a frame; loop until it is complete");
    }

    /// Another process (a forked child echoing raw bytes) sends the frame
    /// back: the framing works across processes, not just threads.
    fn a_child_process_echoes_a_message() {
        let (mut ours, mut theirs) = Connection::pair().expect("pair should not fail");
        let msg = Message::Text("across a fork".into());
        let len = 4 + encode(&msg).len();
        let fd = theirs.stream.as_raw_fd();
        // SAFETY: the child only calls read/write on a raw fd with a stack
        // buffer and then `_exit`: no allocation, no locks.
        let child = match unsafe { fork() }.expect("fork") {
            ForkResult::Child => {
                let mut buf = [0u8; 256];
                let mut got = 0;
                while got < len {
                    // SAFETY: buf[got..] is valid writable memory of the given length.
                    let k = unsafe { libc::read(fd, buf[got..].as_mut_ptr().cast(), len - got) };
                    if k <= 0 { break; }
                    got += k as usize;
                }
                // SAFETY: buf[..got] is initialised memory of that length.
                unsafe { libc::write(fd, buf.as_ptr().cast(), got) };
                // SAFETY: ends the child without returning into the test.
                unsafe { libc::_exit(0) }
            }
            ForkResult::Parent { child } => child,
        };
        let _ = &mut theirs;
        support::step("receiving the message echoed by a forked child",
            "the child echoes exactly one frame (4 + payload bytes): does send write exactly that?");
        ours.send(&msg).expect("send should not fail");
        let got = ours.recv();
        let status = waitpid(child, None);
        support::require!(matches!(&got, Ok(Some(m)) if *m == msg),
            expected: format!("{msg:?} echoed back by process {child}"),
            got: show(&got),
            look_at: "send and recv: the frame format is in given.rs and exercise 4");
        support::require!(child.as_raw() != procs::own_pid() && matches!(status, Ok(WaitStatus::Exited(_, 0))),
            expected: "a separate process that exited with status 0",
            got: format!("pid {child}, {status:?}"),
            look_at: "(this is the test's own child; if it failed, send wrote something unexpected)");
    }

    /// Both sides know the key: the handshake passes, then messages flow.
    fn matching_keys_shake_hands_then_talk() {
        let (s1, s2) = UnixStream::pair().expect("socketpair");
        support::step("running accept and connect on two threads with the same key",
            "both sides wait to read: do accept and connect take their turns in opposite orders (accept: deliver then answer; connect: answer then deliver)?");
        let (server, client) = thread::scope(|s| {
            let server = s.spawn(|| accept(s1, KEY));
            let client = connect(s2, KEY);
            (server.join().expect("accept should not panic"), client)
        });
        let (Ok(mut server), Ok(mut client)) = (server, client) else {
            support::fail("both sides to accept the same key", "an error", "deliver_challenge / answer_challenge");
        };
        client.send(&Message::Bye).expect("send after the handshake");
        let got = server.recv();
        support::require!(matches!(got, Ok(Some(Message::Bye))),
            expected: "Bye to arrive after the handshake",
            got: show(&got),
            look_at: "the handshake must read exactly its own frames, no more");
    }

    /// The listener answers a wrong key with FAILURE, and refuses it.
    fn the_listener_refuses_a_client_with_the_wrong_key() {
        let (s1, mut impostor) = UnixStream::pair().expect("socketpair");
        support::step("playing a client with the wrong key against accept",
            "accept must send a challenge first, then read the answer and send a verdict (WELCOME or FAILURE)");
        let (server, verdict) = thread::scope(|s| {
            let server = s.spawn(|| accept(s1, KEY));
            let challenge = read_frame(&mut impostor, HANDSHAKE_MAX)
                .expect("a challenge frame").expect("a challenge, not end-of-stream");
            let nonce = challenge.strip_prefix(CHALLENGE).expect("the challenge starts with #CHALLENGE#");
            write_frame(&mut impostor, &answer(b"a wrong key", nonce)).expect("send the answer");
            let verdict = read_frame(&mut impostor, HANDSHAKE_MAX);
            drop(impostor);
            (server.join().expect("accept should not panic"), verdict)
        });
        support::require!(matches!(&verdict, Ok(Some(v)) if v == FAILURE),
            expected: "the verdict #FAILURE# for an answer made with the wrong key",
            got: format!("{:?}", verdict.as_ref().map(|v| v.as_ref().map(|b| String::from_utf8_lossy(b).into_owned()))),
            look_at: "deliver_challenge: compare the answer with is_right_answer(key, nonce, answer)");
        support::require!(is_auth_failure(&server),
            expected: "accept to return Err(AuthenticationFailed)",
            got: show(&server),
            look_at: "deliver_challenge: a wrong answer is an error, after telling the peer FAILURE");
    }

    /// Keys differ: both sides fail, neither hangs.
    fn a_wrong_key_fails_on_both_sides() {
        let (s1, s2) = UnixStream::pair().expect("socketpair");
        support::step("running accept and connect with different keys",
            "one side waits for a verdict the other never sends: send FAILURE before returning the error");
        let (server, client) = thread::scope(|s| {
            let server = s.spawn(|| accept(s1, KEY));
            let client = connect(s2, b"not the key");
            (server.join().expect("accept should not panic"), client)
        });
        support::require!(is_auth_failure(&server) && is_auth_failure(&client),
            expected: "Err(AuthenticationFailed) on both sides",
            got: format!("accept: {}, connect: {}", show(&server), show(&client)),
            look_at: "deliver_challenge and answer_challenge");
    }

    /// A peer that does not speak the protocol is refused, without a panic.
    fn a_peer_that_does_not_speak_the_protocol_is_refused() {
        let (s1, mut stranger) = UnixStream::pair().expect("socketpair");
        support::step("connecting to a peer that sends a greeting instead of a challenge",
            "connect should fail when the first frame is not a challenge, or when the peer closes");
        write_frame(&mut stranger, b"hello there").expect("write a frame");
        drop(stranger);
        let client = connect(s1, KEY);
        support::require!(is_auth_failure(&client),
            expected: "Err(AuthenticationFailed) for a first frame that is not #CHALLENGE#",
            got: show(&client),
            look_at: "answer_challenge: check the prefix of the challenge");

        let (s1, mut stranger) = UnixStream::pair().expect("socketpair");
        support::step("accepting a peer that answers with a huge frame, then hangs up",
            "read the answer with HANDSHAKE_MAX as the limit, and treat end-of-stream as a failure");
        let server = thread::scope(|s| {
            let server = s.spawn(|| accept(s1, KEY));
            let _ = read_frame(&mut stranger, HANDSHAKE_MAX);
            let _ = std::io::Write::write_all(&mut stranger, &(1u32 << 30).to_be_bytes());
            drop(stranger);
            server.join().expect("accept should not panic")
        });
        support::require!(server.is_err(),
            expected: "accept to fail for an answer frame claiming 1 GiB",
            got: show(&server),
            look_at: "deliver_challenge: read_frame(.., HANDSHAKE_MAX)");
        let _ = WELCOME;
    }
}
