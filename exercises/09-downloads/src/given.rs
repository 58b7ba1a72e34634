//! Code the exercises use but do not ask you to write: a local file server
//! to download from, the error type, and the HTTP plumbing of both clients.
//!
//! **The server.** [`Server::start`] serves `files` generated files on the
//! loopback address (`http://127.0.0.1:<port>/files/<i>`), with
//! [hyper](https://hyper.rs) on a [tokio](https://tokio.rs) runtime in a
//! thread of its own. Nothing leaves the machine. It can wait before each
//! answer ([`ServerConfig::delay`], the benchmarks' stand-in for a slow
//! network), misbehave on chosen files ([`Fault`]), and hold every answer
//! until `k` requests are in flight at once ([`ServerConfig::gate`]): a
//! downloader that fetches one file at a time never opens that gate, one
//! that keeps `k` in flight does. Dropping the server stops it and joins
//! its thread.
//!
//! **The clients.** The blocking exercises use [ureq](https://docs.rs/ureq)
//! through an [`agent`] made here (with a timeout, and a 404 returned as a
//! response rather than an error, so that checking the status is your
//! job). The async exercise uses hyper's own client through [`get`].
//! [`save_body`] and [`body_bytes`] read a body and tell a broken transfer
//! ([`DownloadError::Broken`]) from a failed write
//! ([`DownloadError::Save`]).

use std::fmt;
use std::fs::File;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::{Request, Response, StatusCode, Uri};
use hyper_util::rt::TokioIo;
use tokio::sync::{oneshot, watch};

/// Why one download failed.
#[derive(Debug)]
pub enum DownloadError {
    /// The server answered with this status, not a 2xx.
    Status(u16),
    /// No answer (or no whole body) within the time allowed.
    Timeout,
    /// The transfer broke: refused, reset, or a body shorter than the
    /// server announced.
    Broken(String),
    /// The file could not be written or renamed.
    Save(String),
}

impl fmt::Display for DownloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DownloadError::Status(s) => write!(f, "the server answered {s}"),
            DownloadError::Timeout => write!(f, "timed out"),
            DownloadError::Broken(why) => write!(f, "the transfer broke: {why}"),
            DownloadError::Save(why) => write!(f, "saving failed: {why}"),
        }
    }
}

impl std::error::Error for DownloadError {}

impl From<ureq::Error> for DownloadError {
    fn from(e: ureq::Error) -> Self {
        match e {
            ureq::Error::StatusCode(s) => DownloadError::Status(s),
            ureq::Error::Timeout(_) => DownloadError::Timeout,
            ureq::Error::Io(e) => read_error(e),
            other => DownloadError::Broken(other.to_string()),
        }
    }
}

fn read_error(e: io::Error) -> DownloadError {
    match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => DownloadError::Timeout,
        _ => match e.downcast::<ureq::Error>() {
            Ok(inner) => DownloadError::from(inner),
            Err(e) => DownloadError::Broken(e.to_string()),
        },
    }
}

/// One file to fetch: where from, and under which name to save it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub url: String,
    pub dest: PathBuf,
}

/// What a download result is: the number of bytes saved, or why not.
pub type Outcome = Result<u64, DownloadError>;

/// The temporary name a file is written under before it is complete:
/// `dest` with `.part` added (`a/file-3.bin` → `a/file-3.bin.part`).
pub fn part_path(dest: &Path) -> PathBuf {
    let mut name = dest.as_os_str().to_owned();
    name.push(".part");
    PathBuf::from(name)
}

/// A blocking HTTP client (a ureq `Agent`) whose every call, body
/// included, must finish within `timeout`. A 404 or 500 comes back as a
/// response, with its status, not as an error. Clones share one pool of
/// kept-alive connections, large enough for one per thread.
pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_idle_connections(1024)
        .max_idle_connections_per_host(1024)
        .build()
        .into()
}

/// Copies a ureq response's body into `file`; returns the bytes copied.
/// A read that fails, or a body shorter than its `Content-Length`, is
/// [`DownloadError::Broken`] (or `Timeout`); a failed write is `Save`.
pub fn save_body(
    response: &mut ureq::http::Response<ureq::Body>,
    file: &mut File,
) -> Result<u64, DownloadError> {
    let announced = content_length(response.headers());
    let mut reader = response.body_mut().as_reader();
    let mut buf = vec![0u8; 16 * 1024];
    let mut copied = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_error(e)),
        };
        file.write_all(&buf[..n])
            .map_err(|e| DownloadError::Save(e.to_string()))?;
        copied += n as u64;
    }
    match announced {
        Some(len) if len != copied => Err(DownloadError::Broken(format!(
            "the body ended after {copied} of {len} bytes"
        ))),
        _ => Ok(copied),
    }
}

fn content_length(headers: &ureq::http::HeaderMap) -> Option<u64> {
    headers
        .get(ureq::http::header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

/// An async GET with hyper's client, on a new connection: resolves when the
/// status and headers have arrived; the body is still to be read (see
/// [`body_bytes`]). Must run inside a tokio runtime.
pub async fn get(url: &str) -> Result<Response<Incoming>, DownloadError> {
    let broken = |e: &dyn fmt::Display| DownloadError::Broken(e.to_string());
    let uri: Uri = url.parse().map_err(|e| broken(&e))?;
    let authority = uri
        .authority()
        .ok_or_else(|| DownloadError::Broken(format!("no host in {url}")))?
        .to_string();
    let stream = tokio::net::TcpStream::connect(&authority)
        .await
        .map_err(|e| broken(&e))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| broken(&e))?;
    // The connection does the actual reading and writing; it ends when the
    // response has been read (or dropped).
    tokio::spawn(connection);
    let request = Request::get(uri.path())
        .header(hyper::header::HOST, authority)
        .body(Empty::<Bytes>::new())
        .map_err(|e| broken(&e))?;
    sender.send_request(request).await.map_err(|e| broken(&e))
}

/// Reads a whole async body; a body that breaks off is `Broken`.
pub async fn body_bytes(body: Incoming) -> Result<Bytes, DownloadError> {
    match body.collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) => Err(DownloadError::Broken(e.to_string())),
    }
}

/// A current-thread tokio runtime (timers and sockets enabled): one thread
/// runs every task, switching at each `.await`.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts")
}

// ---------------------------------------------------------------------------
// The server.

/// How the server misbehaves on one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answers 404 Not Found.
    NotFound,
    /// Answers 500 Internal Server Error, every time.
    ServerError,
    /// Answers 500 the first `n` times, then serves the file.
    FailFirst(usize),
    /// Resets the connection (TCP RST) instead of answering.
    Reset,
    /// Announces the whole file, sends half of it, and closes.
    Truncated,
    /// Never answers (until the server stops).
    Stall,
    /// Answers only once every other file has been answered: the file
    /// that finishes last.
    Last,
}

/// What the server serves and how.
#[derive(Debug, Clone, Default)]
pub struct ServerConfig {
    /// Files `0..files` exist.
    pub files: usize,
    /// Each file's size in bytes.
    pub size: usize,
    /// Waits this long before each answer (0 in the tests).
    pub delay: Duration,
    /// Files that misbehave, and how.
    pub faults: Vec<(usize, Fault)>,
    /// Holds every answer until this many requests are in flight at once;
    /// after that the gate stays open.
    pub gate: Option<usize>,
}

/// The content of file `i`: `size` bytes that differ from file to file.
pub fn content(i: usize, size: usize) -> Vec<u8> {
    let mut x = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..size)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

struct Counters {
    requests: AtomicUsize,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    /// How many answers have been made; a `Fault::Last` answer waits on it.
    answered: watch::Sender<usize>,
    per_file: Mutex<Vec<usize>>,
}

/// A running file server; stops when dropped.
pub struct Server {
    addr: SocketAddr,
    counters: Arc<Counters>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Starts a server on `127.0.0.1` at a free port.
    pub fn start(config: ServerConfig) -> io::Result<Server> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let counters = Arc::new(Counters {
            requests: AtomicUsize::new(0),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            answered: watch::channel(0).0,
            per_file: Mutex::new(vec![0; config.files]),
        });
        let (stop, stopped) = oneshot::channel();
        let shared = Arc::clone(&counters);
        let thread = thread::Builder::new()
            .name("file-server".into())
            .spawn(move || {
                let rt = runtime();
                rt.block_on(serve(listener, config, shared, stopped));
                // Dropping the runtime cancels every connection still open
                // (stalled answers and a closed gate included).
            })?;
        Ok(Server {
            addr,
            counters,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL of file `i`.
    pub fn url(&self, i: usize) -> String {
        format!("http://{}/files/{i}", self.addr)
    }

    /// A job per file `0..n`, saved as `dir/file-<i>.bin`.
    pub fn jobs(&self, n: usize, dir: &Path) -> Vec<Job> {
        (0..n)
            .map(|i| Job {
                url: self.url(i),
                dest: dir.join(format!("file-{i}.bin")),
            })
            .collect()
    }

    /// Requests received so far, all files together.
    pub fn requests(&self) -> usize {
        self.counters.requests.load(Ordering::SeqCst)
    }

    /// Requests received so far for file `i`.
    pub fn requests_for(&self, i: usize) -> usize {
        self.counters.per_file.lock().unwrap()[i]
    }

    /// The most requests that were in flight at one moment.
    pub fn max_in_flight(&self) -> usize {
        self.counters.max_in_flight.load(Ordering::SeqCst)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    listener: TcpListener,
    config: ServerConfig,
    counters: Arc<Counters>,
    stopped: oneshot::Receiver<()>,
) {
    let listener = tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
    tokio::spawn(accept(listener, Arc::new(config), counters));
    // Returning ends `block_on`; dropping the runtime then cancels the
    // accept loop and every connection.
    let _ = stopped.await;
}

async fn accept(
    listener: tokio::net::TcpListener,
    config: Arc<ServerConfig>,
    counters: Arc<Counters>,
) {
    let (gate_open, _) = watch::channel(config.gate.is_none_or(|k| k <= 1));
    let gate_open = Arc::new(gate_open);
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let fd = std::os::fd::AsRawFd::as_raw_fd(&stream);
        let (config, counters, gate_open) = (
            Arc::clone(&config),
            Arc::clone(&counters),
            Arc::clone(&gate_open),
        );
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                answer(
                    req,
                    fd,
                    Arc::clone(&config),
                    Arc::clone(&counters),
                    Arc::clone(&gate_open),
                )
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Counts a request in flight until dropped.
struct InFlight(Arc<Counters>);

impl InFlight {
    fn enter(counters: &Arc<Counters>) -> (InFlight, usize) {
        let now = counters.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        counters.max_in_flight.fetch_max(now, Ordering::SeqCst);
        (InFlight(Arc::clone(counters)), now)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

type Answer = Result<Response<ServerBody>, io::Error>;

async fn answer(
    req: Request<Incoming>,
    fd: std::os::fd::RawFd,
    config: Arc<ServerConfig>,
    counters: Arc<Counters>,
    gate_open: Arc<watch::Sender<bool>>,
) -> Answer {
    counters.requests.fetch_add(1, Ordering::SeqCst);
    let (_in_flight, now) = InFlight::enter(&counters);
    let file = req
        .uri()
        .path()
        .strip_prefix("/files/")
        .and_then(|i| i.parse::<usize>().ok())
        .filter(|&i| i < config.files);
    let nth = file.map(|i| {
        let mut per_file = counters.per_file.lock().unwrap();
        per_file[i] += 1;
        per_file[i]
    });
    if let Some(k) = config.gate {
        if now >= k {
            gate_open.send_replace(true);
        }
        let mut open = gate_open.subscribe();
        let _ = open.wait_for(|&o| o).await;
    }
    if !config.delay.is_zero() {
        tokio::time::sleep(config.delay).await;
    }
    let (Some(i), Some(nth)) = (file, nth) else {
        return Ok(status(StatusCode::NOT_FOUND));
    };
    let fault = config.faults.iter().find(|(f, _)| *f == i).map(|(_, f)| *f);
    let answer = match fault {
        Some(Fault::NotFound) => status(StatusCode::NOT_FOUND),
        Some(Fault::ServerError) => status(StatusCode::INTERNAL_SERVER_ERROR),
        Some(Fault::FailFirst(n)) if nth <= n => status(StatusCode::INTERNAL_SERVER_ERROR),
        Some(Fault::Reset) => {
            reset_on_close(fd);
            return Err(io::Error::other("reset by the server, as asked"));
        }
        Some(Fault::Stall) => std::future::pending::<Response<ServerBody>>().await,
        Some(Fault::Truncated) => {
            let body = content(i, config.size);
            let half = Bytes::copy_from_slice(&body[..body.len() / 2]);
            Response::builder()
                .header(hyper::header::CONTENT_LENGTH, body.len())
                .body(ServerBody::Truncated(Some(half), false))
                .expect("a valid response")
        }
        Some(Fault::Last) => {
            let mut answered = counters.answered.subscribe();
            let others = config.files - 1;
            let _ = answered.wait_for(|&n| n >= others).await;
            whole(i, config.size)
        }
        _ => whole(i, config.size),
    };
    counters.answered.send_modify(|n| *n += 1);
    Ok(answer)
}

fn whole(i: usize, size: usize) -> Response<ServerBody> {
    Response::new(ServerBody::Whole(Some(Bytes::from(content(i, size)))))
}

fn status(code: StatusCode) -> Response<ServerBody> {
    let mut r = Response::new(ServerBody::Whole(Some(Bytes::from_static(
        b"no file here\n",
    ))));
    *r.status_mut() = code;
    r
}

/// Makes the connection's close a reset: SO_LINGER on, with 0 seconds.
fn reset_on_close(fd: std::os::fd::RawFd) {
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: `fd` is this connection's socket, open for as long as hyper
    // serves the connection, and this runs inside that service; setsockopt
    // reads `size_of::<linger>()` bytes from a valid `linger` value.
    unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&raw const linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
}

/// A response body: the whole file, or half of it and then an error (the
/// connection is closed mid-body).
enum ServerBody {
    Whole(Option<Bytes>),
    /// The half to send, and whether hyper has been given a chance to
    /// flush it.
    Truncated(Option<Bytes>, bool),
}

impl Body for ServerBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        match self.get_mut() {
            ServerBody::Whole(data) => Poll::Ready(data.take().map(|d| Ok(Frame::data(d)))),
            ServerBody::Truncated(data, flushed) => {
                if let Some(half) = data.take() {
                    return Poll::Ready(Some(Ok(Frame::data(half))));
                }
                if !*flushed {
                    // Not ready (but wake at once): hyper writes out what
                    // it holds before it polls again, so the client gets
                    // the headers and the half before the connection breaks.
                    *flushed = true;
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                Poll::Ready(Some(Err(io::Error::other("truncated on purpose"))))
            }
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            ServerBody::Whole(Some(d)) => SizeHint::with_exact(d.len() as u64),
            ServerBody::Whole(None) => SizeHint::with_exact(0),
            ServerBody::Truncated(..) => SizeHint::default(),
        }
    }
}
