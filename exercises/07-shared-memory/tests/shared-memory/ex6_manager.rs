//! Exercise 6: a manager process that owns a map (`src/ex6_manager.rs`).

use std::collections::HashMap;
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};

use shared_memory::ex6_manager::{
    Client, FrameError, Manager, Reply, Request, answer_challenge, deliver_challenge, handle,
};
use shared_memory::given::{REQUEST_MAX, fork_child, process_is_gone, read_frame, write_frame};
use support::require;

const KEY: &[u8] = b"the workbook's test key";

/// Where a test's manager listens: in the test's own temporary folder
/// (`TMPDIR`), which the test harness makes before the test starts and
/// removes with everything in it after the test ends, however it ends.
/// Its path is short, as a Unix socket's path must be (108 bytes at most).
fn socket_path() -> PathBuf {
    std::env::temp_dir().join("manager.sock")
}

fn start(socket: &Path) -> Manager {
    Manager::start(socket, KEY).expect("Manager::start on a new socket path")
}

/// A connection that has passed the handshake, for sending raw frames.
fn raw_connection(path: &Path) -> UnixStream {
    let mut s = UnixStream::connect(path).expect("connecting to the manager's socket");
    answer_challenge(&mut s, KEY).expect("the handshake with the right key");
    s
}

/// Sends one raw payload and reads what comes back: a reply, or `None` if
/// the server hung up.
fn exchange(s: &mut UnixStream, payload: &[u8]) -> Result<Option<Reply>, FrameError> {
    write_frame(s, payload)?;
    match read_frame(s, REQUEST_MAX)? {
        Some(p) => Reply::decode(&p).map(Some),
        None => Ok(None),
    }
}

/// Fails unless a new client of `m` is served and the server still runs.
fn still_serving(m: &Manager, after: &str, look_at: &str) {
    support::step(
        &format!("a new client connecting and adding 1 {after}"),
        &format!("the new client is never served: is the server still accepting? {look_at}"),
    );
    let alive = !process_is_gone(m.server_pid());
    let served = m
        .connect(KEY)
        .and_then(|mut c| c.add("still-serving", 1))
        .map_err(|e| e.to_string());
    require!(alive && served.is_ok(),
        expected: format!("the server to go on serving everyone else {after}"),
        got: format!("server process alive: {alive}; a new client's add: {served:?}"),
        look_at: look_at);
}

support::isolated_tests! {
    fn handle_answers_each_request_on_the_map() {
        let mut map = HashMap::new();
        let got = [
            handle(&mut map, Request::Get("x".into())),
            handle(&mut map, Request::Set("x".into(), 5)),
            handle(&mut map, Request::Get("x".into())),
            handle(&mut map, Request::Add("x".into(), -7)),
            handle(&mut map, Request::Add("new".into(), 3)),
        ];
        let want = [Reply::Missing, Reply::Done, Reply::Value(5), Reply::Value(-2), Reply::Value(3)];
        require!(got == want,
            expected: format!("Get x (missing), Set x 5, Get x, Add x -7, Add new 3 to give {want:?}"),
            got: format!("{got:?}"),
            look_at: "handle: what is a missing key for Get, and for Add? What does Add \
                      reply with?");
        map.insert("big".into(), i64::MAX);
        let over = handle(&mut map, Request::Add("big".into(), 1));
        require!(matches!(over, Reply::Refused(_)) && map["big"] == i64::MAX,
            expected: "adding 1 to i64::MAX to be Refused, and the value left as it was",
            got: format!("{over:?}, value now {}", map["big"]),
            look_at: "handle: which addition says that the sum does not fit instead of \
                      panicking or wrapping?");
    }

    fn get_set_and_add_through_the_manager() {
        let socket = socket_path();
        let m = start(&socket);
        support::step("a client connecting and sending get, set and add",
            "the client never gets an answer: does the server accept, run the handshake and \
             answer each request frame with a reply frame?");
        let mut c = m.connect(KEY).expect("connecting with the right key");
        let missing = c.get("x").map_err(|e| e.to_string());
        require!(missing == Ok(None),
            expected: "get of a key never set to be Ok(None), like d.get('x')",
            got: format!("{missing:?}"),
            look_at: "handle and Client::get: which reply stands for a missing key, and \
                      what does the client make of it?");
        c.set("x", 40).expect("set x 40");
        let sum = c.add("x", 2).map_err(|e| e.to_string());
        let now = c.get("x").map_err(|e| e.to_string());
        require!(sum == Ok(42) && now == Ok(Some(42)),
            expected: "set x 40, add x 2 to return 42, then get x to be Some(42)",
            got: format!("add returned {sum:?}, get returned {now:?}"),
            look_at: "handle and Client::add / Client::get: does each reply carry the value \
                      the map holds after the request?");
        let fresh = c.add("y", -5).map_err(|e| e.to_string());
        require!(fresh == Ok(-5),
            expected: "add y -5 on a missing key to give -5 (a missing key counts as 0)",
            got: format!("{fresh:?}"),
            look_at: "handle: where does Add start when the key is not there yet?");
        m.shutdown().expect("shutdown");
    }

    fn processes_adding_at_once_reach_an_exact_total() within 30 s {
        let socket = socket_path();
        let m = start(&socket);
        let path = m.path().to_path_buf();
        support::step("4 client processes that each connect, then wait until all 4 are \
                       connected, then add 1 500 times",
            "a client is never served while the others stay connected: does the server serve \
             one connection to the end before it accepts the next?");
        shared_memory::given::run_in_children(4, |i| {
            let mut c = Client::connect(&path, KEY).expect("connect in a child");
            c.set(&format!("connected-{i}"), 1).expect("set in a child");
            let all = |c: &mut Client| {
                (0..4).all(|j| c.get(&format!("connected-{j}")).expect("get") == Some(1))
            };
            while !all(&mut c) {
                std::thread::yield_now();
            }
            for _ in 0..500 {
                c.add("total", 1).expect("add in a child");
            }
        })
        .expect("every client process should exit 0");
        let mut c = m.connect(KEY).expect("connect in the parent");
        let total = c.get("total").expect("get total").unwrap_or(0);
        require!(total == 2000,
            expected: "2000 after 4 processes x 500 adds of 1",
            got: format!("{total}: {} adds were lost", 2000 - total),
            look_at: "Client::add and handle: is the read, the addition and the write one step \
                      on the server, under the map's lock?");
    }

    fn add_is_one_request_to_the_server() {
        // A fake server: this test plays the manager's part by hand.
        let (mut server, client_end) = UnixStream::pair().expect("socketpair");
        support::step("a client on one end of a socket pair, answering the challenge",
            "the handshake never ends: does Client::over answer the challenge and read the \
             verdict?");
        let client = std::thread::spawn(move || {
            let mut c = Client::over(client_end, KEY).map_err(|e| e.to_string())?;
            let sum = c.add("x", 2).map_err(|e| e.to_string())?;
            let set = c.set("y", 1).map_err(|e| e.to_string());
            let got = c.get("z").map_err(|e| e.to_string());
            Ok::<_, String>((sum, set, got))
        });
        deliver_challenge(&mut server, KEY).expect("the client should pass the handshake");
        support::step("reading the client's first request after add(\"x\", 2)",
            "the client sends nothing: does Client::add write a request frame?");
        let next = |s: &mut UnixStream| -> Option<Request> {
            let p = read_frame(s, REQUEST_MAX).ok()??;
            Request::decode(&p).ok()
        };
        let first = next(&mut server);
        if first != Some(Request::Add("x".into(), 2)) {
            drop(server);
            let _ = client.join();
            support::fail(
                "add(\"x\", 2) to send ONE request, Add(\"x\", 2), and let the server add",
                format!("the first request was {first:?}"),
                "Client::add: with a Get and then a Set, another client's add that lands \
                 between them is lost, as with `d['x'] += 1` on a Python proxy. Which request \
                 makes the server do the reading, adding and writing at once?",
            );
        }
        write_frame(&mut server, &Reply::Value(7).encode()).expect("replying to Add");
        let second = next(&mut server);
        write_frame(&mut server, &Reply::Done.encode()).expect("replying to Set");
        let third = next(&mut server);
        write_frame(&mut server, &Reply::Missing.encode()).expect("replying to Get");
        let answers = client.join().expect("the client thread");
        require!(second == Some(Request::Set("y".into(), 1))
                && third == Some(Request::Get("z".into()))
                && answers == Ok((7, Ok(()), Ok(None))),
            expected: "set(\"y\", 1) to send Set(\"y\", 1) and get(\"z\") Get(\"z\"); the \
                       client to return 7, Ok(()) and None from the replies Value(7), Done and \
                       Missing",
            got: format!("requests {second:?} and {third:?}; the client returned {answers:?}"),
            look_at: "Client::set, Client::get and Client::add: does each send its own \
                      request, and turn the reply into its result?");
    }

    fn an_idle_client_does_not_stop_another_from_being_served() within 10 s {
        let socket = socket_path();
        let m = start(&socket);
        support::step("client A connecting", "the handshake never ends: does the server \
            accept and send the challenge?");
        let mut a = m.connect(KEY).expect("client A connects");
        support::step("client B connecting and adding 1 while client A, connected, sends \
                       nothing",
            "client B is never served: does the server serve one connection to the end \
             before it accepts the next? Client A sends nothing, so that end never comes. \
             How does Python's Manager keep a quiet client from holding up the others?");
        let mut b = m.connect(KEY).expect("client B connects");
        let sum = b.add("x", 1).map_err(|e| e.to_string());
        let seen = a.get("x").map_err(|e| e.to_string());
        require!(sum == Ok(1) && seen == Ok(Some(1)),
            expected: "B's add to give 1, and then A to read Some(1)",
            got: format!("B's add: {sum:?}, A's get: {seen:?}"),
            look_at: "serve: do the connections' threads share one map, or does each have \
                      its own?");
    }

    fn a_wrong_key_is_refused_and_the_server_goes_on() within 10 s {
        let socket = socket_path();
        let m = start(&socket);
        support::step("a client with the wrong key connecting",
            "the wrong client is neither refused nor served: does the server send its verdict \
             (FAILURE) after a wrong answer, and does the client read it?");
        let wrong = Client::connect(m.path(), b"not the key");
        require!(matches!(wrong, Err(FrameError::AuthenticationFailed(_))),
            expected: "connecting with a wrong key to fail with AuthenticationFailed",
            got: format!("{:?}", wrong.map(|_| "a connected client")),
            look_at: "deliver_challenge and answer_challenge: does the server check the \
                      answer, and does the client read the verdict?");
        still_serving(&m, "after a client with a wrong key",
            "serve: does a failed handshake end that connection only, or the server?");
    }

    fn garbled_requests_are_refused_and_the_connection_goes_on() within 10 s {
        let socket = socket_path();
        let m = start(&socket);
        support::step("sending garbled request frames and waiting for the replies",
            "no reply comes: does the server answer a request it cannot decode?");
        let mut s = raw_connection(m.path());
        let garbage: [(&str, &[u8]); 4] = [
            ("an unknown tag", &[99]),
            ("a key that is not UTF-8", &[1, 0, 0, 0, 1, 0xff]),
            ("an Add cut short", &[3, 0, 0, 0, 1, b'x', 0]),
            ("an empty payload", &[]),
        ];
        for (what, payload) in garbage {
            let got = exchange(&mut s, payload);
            require!(matches!(got, Ok(Some(Reply::Refused(_)))),
                expected: format!("a frame holding {what} to be answered with Reply::Refused"),
                got: match &got {
                    Ok(None) => "the server hung up (did its thread panic on the bytes?)".into(),
                    other => format!("{other:?}"),
                },
                look_at: "serve: Request::decode returns an error for such bytes. Does the \
                          server answer that error, or unwrap it?");
        }
        let after = exchange(&mut s, &Request::Get("x".into()).encode());
        require!(matches!(after, Ok(Some(Reply::Missing))),
            expected: "a good Get on the same connection, after the garbled ones, to be answered",
            got: format!("{after:?}"),
            look_at: "serve: after a whole frame that did not decode, where does the next \
                      frame start, and does the server go on reading?");
        still_serving(&m, "after garbled requests",
            "serve: does a bad request stop more than its own connection?");
    }

    fn an_oversized_length_is_refused_without_waiting_for_it() within 10 s {
        let socket = socket_path();
        let m = start(&socket);
        let mut s = raw_connection(m.path());
        s.write_all(&[0xff; 4]).expect("sending a length field of 4 GiB");
        support::step("waiting for the server to refuse a frame whose length field says 4 GiB",
            "the server waits for the 4 GiB that the length field promised: does it read \
             requests with a limit (REQUEST_MAX), refused before a byte is allocated?");
        let got = read_frame(&mut s, REQUEST_MAX).map(|p| p.map(|p| Reply::decode(&p)));
        let ok = match &got {
            Ok(None) | Err(_) => true, // hung up: allowed
            Ok(Some(Ok(Reply::Refused(_)))) => true,
            Ok(Some(_)) => false,
        };
        require!(ok,
            expected: "a Refused reply, or the connection closed",
            got: format!("{got:?}"),
            look_at: "serve: what does it send when a frame is too large?");
        still_serving(&m, "after a frame with a 4 GiB length field",
            "serve: does it read requests with a limit (REQUEST_MAX), refused before a byte \
             is allocated? A length above it ends that connection only");
    }

    fn a_client_that_dies_mid_request_does_not_stop_the_server() within 10 s {
        let socket = socket_path();
        let m = start(&socket);
        let path = m.path().to_path_buf();
        support::step("a client process that sends half a request and is killed",
            "the client process never finishes its handshake");
        let child = fork_child(|| {
            let mut s = raw_connection(&path);
            s.write_all(&[0, 0, 0, 20, 3, 0, 0]).expect("half a frame");
            let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGKILL);
        })
        .expect("fork");
        let died = child.wait();
        require!(died.as_ref().is_err_and(|e| e.to_string().contains("SIGKILL")),
            expected: "the client process to be killed after half a request",
            got: format!("{died:?}"),
            look_at: "Client's handshake: did the client get to send its half request?");
        still_serving(&m, "after a client died in the middle of a request",
            "serve: does a frame cut short end more than its own connection?");
    }

    fn shutdown_reaps_the_server_and_removes_the_socket() within 10 s {
        let socket = socket_path();
        let m = start(&socket);
        let pid = m.server_pid();
        let proc = PathBuf::from(format!("/proc/{pid}"));
        require!(pid != 0 && proc.exists() && socket.exists(),
            expected: "after start, a server process and a socket file",
            got: format!("server pid {pid}, process exists: {}, socket exists: {}",
                proc.exists(), socket.exists()),
            look_at: "Manager::start: does it bind the socket and fork the server?");
        let twice = Manager::start(&socket, KEY).map(|_| ());
        require!(twice.is_err(),
            expected: "a second start on the same socket path to fail (the address is in use)",
            got: "Ok",
            look_at: "Manager::start: what does bind say when the path is taken, and does \
                      start pass it on?");
        support::step("shutting the manager down", "shutdown never returns: does it stop the \
            server before waiting for it?");
        let done = m.shutdown().map_err(|e| e.to_string());
        require!(done.is_ok() && !proc.exists(),
            expected: "shutdown to return Ok and leave no process behind, not even a zombie",
            got: format!("{done:?}; /proc/{pid} still exists: the server is a zombie or alive"),
            look_at: "Manager::shutdown: after the signal, who collects the server's exit \
                      status?");
        require!(!socket.exists(),
            expected: "the socket file to be gone after shutdown",
            got: format!("{} still exists", socket.display()),
            look_at: "Manager::shutdown: who removes the file that bind created?");
        let dropped = start(&socket);
        let pid = dropped.server_pid();
        drop(dropped);
        require!(!PathBuf::from(format!("/proc/{pid}")).exists() && !socket.exists(),
            expected: "a manager dropped without shutdown to be shut down by Drop",
            got: format!("server process exists: {}, socket exists: {}",
                PathBuf::from(format!("/proc/{pid}")).exists(), socket.exists()),
            look_at: "Drop for Manager: does it do what shutdown does, when shutdown was not \
                      called?");
    }
}
