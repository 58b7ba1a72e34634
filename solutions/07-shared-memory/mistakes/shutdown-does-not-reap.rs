//! Exercise 6, solved: a manager process that owns a map, and clients that
//! talk to it over a Unix socket.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;

use nix::sys::signal::{Signal, kill};
use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, Pid, fork};

use crate::given::{
    CHALLENGE, FAILURE, HANDSHAKE_MAX, REQUEST_MAX, WELCOME, answer, is_right_answer,
    random_challenge, read_frame, write_frame,
};
pub use crate::given::{FrameError, Reply, Request};

/// Reads one handshake frame; the peer closing counts as a failure.
fn handshake_frame(stream: &mut impl Read) -> Result<Vec<u8>, FrameError> {
    read_frame(stream, HANDSHAKE_MAX)?
        .ok_or_else(|| FrameError::AuthenticationFailed("the peer closed the connection".into()))
}

pub fn deliver_challenge(stream: &mut (impl Read + Write), key: &[u8]) -> Result<(), FrameError> {
    let nonce = random_challenge()?;
    let mut challenge = CHALLENGE.to_vec();
    challenge.extend_from_slice(&nonce);
    write_frame(stream, &challenge)?;
    let response = handshake_frame(stream)?;
    if is_right_answer(key, &nonce, &response) {
        write_frame(stream, WELCOME)
    } else {
        let _ = write_frame(stream, FAILURE);
        Err(FrameError::AuthenticationFailed(
            "the client's answer is wrong: it does not know the key".into(),
        ))
    }
}

pub fn answer_challenge(stream: &mut (impl Read + Write), key: &[u8]) -> Result<(), FrameError> {
    let challenge = handshake_frame(stream)?;
    let Some(nonce) = challenge.strip_prefix(CHALLENGE) else {
        return Err(FrameError::AuthenticationFailed(
            "the server did not send a challenge".into(),
        ));
    };
    write_frame(stream, &answer(key, nonce))?;
    if handshake_frame(stream)? == WELCOME {
        Ok(())
    } else {
        Err(FrameError::AuthenticationFailed(
            "the server refused our answer: our keys differ".into(),
        ))
    }
}

// ANCHOR: handle
pub fn handle(map: &mut HashMap<String, i64>, request: Request) -> Reply {
    match request {
        Request::Get(key) => match map.get(&key) {
            Some(&v) => Reply::Value(v),
            None => Reply::Missing,
        },
        Request::Set(key, value) => {
            map.insert(key, value);
            Reply::Done
        }
        Request::Add(key, delta) => {
            let slot = map.entry(key).or_insert(0);
            match slot.checked_add(delta) {
                Some(sum) => {
                    *slot = sum;
                    Reply::Value(sum)
                }
                None => Reply::Refused(format!("{slot} + {delta} overflows")),
            }
        }
    }
}
// ANCHOR_END: handle

// ANCHOR: serve
pub fn serve(listener: UnixListener, key: &[u8]) -> io::Result<()> {
    let map = Arc::new(Mutex::new(HashMap::new()));
    loop {
        let (stream, _) = listener.accept()?;
        let (map, key) = (Arc::clone(&map), key.to_vec());
        // One thread per connection, as Python's Manager does: a client
        // that sends nothing keeps only its own thread waiting.
        thread::spawn(move || serve_connection(stream, &key, &map));
    }
}

type Map = Mutex<HashMap<String, i64>>;

fn serve_connection(mut stream: UnixStream, key: &[u8], map: &Map) {
    if deliver_challenge(&mut stream, key).is_err() {
        return;
    }
    loop {
        let payload = match read_frame(&mut stream, REQUEST_MAX) {
            Ok(Some(payload)) => payload,
            Ok(None) => return, // the client hung up between requests
            Err(e) => {
                // Too large or cut short: the stream cannot be trusted to
                // be at a frame's start any more. Say why, and hang up.
                let refused = Reply::Refused(e.to_string());
                let _ = write_frame(&mut stream, &refused.encode());
                return;
            }
        };
        let reply = match Request::decode(&payload) {
            Ok(request) => {
                let mut map = map.lock().unwrap_or_else(|e| e.into_inner());
                handle(&mut map, request)
            }
            Err(e) => Reply::Refused(e.to_string()),
        };
        if write_frame(&mut stream, &reply.encode()).is_err() {
            return;
        }
    }
}
// ANCHOR_END: serve

#[derive(Debug)]
pub struct Manager {
    server: Option<Pid>,
    path: PathBuf,
}

impl Manager {
    // ANCHOR: start
    pub fn start(path: impl AsRef<Path>, key: &[u8]) -> io::Result<Manager> {
        let path = path.as_ref().to_path_buf();
        // Bound before the fork: connections made as soon as `start`
        // returns wait in the listener's queue until the server accepts.
        let listener = UnixListener::bind(&path)?;
        // The child starts threads and allocates: start the manager before
        // your own threads hold locks.
        // SAFETY: the child runs the server and _exits, never returning into
        // the caller, and glibc's fork leaves malloc usable in the child.
        match unsafe { fork() } {
            Ok(ForkResult::Child) => {
                // The server returns only if accept fails.
                let serving = AssertUnwindSafe(|| serve(listener, key));
                let _ = panic::catch_unwind(serving);
                // SAFETY: _exit ends the server without running the
                // parent's destructors or atexit handlers.
                unsafe { libc::_exit(1) }
            }
            Ok(ForkResult::Parent { child }) => Ok(Manager {
                server: Some(child),
                path,
            }),
            Err(e) => {
                let _ = fs::remove_file(&path);
                Err(e.into())
            }
        }
    }
    // ANCHOR_END: start

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn server_pid(&self) -> u32 {
        self.server.map_or(0, |p| p.as_raw() as u32)
    }

    pub fn connect(&self, key: &[u8]) -> Result<Client, FrameError> {
        Client::connect(&self.path, key)
    }

    // ANCHOR: shutdown
    pub fn shutdown(mut self) -> io::Result<()> {
        self.stop()
    }

    fn stop(&mut self) -> io::Result<()> {
        let Some(pid) = self.server.take() else {
            return Ok(());
        };
        kill(pid, Signal::SIGTERM)?;
        fs::remove_file(&self.path)
    }
    // ANCHOR_END: shutdown
}

impl Drop for Manager {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

#[derive(Debug)]
pub struct Client {
    stream: UnixStream,
}

impl Client {
    pub fn connect(path: impl AsRef<Path>, key: &[u8]) -> Result<Client, FrameError> {
        Client::over(UnixStream::connect(path)?, key)
    }

    pub fn over(mut stream: UnixStream, key: &[u8]) -> Result<Client, FrameError> {
        answer_challenge(&mut stream, key)?;
        Ok(Client { stream })
    }

    pub fn request(&mut self, request: &Request) -> Result<Reply, FrameError> {
        write_frame(&mut self.stream, &request.encode())?;
        match read_frame(&mut self.stream, REQUEST_MAX)? {
            Some(payload) => Reply::decode(&payload),
            None => Err(FrameError::Io(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the manager closed the connection",
            ))),
        }
    }

    pub fn get(&mut self, key: &str) -> Result<Option<i64>, FrameError> {
        match self.request(&Request::Get(key.into()))? {
            Reply::Value(v) => Ok(Some(v)),
            Reply::Missing => Ok(None),
            other => Err(unexpected(other)),
        }
    }

    pub fn set(&mut self, key: &str, value: i64) -> Result<(), FrameError> {
        match self.request(&Request::Set(key.into(), value))? {
            Reply::Done => Ok(()),
            other => Err(unexpected(other)),
        }
    }

    // ANCHOR: add
    pub fn add(&mut self, key: &str, delta: i64) -> Result<i64, FrameError> {
        // One request: the server adds under its lock. A get then a set
        // would let another client's add slip in between (and be lost).
        match self.request(&Request::Add(key.into(), delta))? {
            Reply::Value(sum) => Ok(sum),
            other => Err(unexpected(other)),
        }
    }
    // ANCHOR_END: add
}

/// A reply that does not answer the request: a refusal, or a server that
/// speaks another protocol.
fn unexpected(reply: Reply) -> FrameError {
    match reply {
        Reply::Refused(why) => FrameError::Io(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("the manager refused the request: {why}"),
        )),
        other => FrameError::Garbled(format!("a reply that does not fit the request: {other:?}")),
    }
}
