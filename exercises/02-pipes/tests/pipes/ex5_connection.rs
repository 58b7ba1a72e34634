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
            "recv is still waiting for a frame. Possible causes: send wrote only part of the frame \
             (the length without the payload?); the two Connections of the pair are not the two \
             ends of one socket pair");
        a.send(&Message::Ping(7)).expect("send should not fail");
        let got = b.recv();
        support::require!(matches!(got, Ok(Some(Message::Ping(7)))),
            expected: "Ok(Some(Ping(7))) on the other end",
            got: show(&got),
            look_at: "Connection::send and Connection::recv in src/ex5_connection.rs: what does \
                      each put on, or take from, the wire?");
        b.send(&Message::Text("pong".into())).expect("send should not fail");
        let got = a.recv();
        support::require!(matches!(&got, Ok(Some(Message::Text(t))) if t == "pong"),
            expected: "Ok(Some(Text(\"pong\"))) back: a pair is duplex",
            got: show(&got),
            look_at: "Connection::pair in src/ex5_connection.rs: are the two Connections the two \
                      ends of one duplex socket pair?");
        drop(a);
        support::step("receiving on a connection whose other end was dropped",
            "recv does not return although the other end is closed: does something else still \
             hold that end open (a clone of the stream)?");
        let got = b.recv();
        support::require!(matches!(got, Ok(None)),
            expected: "Ok(None) once the other end is closed",
            got: show(&got),
            look_at: "Connection::recv in src/ex5_connection.rs: what does read_frame give when \
                      the peer has gone, and what does recv make of it?");
    }

    /// A message bigger than the socket's buffer arrives whole.
    fn a_large_message_arrives_whole() {
        let (mut a, mut b) = Connection::pair().expect("pair should not fail");
        let numbers: Vec<i64> = (0..100_000).map(|i| i * 7 - 3).collect();
        let sent = Message::Numbers(numbers);
        support::step("sending 800 kB on one thread while another receives it",
            "the 800 kB frame never arrived whole. Possible causes: recv reads with a limit \
             smaller than the frame and waits for something else; send never finished writing");
        let got = thread::scope(|s| {
            let sender = s.spawn(|| a.send(&sent));
            let got = b.recv();
            let _ = sender.join();
            got
        });
        support::require!(matches!(&got, Ok(Some(m)) if *m == sent),
            expected: "the 100000 numbers back, in order",
            got: match &got { Ok(Some(Message::Numbers(v))) => format!("{} numbers", v.len()), other => show(other) },
            look_at: "Connection::recv and read_frame: which limit does recv read with, and what \
                      happens when one read() returns only part of a frame?");
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
            "the child echoes back exactly the frame's 4 + payload bytes, and recv is still \
             waiting: did send write fewer bytes than one frame, or in another format?");
        ours.send(&msg).expect("send should not fail");
        let got = ours.recv();
        let status = waitpid(child, None);
        support::require!(matches!(&got, Ok(Some(m)) if *m == msg),
            expected: format!("{msg:?} echoed back by process {child}"),
            got: show(&got),
            look_at: "Connection::send and Connection::recv in src/ex5_connection.rs (the frame \
                      format is at the top of src/given.rs)");
        support::require!(child.as_raw() != procs::own_pid() && matches!(status, Ok(WaitStatus::Exited(_, 0))),
            expected: "a separate process that exited with status 0",
            got: format!("pid {child}, {status:?}"),
            look_at: "(this is the test's own child; if it failed, send wrote something unexpected)");
    }

    /// Both sides know the key: the handshake passes, then messages flow.
    fn matching_keys_shake_hands_then_talk() {
        let (s1, s2) = UnixStream::pair().expect("socketpair");
        support::step("running accept and connect on two threads with the same key",
            "accept and connect are both waiting to read. Possible causes, most likely first: \
             both start with the same half of the handshake (who speaks first?); one side waits \
             for a verdict that the other never sends");
        let (server, client) = thread::scope(|s| {
            let server = s.spawn(|| accept(s1, KEY));
            let client = connect(s2, KEY);
            (server.join().expect("accept should not panic"), client)
        });
        let (mut server, mut client) = match (server, client) {
            (Ok(server), Ok(client)) => (server, client),
            (server, client) => support::fail("both sides to accept the same key",
                format!("accept: {}, connect: {}", show(&server), show(&client)),
                "deliver_challenge and answer_challenge in src/ex5_connection.rs: which side \
                 gave up, and on which frame?"),
        };
        client.send(&Message::Bye).expect("send after the handshake");
        let got = server.recv();
        support::require!(matches!(got, Ok(Some(Message::Bye))),
            expected: "Bye to arrive after the handshake",
            got: show(&got),
            look_at: "the handshake in src/ex5_connection.rs: did it read more than its own \
                      frames, or leave one of them unread?");
    }

    /// The listener answers a wrong key with FAILURE, and refuses it.
    fn the_listener_refuses_a_client_with_the_wrong_key() {
        let (s1, mut impostor) = UnixStream::pair().expect("socketpair");
        support::step("playing a client with the wrong key against accept",
            "the test (as the client) waits for accept's challenge, or for its verdict on a wrong \
             answer, and neither comes: does accept begin by delivering a challenge, and does it \
             say something to a client whose answer is wrong?");
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
            look_at: "deliver_challenge in src/ex5_connection.rs: how does it decide whether an \
                      answer is right?");
        support::require!(is_auth_failure(&server),
            expected: "accept to return Err(AuthenticationFailed)",
            got: show(&server),
            look_at: "deliver_challenge in src/ex5_connection.rs: what does it return after a \
                      wrong answer?");
    }

    /// Keys differ: both sides fail, neither hangs.
    fn a_wrong_key_fails_on_both_sides() {
        let (s1, s2) = UnixStream::pair().expect("socketpair");
        support::step("running accept and connect with different keys",
            "one side is still waiting. Possible causes, most likely first: the side that found \
             the answer wrong returned without telling the other, which still waits for a \
             verdict; both sides wait to read at the same time");
        let (server, client) = thread::scope(|s| {
            let server = s.spawn(|| accept(s1, KEY));
            let client = connect(s2, b"not the key");
            (server.join().expect("accept should not panic"), client)
        });
        support::require!(is_auth_failure(&server) && is_auth_failure(&client),
            expected: "Err(AuthenticationFailed) on both sides",
            got: format!("accept: {}, connect: {}", show(&server), show(&client)),
            look_at: "deliver_challenge and answer_challenge in src/ex5_connection.rs: what does \
                      each do when the answer, or the verdict, is not the good one?");
    }

    /// A peer that does not speak the protocol is refused, without a panic.
    fn a_peer_that_does_not_speak_the_protocol_is_refused() {
        let (s1, mut stranger) = UnixStream::pair().expect("socketpair");
        support::step("connecting to a peer that sends a greeting instead of a challenge, then hangs up",
            "connect is still waiting although the peer has hung up: what does answer_challenge \
             wait for after a first frame that is not a challenge?");
        write_frame(&mut stranger, b"hello there").expect("write a frame");
        drop(stranger);
        let client = connect(s1, KEY);
        support::require!(is_auth_failure(&client),
            expected: "Err(AuthenticationFailed) for a first frame that is not #CHALLENGE#",
            got: show(&client),
            look_at: "answer_challenge in src/ex5_connection.rs: what does it check about the \
                      first frame before it answers?");

        let (s1, mut stranger) = UnixStream::pair().expect("socketpair");
        support::step("accepting a peer that answers with a frame claiming 1 GiB, then hangs up",
            "accept is still waiting although the peer has hung up: what does it do with a length \
             field of 1 GiB, and with the end of the stream?");
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
            look_at: "deliver_challenge in src/ex5_connection.rs: which limit does it read the \
                      answer with?");
    }

    /// Each side proves it knows the key. A peer that follows only its
    /// first half of the handshake, then hangs up, is refused by both
    /// accept and connect: neither may return a Connection to it.
    fn a_peer_that_follows_only_half_of_the_handshake_is_refused() {
        // A server that challenges the client and welcomes it, then hangs
        // up instead of answering the client's challenge.
        let (s1, mut half_server) = UnixStream::pair().expect("socketpair");
        support::step("connecting to a server that hangs up after welcoming us, before proving it knows the key",
            "connect is still waiting although the server has hung up: what is it waiting for?");
        let client = thread::scope(|s| {
            let client = s.spawn(|| connect(s1, KEY));
            let mut challenge = CHALLENGE.to_vec();
            challenge.extend_from_slice(&[9u8; 32]);
            let _ = write_frame(&mut half_server, &challenge);
            let _ = read_frame(&mut half_server, HANDSHAKE_MAX);
            let _ = write_frame(&mut half_server, WELCOME);
            drop(half_server);
            client.join().expect("connect should not panic")
        });
        support::require!(client.is_err(),
            expected: "connect to fail: the server never answered the client's challenge, so only \
                       half of the handshake happened and the server never proved it knows the key",
            got: show(&client),
            look_at: "connect in src/ex5_connection.rs: after the server has checked us, how do we \
                      check the server?");

        // A client that answers the server's challenge, then hangs up
        // instead of challenging the server.
        let (s1, mut half_client) = UnixStream::pair().expect("socketpair");
        support::step("accepting a client that hangs up after it was welcomed, before it challenges us",
            "accept is still waiting although the client has hung up: what is it waiting for?");
        let server = thread::scope(|s| {
            let server = s.spawn(|| accept(s1, KEY));
            if let Ok(Some(challenge)) = read_frame(&mut half_client, HANDSHAKE_MAX) {
                let nonce = challenge.strip_prefix(CHALLENGE).unwrap_or(&challenge);
                let _ = write_frame(&mut half_client, &answer(KEY, nonce));
                let _ = read_frame(&mut half_client, HANDSHAKE_MAX);
            }
            drop(half_client);
            server.join().expect("accept should not panic")
        });
        support::require!(server.is_err(),
            expected: "accept to fail: the client hung up before its half of the handshake \
                       (challenging the server)",
            got: show(&server),
            look_at: "accept in src/ex5_connection.rs: after checking the client, what does the \
                      server still owe it, and what if the client hangs up instead?");
    }

    /// A frame length just over one limit and under the other: an answer
    /// that claims 4096 bytes is far below MAX_FRAME but above
    /// HANDSHAKE_MAX. accept refuses it at once, without waiting for bytes
    /// that a hostile client never sends.
    fn an_answer_over_the_handshake_limit_is_refused_without_waiting_for_it() {
        let (s1, mut client) = UnixStream::pair().expect("socketpair");
        support::step("accepting a client whose answer claims 4096 bytes (over HANDSHAKE_MAX, under \
                       MAX_FRAME) and who then sends nothing more, but stays connected",
            "accept waits for the 4096 bytes the answer's length field promised, and the client \
             never sends them: with which limit does deliver_challenge read the answer?");
        let server = thread::scope(|s| {
            let server = s.spawn(|| accept(s1, KEY));
            let _ = read_frame(&mut client, HANDSHAKE_MAX);
            let _ = std::io::Write::write_all(&mut client, &4096u32.to_be_bytes());
            let server = server.join().expect("accept should not panic");
            drop(client);
            server
        });
        support::require!(matches!(server, Err(FrameError::TooLarge { .. }) | Err(FrameError::AuthenticationFailed(_))),
            expected: "accept to refuse an answer whose length is above HANDSHAKE_MAX",
            got: show(&server),
            look_at: "deliver_challenge in src/ex5_connection.rs: which limit does it read the \
                      answer with?");
    }
}
