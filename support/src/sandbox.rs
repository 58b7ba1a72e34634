//! One process per test, with a time limit.
//!
//! Every test declared with [`isolated_tests!`](crate::isolated_tests) runs
//! twice over, in two roles:
//!
//! * In the **supervisor** (the ordinary libtest run), the test re-executes
//!   its own test binary, asking it to run just this one test, in a new
//!   process group and, where the kernel allows it, in PID and mount
//!   namespaces of its own (see `namespace.rs`: a stray `kill(-1, ..)` or
//!   `kill(0, ..)` then reaches only the test's processes), and waits for it
//!   with a backstop deadline.
//! * In that child, the **sandbox**, the test body runs on a thread while the
//!   main thread keeps the clock. The sandbox makes itself a *child
//!   subreaper*, so every process the body starts, and every orphan those
//!   leave, stays in its family. When the body ends (or the time runs out)
//!   the sandbox lists what is left, kills it, reaps it, and writes a report
//!   that the supervisor turns into the test's failure message.
//!
//! So a test that deadlocks fails in [`limit`] seconds instead of hanging,
//! tests never steal each other's children (each has its own process), and
//! a child the student forgot to wait for is caught by name.
//!
//! Reports are worded from evidence. In the last second before the limit
//! the sandbox samples the CPU time of its threads: a timeout then says
//! which threads were busy and which slept, in what (a pipe read, a futex,
//! a wait for a child), what state the children were in, and which
//! threads panicked (a panic hook records them all, and also appends them
//! to a file, so that an abort loses none). The causes that fit follow,
//! most likely first, the step's own guess among them. A test process that
//! dies without a report (a signal, an abort) is explained from its exit
//! signal and its last words on stderr. After every test, `/dev/shm`
//! entries named with [`SHM_PREFIX`](crate::SHM_PREFIX) that appeared
//! during it are removed, and fail a test that otherwise passed.
//!
//! Each test also gets a temporary folder of its own: the supervisor makes
//! it before the test process starts, points `TMPDIR` at it (so
//! `std::env::temp_dir` and the `tempfile` crate use it), and removes it
//! with everything in it once the test process has ended, however it ended:
//! passed, failed, or killed at its time limit (when no destructor of the
//! test's own runs). The sandbox removes it as well when it ends, in case
//! the supervisor itself was killed.

use std::any::Any;
use std::env;
use std::fs;
use std::io::Read;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicI32, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Mutex, mpsc};
use std::thread;
use std::time::Duration;

use nix::sys::signal::{Signal, kill, killpg};
use nix::sys::wait::waitpid;
use nix::unistd::Pid;

use crate::procs::{self, ProcInfo};

/// Set (to the test's name) in the sandbox process.
const TEST_VAR: &str = "WORKBOOK_SANDBOX_TEST";
/// Where the sandbox writes its failure report.
const REPORT_VAR: &str = "WORKBOOK_SANDBOX_REPORT";
/// Where the sandbox appends every panic as it happens (kept if it aborts).
const PANICS_VAR: &str = "WORKBOOK_SANDBOX_PANICS";
/// The test's own temporary folder, which the sandbox empties and removes
/// when it ends (the supervisor does too, in case the sandbox is killed).
const TMP_VAR: &str = "WORKBOOK_SANDBOX_TMP";
/// The supervising test process's pid, for the support crate's own tests.
const SUPERVISOR_VAR: &str = "WORKBOOK_SUPERVISOR";
/// Where the limit came from: "own", "env" or "default".
const LIMIT_SOURCE_VAR: &str = "WORKBOOK_LIMIT_SOURCE";
/// Set (to anything) to run tests without a PID namespace of their own.
pub const NO_NAMESPACE_VAR: &str = "WORKBOOK_NO_NAMESPACE";
/// Seconds a test may run before it is stopped (default [`DEFAULT_LIMIT`]).
pub const TIMEOUT_VAR: &str = "WORKBOOK_TIMEOUT";
/// Present in the environment of every process a test starts, so a final
/// sweep can recognise processes of ours that escaped.
pub const MARK_VAR: &str = "WORKBOOK_SANDBOX";
/// A factor applied to every test's limit (its own, `$WORKBOOK_TIMEOUT` or
/// the default), e.g. `0.5`, though no limit goes below the default 5 s.
/// Mutation testing sets it: there most test runs end with tests waiting
/// out their limits, and the solutions' tests finish far inside them.
pub const LIMIT_SCALE_VAR: &str = "WORKBOOK_LIMIT_SCALE";
/// The default time limit of one test, in seconds.
pub const DEFAULT_LIMIT: f64 = 5.0;

/// Extra time the supervisor allows on top of the test's own limit before it
/// kills the whole process group itself.
const BACKSTOP: Duration = Duration::from_secs(10);

/// The time limit of one test: `$WORKBOOK_TIMEOUT` seconds, or 5.
pub fn limit() -> Duration {
    let secs = env::var(TIMEOUT_VAR)
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .unwrap_or(DEFAULT_LIMIT);
    Duration::from_secs_f64(secs)
}

struct Step {
    doing: String,
    if_stuck: String,
}

static STEP: Mutex<Option<Step>> = Mutex::new(None);
/// Every panic seen in the sandbox: (was it the test body's own thread?, report).
static PANICS: Mutex<Vec<Panic>> = Mutex::new(Vec::new());
static BODY_THREAD: std::sync::OnceLock<thread::ThreadId> = std::sync::OnceLock::new();
/// The kernel's id of the test body's thread (0 until it starts).
static BODY_TID: AtomicI32 = AtomicI32::new(0);

/// One panic seen in the sandbox.
struct Panic {
    /// Was it the test body's own thread?
    in_body: bool,
    /// The thread's name, or `<unnamed>`.
    thread: String,
    /// The report: the message, and where (unless that is the tests' source).
    report: String,
}

/// Says what the test is about to do, and what most likely went wrong if it
/// never finishes. If the time limit strikes, both go into the failure
/// message:
///
/// ```
/// support::step(
///     "waiting for the child to exit",
///     "the child never exits: does it return from the closure and call _exit?",
/// );
/// ```
pub fn step(doing: &str, if_stuck: &str) {
    let mut s = STEP.lock().unwrap_or_else(|e| e.into_inner());
    *s = Some(Step {
        doing: doing.to_string(),
        if_stuck: if_stuck.to_string(),
    });
}

/// Runs one test in its own process (see the module docs). `name` is the
/// test's path as libtest knows it (`module::test`); the
/// [`isolated_tests!`](crate::isolated_tests) macro computes it.
pub fn run_test(name: &str, within: Option<Duration>, body: impl FnOnce() + Send + 'static) {
    let source = if within.is_some() {
        LimitSource::Own
    } else if env::var_os(TIMEOUT_VAR).is_some() {
        LimitSource::Env
    } else {
        LimitSource::Default
    };
    if env::var(TEST_VAR).as_deref() == Ok(name) {
        // The supervisor passed on the limit it enforces, scaled already.
        sandbox(name, limit(), body)
    } else {
        let scale = env::var(LIMIT_SCALE_VAR).ok();
        let limit = scaled(within.unwrap_or_else(limit), scale.as_deref());
        supervise(name, limit, source)
    }
}

/// `limit` times the factor in `scale` (from [`LIMIT_SCALE_VAR`]), when that
/// is a number above 0 and at most 1, but never below [`DEFAULT_LIMIT`]
/// (nor above `limit`); otherwise `limit` as it is. The floor: a test that
/// waits for evidence from `/proc` hundreds of times (Queues' 500 items,
/// each handed over only once the producer is seen blocked) needs more
/// than 2.5 s with 8 tests at once and both CPUs busy.
fn scaled(limit: Duration, scale: Option<&str>) -> Duration {
    match scale.and_then(|s| s.trim().parse::<f64>().ok()) {
        Some(f) if f > 0.0 && f <= 1.0 => limit
            .mul_f64(f)
            .max(Duration::from_secs_f64(DEFAULT_LIMIT).min(limit)),
        _ => limit,
    }
}

/// Turns `processes::ex1_start::child_has_own_pid` (a `module_path!()` plus
/// the function name) into libtest's name for it, `ex1_start::child_has_own_pid`.
#[doc(hidden)]
pub fn test_path(module_path: &str, name: &str) -> String {
    match module_path.split_once("::") {
        Some((_crate, rest)) => format!("{rest}::{name}"),
        None => name.to_string(),
    }
}

// ---------------------------------------------------------------- supervisor

fn supervise(name: &str, limit: Duration, source: LimitSource) {
    let outcome = run_isolated_as(name, limit, source);
    if outcome.passed {
        if !outcome.printed.is_empty() {
            print!("{}", outcome.printed);
        }
        return;
    }
    if !outcome.printed.is_empty() {
        eprintln!(
            "--- what the test printed ---\n{}--- end of output ---\n",
            outcome.printed
        );
    }
    eprintln!("{}", outcome.message);
    // The message is already printed; unwinding without the panic hook keeps
    // the report free of a location inside this support crate.
    panic::resume_unwind(Box::new(outcome.message));
}

/// How one isolated test ended.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub passed: bool,
    /// The failure message (empty when the test passed).
    pub message: String,
    /// What the test and the code under test printed.
    pub printed: String,
}

/// Runs the test `name` of the current test binary in a sandbox process and
/// reports how it ended, without failing the caller. [`run_test`] is this
/// plus a panic; the support crate's own tests use it directly. `limit` is
/// reported as the test's own limit.
pub fn run_isolated(name: &str, limit: Duration) -> Outcome {
    run_isolated_as(name, limit, LimitSource::Own)
}

/// Where a test's time limit came from, so the report can say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LimitSource {
    /// `fn name() within N s`, or a limit given to [`run_isolated`].
    Own,
    /// `$WORKBOOK_TIMEOUT`.
    Env,
    /// [`DEFAULT_LIMIT`].
    Default,
}

impl LimitSource {
    fn as_str(self) -> &'static str {
        match self {
            LimitSource::Own => "own",
            LimitSource::Env => "env",
            LimitSource::Default => "default",
        }
    }

    fn from_env() -> Self {
        match env::var(LIMIT_SOURCE_VAR).as_deref() {
            Ok("env") => LimitSource::Env,
            Ok("default") => LimitSource::Default,
            _ => LimitSource::Own,
        }
    }
}

/// How the limit is named in a report.
fn limit_words(limit: Duration, source: LimitSource) -> String {
    let secs = limit.as_secs_f64();
    if let Ok(scale) = env::var(LIMIT_SCALE_VAR) {
        return format!("{secs:.0} s, the test's limit as shortened by {LIMIT_SCALE_VAR}={scale}");
    }
    match source {
        LimitSource::Own => format!("this test's limit: {secs:.0} s"),
        LimitSource::Env => format!("the limit set by {TIMEOUT_VAR}={secs:.0}"),
        LimitSource::Default => format!(
            "the default limit: {secs:.0} s; {TIMEOUT_VAR}=<seconds> changes it on a slow machine"
        ),
    }
}

/// Namespaces: not tried yet, working, or refused by the kernel (noted once).
static NAMESPACES: AtomicU8 = AtomicU8::new(NS_UNTRIED);
const NS_UNTRIED: u8 = 0;
const NS_WORK: u8 = 1;
const NS_REFUSED: u8 = 2;

fn run_isolated_as(name: &str, limit: Duration, source: LimitSource) -> Outcome {
    static SEQ: AtomicUsize = AtomicUsize::new(0);
    let report = env::temp_dir().join(format!(
        "workbook-report-{}-{}",
        procs::own_pid(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    let panics_file = report.with_extension("panics");
    let _ = fs::remove_file(&report);
    let _ = fs::remove_file(&panics_file);
    let exe = env::current_exe().expect("the test binary should know its own path");
    let tmp = TestTmp::create(&report.with_file_name(format!(
        "workbook-{}-{}",
        procs::own_pid(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    )));

    let command = |isolate: bool| {
        let mut cmd = Command::new(&exe);
        cmd.args([
            name,
            "--exact",
            "--nocapture",
            "--test-threads=1",
            "--color=never",
        ])
        .env(TEST_VAR, name)
        .env(REPORT_VAR, &report)
        .env(PANICS_VAR, &panics_file)
        .env(SUPERVISOR_VAR, procs::own_pid().to_string())
        .env(TIMEOUT_VAR, limit.as_secs_f64().to_string())
        .env(LIMIT_SOURCE_VAR, source.as_str())
        .env(MARK_VAR, "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        if let Some(dir) = &tmp {
            cmd.env("TMPDIR", &dir.0).env(TMP_VAR, &dir.0);
        }
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        if isolate {
            crate::namespace::isolate(&mut cmd);
        }
        cmd
    };
    let wanted =
        env::var_os(NO_NAMESPACE_VAR).is_none() && NAMESPACES.load(Ordering::Relaxed) != NS_REFUSED;
    let spawned = if wanted {
        match command(true).spawn() {
            Ok(child) => {
                NAMESPACES.store(NS_WORK, Ordering::Relaxed);
                Ok(child)
            }
            Err(e) => {
                let first = NAMESPACES.swap(NS_REFUSED, Ordering::Relaxed) != NS_REFUSED;
                let fallback = command(false).spawn();
                if first && fallback.is_ok() {
                    note_no_namespaces(&e);
                }
                fallback
            }
        }
    } else {
        command(false).spawn()
    };
    let mut child =
        spawned.unwrap_or_else(|e| panic!("could not start the test process for {name}: {e}"));
    let pid = child.id() as i32;
    // Read both streams at once: reading one to the end first could block
    // forever while the child blocks on the other, full, pipe.
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());

    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    let status = match rx.recv_timeout(limit + BACKSTOP) {
        Ok(status) => status.ok(),
        Err(_) => {
            // The sandbox itself did not stop in time: kill its whole group
            // (with namespaces, that group holds the namespace's pid 1, whose
            // death ends every process inside).
            let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
            let _ = rx.recv();
            None
        }
    };
    // A grandchild that escaped may hold the pipes open; don't wait forever.
    let grace = Duration::from_secs(2);
    let stderr = collect(err, grace);
    let printed = clean_output(name, &collect(out, grace), &stderr);
    let report_text = fs::read_to_string(&report).ok();
    let panics = fs::read_to_string(&panics_file).unwrap_or_default();
    let _ = fs::remove_file(&report);
    let _ = fs::remove_file(&panics_file);
    drop(tmp);
    let passed = status.is_some_and(|s| s.success());
    let message = if passed {
        String::new()
    } else {
        report_text.unwrap_or_else(|| died(status, limit, source, &stderr, &panics))
    };
    Outcome {
        passed,
        message,
        printed,
    }
}

/// A test's own temporary folder (`workbook-<pid>-<n>`, short: Open MPI
/// puts socket paths under it, and those have a length limit), removed
/// with everything in it when dropped.
struct TestTmp(PathBuf);

impl TestTmp {
    /// Makes a new folder named `dir`, or `dir.1`, `dir.2`.. if that
    /// exists (left by a process that was killed, whose pid is now ours);
    /// `None` if none can be made, and the test then uses the system's
    /// temporary folder as before. Its mode is the system temporary
    /// folder's, `1777` (anyone may add, only owners remove): a test that
    /// gives up root (the tree-walk tests become `nobody`) still uses it.
    fn create(dir: &std::path::Path) -> Option<TestTmp> {
        use std::os::unix::fs::PermissionsExt;
        let path = (0..100).find_map(|n| {
            let path = if n == 0 {
                dir.to_path_buf()
            } else {
                dir.with_extension(n.to_string())
            };
            fs::create_dir(&path).is_ok().then_some(path)
        })?;
        let tmp = TestTmp(path);
        fs::set_permissions(&tmp.0, fs::Permissions::from_mode(0o1777)).ok()?;
        Some(tmp)
    }
}

impl Drop for TestTmp {
    fn drop(&mut self) {
        remove_tree(&self.0);
    }
}

/// Removes `dir` and everything under it, best effort. A test may have
/// left folders it made unreadable or unwritable (as the tree-walk tests
/// do on purpose); without root, those are opened up first.
fn remove_tree(dir: &std::path::Path) {
    if fs::remove_dir_all(dir).is_ok() || fs::symlink_metadata(dir).is_err() {
        return;
    }
    open_up(dir);
    let _ = fs::remove_dir_all(dir);
}

/// Gives the owner full rights on every folder under `dir` (symbolic links
/// are not followed).
fn open_up(dir: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            open_up(&e.path());
        }
    }
}

/// Says once per test binary that tests run without a PID namespace.
fn note_no_namespaces(e: &std::io::Error) {
    use std::io::Write;
    // Straight to the process's stderr: libtest captures `eprintln!` of a
    // passing test, and this note matters even when every test passes.
    let _ = writeln!(
        std::io::stderr(),
        "note: tests run without a PID namespace of their own here (the kernel refused: \
         {e}), so a test whose code signals a wrong pid (kill(-1, ..) or kill(0, ..)) can \
         reach your other processes. Everything else works as usual."
    );
}

/// Declares a *fixture*: a body that only runs when a test of the support
/// crate asks for it by name through [`run_isolated`]. Run as an ordinary
/// test, it does nothing.
#[doc(hidden)]
pub fn fixture(name: &str, limit: Duration, body: impl FnOnce() + Send + 'static) {
    if env::var(TEST_VAR).as_deref() == Ok(name) {
        sandbox(name, limit, body)
    }
}

/// The pid of the supervising test process (outside any namespace), as
/// the sandbox was told it; `None` outside a sandbox.
#[doc(hidden)]
pub fn supervisor_pid() -> Option<i32> {
    env::var(SUPERVISOR_VAR).ok()?.parse().ok()
}

/// The message for a test process that ended without writing a report:
/// killed by a signal, aborted, or exited early.
fn died(
    status: Option<ExitStatus>,
    limit: Duration,
    source: LimitSource,
    stderr: &str,
    panics: &str,
) -> String {
    use std::os::unix::process::ExitStatusExt;
    let panics = panics.trim_end();
    let panic_note = if panics.is_empty() {
        String::new()
    } else {
        format!("\nPanics recorded before the end:\n{panics}")
    };
    let Some(s) = status else {
        return format!(
            "The test process did not stop within {:.0} s even after its time limit ({}), \
             so its whole process group was killed.\n\
             What fits this evidence: code that blocks or ignores signals, or a child that \
             escaped into another process group.{panic_note}",
            (limit + BACKSTOP).as_secs_f64(),
            limit_words(limit, source)
        );
    };
    let Some(sig) = s.signal() else {
        return format!(
            "The test process exited with status {} before the test finished.\n\
             Did a forked child return into the test instead of calling _exit, or did code \
             call exit()?{panic_note}",
            s.code().unwrap_or(-1)
        );
    };
    let name = Signal::try_from(sig)
        .map(|s| s.as_str())
        .unwrap_or("unknown");
    if sig == libc::SIGABRT {
        return format!("{}{panic_note}", explain_abort(stderr, panics));
    }
    let what = match sig {
        libc::SIGSEGV | libc::SIGBUS => {
            "It crashed: it touched memory it had no right to (unsafe code, a pointer into \
             memory that was unmapped or freed, or a stack overflow from deep recursion)."
                .to_string()
        }
        libc::SIGPIPE => "It wrote into a pipe whose read end nobody holds any more.".to_string(),
        libc::SIGKILL => format!(
            "Nothing in the test sends {name}, so most likely the code under test did (or \
             the system ran out of memory and killed it). Which pid did it signal? \
             kill(0, ..) reaches the caller's own process group and kill(-1, ..) every \
             process it may signal; a pid that was never set, or the result of a failed \
             call, can end up as one of those."
        ),
        _ => format!(
            "The test never sends {name} to itself, so code under test did. \
             Which pid did it signal? kill(0, ..) reaches the caller's own process group and \
             kill(-1, ..) every process it may signal; a pid that was never set, or the \
             result of a failed call, can end up as one of those."
        ),
    };
    format!("The test process was killed by signal {sig} ({name}).\n{what}{panic_note}")
}

/// Explains an abort (SIGABRT) from what the process printed last.
fn explain_abort(stderr: &str, panics: &str) -> String {
    if let Some(n) = stderr
        .lines()
        .find_map(|l| l.split("memory allocation of ").nth(1))
        .and_then(|rest| rest.split(" bytes failed").next())
    {
        return format!(
            "The test process aborted: the program tried to allocate {n} bytes and the \
             allocator refused.\nDid your code trust a length it read (from a pipe, a \
             header, shared memory) without checking it against a limit first?"
        );
    }
    let loom = stderr.contains("loom") || panics.contains("/loom-");
    let tail: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("note: run with"))
        .collect();
    let last = tail[tail.len().saturating_sub(6)..].join("\n");
    if loom {
        return format!(
            "The model checker (loom) aborted the test. Its own words:\n{last}\n\
             loom runs your threads in every possible order; in one of those orders the \
             code above went wrong. A deadlock means every thread was waiting and none \
             could wake another (a wait nobody signals, a lock never released or taken \
             twice); a panic inside loom's model means one interleaving broke an assumption."
        );
    }
    if stderr.contains("panicked while processing panic")
        || stderr.contains("non-unwinding")
        || stderr.contains("panic in a destructor")
        || stderr.contains("cannot unwind")
    {
        return format!(
            "The test process aborted: a panic happened where Rust cannot unwind (during \
             another panic, or in a `drop` while unwinding). What it printed:\n{last}"
        );
    }
    format!(
        "The test process aborted (SIGABRT): something called abort(), for example \
         std::process::abort, a failed check in C code, or a panic that could not unwind.\
         {}",
        if last.is_empty() {
            String::new()
        } else {
            format!("\nThe last lines it printed:\n{last}")
        }
    )
}

/// Reads `stream` (a child's piped stdout or stderr; `None` reads nothing)
/// to its end on a thread of its own, and sends what it read. Drain both of
/// a child's pipes before waiting for it: reading one to the end first could
/// block forever while the child blocks writing to the other, full, pipe.
/// Get the text with [`collect`].
pub fn drain(stream: Option<impl Read + Send + 'static>) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut s) = stream {
            let _ = s.read_to_end(&mut buf);
        }
        let _ = tx.send(buf);
    });
    rx
}

/// What a [`drain`] read, as text (invalid UTF-8 replaced). Waits at most
/// `grace` for the end of the stream, and gives nothing if it does not
/// come: a grandchild that escaped may hold the pipe open, so never wait
/// forever.
pub fn collect(rx: mpsc::Receiver<Vec<u8>>, grace: Duration) -> String {
    let bytes = rx.recv_timeout(grace).unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Drops libtest's own lines from the sandbox's output, keeping what the
/// test and the student's code printed.
fn clean_output(name: &str, out: &str, err: &str) -> String {
    let test_line = format!("test {name} ...");
    let mut kept = String::new();
    for line in out.lines().chain(err.lines()) {
        // libtest prints "test NAME ... " and then, after whatever the test
        // printed, "ok" or "FAILED": the test's first line shares a line
        // with libtest's.
        let line = line.strip_prefix(&test_line).map_or(line, str::trim_start);
        let chrome = line.starts_with("running 1 test")
            || line.starts_with("running 0 tests")
            || line.starts_with("test result:")
            || line == "ok"
            || line == "FAILED";
        let leading_blank = kept.is_empty() && line.trim().is_empty();
        if !chrome && !leading_blank {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    let trimmed = kept.trim_end();
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("{trimmed}\n")
    }
}

// ------------------------------------------------------------------- sandbox

fn sandbox(name: &str, limit: Duration, body: impl FnOnce() + Send + 'static) {
    // Orphans of our children are re-parented to us instead of to init, so
    // nothing the test starts can slip out of sight.
    let _ = nix::sys::prctl::set_child_subreaper(true);
    let panics_file = env::var_os(PANICS_VAR).map(PathBuf::from);
    panic::set_hook(Box::new(move |info| {
        let current = thread::current();
        let in_body = BODY_THREAD.get() == Some(&current.id());
        let thread = current.name().unwrap_or("<unnamed>").to_string();
        let report = describe_panic(info.payload(), info.location());
        if let Some(path) = &panics_file {
            // Written at once: if the process aborts later, the supervisor
            // still learns about the panic.
            let line = format!(
                "  - thread '{thread}': {}\n",
                report.replace('\n', "\n    ")
            );
            if let Ok(mut f) = fs::OpenOptions::new().create(true).append(true).open(path) {
                let _ = std::io::Write::write_all(&mut f, line.as_bytes());
            }
        }
        PANICS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Panic {
                in_body,
                thread,
                report,
            });
    }));
    let shm_before = crate::shm::entries();
    // SAFETY: gettid takes no arguments.
    let watcher = unsafe { libc::gettid() };

    let (tx, rx) = mpsc::channel();
    let spawned = thread::Builder::new()
        .name(name.to_string())
        .spawn(move || {
            let _ = BODY_THREAD.set(thread::current().id());
            // SAFETY: gettid takes no arguments.
            BODY_TID.store(unsafe { libc::gettid() }, Ordering::Relaxed);
            let ok = panic::catch_unwind(AssertUnwindSafe(body)).is_ok();
            let _ = tx.send(ok);
        });
    if let Err(e) = spawned {
        finish(Some(format!("could not start the test thread: {e}")));
    }
    // Wait, and in the last second of the limit watch what the threads do:
    // a timeout then says whether they were spinning or blocked.
    let window = (limit / 2).min(Duration::from_secs(1));
    let me = procs::own_pid();
    let mut evidence = None;
    let outcome = match rx.recv_timeout(limit - window) {
        Err(mpsc::RecvTimeoutError::Timeout) => {
            let before = procs::tasks(me);
            let second = rx.recv_timeout(window);
            if second.is_err() {
                evidence = Some(Evidence::gather(me, watcher, &before, window));
            }
            second
        }
        other => other,
    };
    let left: Vec<ProcInfo> = procs::descendants(me)
        .into_iter()
        .filter_map(procs::info)
        .collect();
    kill_and_reap_all(me);

    let mut failure = match outcome {
        Ok(true) if left.is_empty() => None,
        Ok(true) => Some(leftover_message(&left)),
        Ok(false) => {
            let mut msg = chosen_panic();
            if !left.is_empty() {
                msg.push_str(&format!(
                    "\n\n({} child process(es) were still around when the test failed; \
                     they have been killed and reaped.)",
                    left.len()
                ));
            }
            Some(msg)
        }
        Err(_) => Some(timeout_message(
            limit,
            LimitSource::from_env(),
            &left,
            evidence.unwrap_or_default(),
        )),
    };
    let stale = crate::shm::remove_new(&shm_before);
    if failure.is_none() && !stale.is_empty() {
        failure = Some(crate::shm::leftover_message(&stale));
    }
    // Here too, not only in the supervisor: a supervisor killed from outside
    // (by cargo-mutants' timeout, say) can no longer remove it.
    if let Some(dir) = env::var_os(TMP_VAR) {
        remove_tree(std::path::Path::new(&dir));
    }
    finish(failure)
}

/// Kills every descendant of `me` and reaps every child, until none is left.
/// Killing a parent re-parents its children to us (we are a subreaper), so
/// this runs in rounds.
///
/// The test's own threads still run meanwhile, and one may start a child
/// after the list was read (a pool replaces a worker that died). Each child
/// is therefore killed again just before the wait for it: a wait for a
/// child nobody killed could last forever.
pub(crate) fn kill_and_reap_all(me: i32) {
    for _ in 0..100 {
        let all = procs::descendants(me);
        if all.is_empty() {
            return;
        }
        for p in &all {
            let _ = kill(Pid::from_raw(*p), Signal::SIGKILL);
        }
        for c in procs::children(me) {
            let _ = kill(Pid::from_raw(c), Signal::SIGKILL);
            let _ = waitpid(Pid::from_raw(c), None);
        }
    }
}

fn finish(failure: Option<String>) {
    let Some(msg) = failure else { return };
    if let Some(path) = env::var_os(REPORT_VAR).map(PathBuf::from) {
        let _ = fs::write(path, &msg);
    } else {
        eprintln!("{msg}");
    }
    // `_exit`, not `exit`: a stuck test thread may hold a lock (stdout, say)
    // that the normal exit path would wait for.
    // SAFETY: `_exit` takes no pointers and touches no Rust state; it ends
    // the process at once, which is what we want with a thread stuck.
    unsafe { libc::_exit(1) }
}

/// The panic to report when the test body failed. An unfinished `todo!()`
/// anywhere says the most; then the test's own failed check (the body's
/// last panic), with the panics of threads the code started as a note.
fn chosen_panic() -> String {
    let panics = std::mem::take(&mut *PANICS.lock().unwrap_or_else(|e| e.into_inner()));
    if let Some(todo) = panics.iter().find(|p| p.report.starts_with(NOT_DONE)) {
        return todo.report.clone();
    }
    // The body's last panic is the one that ended it: earlier ones were
    // caught (a test may run the student's code under catch_unwind).
    let own = panics.iter().rev().find(|p| p.in_body);
    let others: Vec<&Panic> = panics.iter().filter(|p| !p.in_body).collect();
    match (own, others.first()) {
        (Some(p), None) => p.report.clone(),
        (Some(p), Some(first)) => format!(
            "{}\n\nAlso, a thread the code started panicked ({} panic(s) in other \
             threads; the first, in thread '{}'):\n{}",
            p.report,
            others.len(),
            first.thread,
            first.report
        ),
        (None, Some(first)) => format!(
            "A thread the code started panicked (thread '{}'):\n{}",
            first.thread, first.report
        ),
        (None, None) => "the test panicked".to_string(),
    }
}

const NOT_DONE: &str = "Not done yet:";

/// Is `file` (a panic's location) inside a tests folder? Such a place is
/// never given as where to look: the student's code is elsewhere.
pub(crate) fn in_tests(file: &str) -> bool {
    file.starts_with("tests/") || file.contains("/tests/")
}

fn describe_panic(payload: &(dyn Any + Send), at: Option<&panic::Location<'_>>) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(a panic without a message)".to_string());
    let file = at.map(|l| l.file()).unwrap_or("");
    let place = at
        .map(|l| format!("{}:{}", l.file(), l.line()))
        .unwrap_or_else(|| "an unknown place".into());
    if text.starts_with("not yet implemented") {
        format!(
            "{NOT_DONE} the `todo!()` at {place} is still in place.\n\
             Replace it with your implementation (the doc comment above it says what to do; \
             `cargo workbook hint <exercise>` gives hints)."
        )
    } else if file.contains("/loom-") {
        format!(
            "The model checker (loom) stopped the test: {text}\n  \
             loom runs your threads in every possible order; in one of them the code went \
             wrong as said above.{}",
            if text.contains("deadlock") {
                " Every thread was waiting and none could wake another: a wait that nobody \
                 signals, or a lock that is never released (or taken twice)."
            } else {
                ""
            }
        )
    } else if at.is_none() || in_tests(file) {
        text
    } else {
        format!("{text}\n  (panicked at {place})")
    }
}

fn leftover_message(left: &[ProcInfo]) -> String {
    format!(
        "Every check passed, but the code left {} child process(es) behind:\n{}\n\
         Every child you start must be waited for (waitpid, Child::wait): a child that exited \
         stays in the process table as a zombie until its parent waits for it, and one that is \
         still running becomes an orphan when its parent exits.\n\
         (They have now been killed and reaped.)",
        left.len(),
        list(left)
    )
}

/// What the threads of a timed-out test were doing in the last moments.
#[derive(Default)]
struct Evidence {
    /// One line per thread (the body's first): who, and what it was doing.
    threads: Vec<String>,
    /// Some thread used the CPU most of the window.
    spinning: bool,
    /// What the blocked threads waited in ("a futex", "read on a pipe"...).
    blocked: Vec<String>,
}

impl Evidence {
    fn gather(me: i32, watcher: i32, before: &[procs::TaskInfo], window: Duration) -> Self {
        let after = procs::tasks(me);
        let body = BODY_TID.load(Ordering::Relaxed);
        let budget = procs::ticks_per_second() as f64 * window.as_secs_f64();
        let mut ev = Evidence::default();
        let mut rows: Vec<(bool, String)> = Vec::new();
        for t in after.iter().filter(|t| t.tid != watcher && t.tid != me) {
            let used = before
                .iter()
                .find(|b| b.tid == t.tid)
                .map_or(t.cpu_ticks, |b| t.cpu_ticks.saturating_sub(b.cpu_ticks));
            let share = used as f64 / budget.max(1.0);
            let who = if t.tid == body {
                "the test's own thread".to_string()
            } else {
                format!("a thread the code started ('{}')", t.name)
            };
            let doing = if share >= 0.2 || t.state == 'R' {
                ev.spinning = true;
                format!(
                    "busy: used {:.0}% of a CPU in the last {:.1} s, without waiting",
                    (share * 100.0).min(100.0),
                    window.as_secs_f64()
                )
            } else {
                let what = procs::blocked_in(me, t.tid)
                    .unwrap_or_else(|| "blocked (the kernel does not say in what)".to_string());
                ev.blocked.push(what.clone());
                format!("asleep, {what}")
            };
            rows.push((t.tid == body, format!("  - {who}: {doing}")));
        }
        rows.sort_by_key(|(is_body, _)| !is_body);
        ev.threads = rows.into_iter().map(|(_, r)| r).collect();
        ev
    }
}

fn timeout_message(
    limit: Duration,
    source: LimitSource,
    left: &[ProcInfo],
    evidence: Evidence,
) -> String {
    let step = STEP.lock().unwrap_or_else(|e| e.into_inner()).take();
    let doing = step
        .as_ref()
        .map_or("running the test", |s| s.doing.as_str())
        .to_string();
    let mut msg = format!(
        "Timed out after {:.0} s ({}) while {doing}.\n",
        limit.as_secs_f64(),
        limit_words(limit, source)
    );

    // What was observed.
    msg.push_str("What was seen at the end:\n");
    for t in &evidence.threads {
        msg.push_str(t);
        msg.push('\n');
    }
    let me = procs::own_pid();
    if left.is_empty() {
        msg.push_str("  - no child process was left (none running, no zombie)\n");
    } else {
        for p in left {
            let mut line = if p.is_zombie() {
                format!(
                    "  - child process pid {} ({}): has exited, not yet waited for (a zombie)",
                    p.pid, p.comm
                )
            } else {
                format!("  - child process {}", p.describe())
            };
            if !p.is_zombie() {
                if let Some(w) = procs::blocked_in(p.pid, p.pid) {
                    line.push_str(&format!(", {w}"));
                }
            }
            if p.ppid != me {
                line.push_str(" (an orphan, left by a process that ended)");
            }
            msg.push_str(&line);
            msg.push('\n');
        }
    }
    let panics = std::mem::take(&mut *PANICS.lock().unwrap_or_else(|e| e.into_inner()));
    let others: Vec<&Panic> = panics.iter().filter(|p| !p.in_body).collect();
    for p in &others {
        msg.push_str(&format!(
            "  - a thread the code started panicked (thread '{}'): {}\n",
            p.thread,
            p.report.replace('\n', "\n    ")
        ));
    }

    // What fits it, most likely first.
    let mut causes: Vec<String> = Vec::new();
    if !others.is_empty() {
        causes.push(
            "a thread the code started panicked (see above), so what it was supposed to \
             send, set or release never came"
                .to_string(),
        );
    }
    if evidence.spinning {
        causes.push(
            "a loop that never ends: a thread keeps running without waiting (polling a \
             flag or a queue that nothing will change, or a loop whose condition never \
             becomes false)"
                .to_string(),
        );
    }
    if let Some(s) = &step {
        causes.push(format!("the test's guess for this step: {}", s.if_stuck));
    }
    let saw = |what: &str| evidence.blocked.iter().any(|b| b.contains(what));
    let running_child = left.iter().any(|p| !p.is_zombie());
    if saw("read on a pipe") {
        causes.push(
            "a read that never sees end-of-file: some process (perhaps this one) still \
             holds a write end of the pipe open"
                .to_string(),
        );
    }
    if saw("write to a pipe") {
        causes.push("a write into a full pipe that nobody reads".to_string());
    }
    if saw("waiting for a child") {
        causes.push(if running_child {
            "a wait for a child that is still running: what is that child waiting for?".to_string()
        } else {
            "a wait for a child that never comes".to_string()
        });
    }
    if saw("futex") {
        causes.push(
            "a wait that nobody ends: a notify sent before anyone waited (or never), a \
             lock that is never released, two locks taken in opposite orders, or a \
             channel whose sender is still alive"
                .to_string(),
        );
    }
    if causes.is_empty() {
        causes.push(
            "something blocks forever: a join or wait on work that never finishes, a read \
             that never sees end-of-file, or two locks taken in opposite orders"
                .to_string(),
        );
    }
    msg.push_str("What fits this evidence, most likely first:\n");
    for c in &causes {
        msg.push_str(&format!("  - {c}\n"));
    }
    if !left.is_empty() {
        msg.push_str("(The child processes have been killed and reaped.)\n");
    }
    msg.trim_end().to_string()
}

fn list(left: &[ProcInfo]) -> String {
    left.iter()
        .map(|p| format!("  - {}", p.describe()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_scale_between_0_and_1_shortens_every_limit() {
        let ten = Duration::from_secs(10);
        let secs = Duration::from_secs;
        assert_eq!(scaled(secs(60), Some("0.5")), secs(30));
        assert_eq!(scaled(secs(20), Some(" 0.25 ")), secs(5));
        // Never below the default limit, nor above the test's own.
        assert_eq!(scaled(ten, Some("0.25")), secs(5));
        assert_eq!(scaled(secs(5), Some("0.5")), secs(5));
        assert_eq!(scaled(secs(3), Some("0.5")), secs(3));
        assert_eq!(scaled(ten, None), ten);
        for ignored in ["0", "-1", "2", "half", "NaN", ""] {
            assert_eq!(scaled(ten, Some(ignored)), ten, "scale {ignored:?}");
        }
    }

    #[test]
    fn a_limit_is_named_for_where_it_came_from() {
        let ten = Duration::from_secs(10);
        assert_eq!(
            limit_words(ten, LimitSource::Own),
            "this test's limit: 10 s"
        );
        assert_eq!(
            limit_words(ten, LimitSource::Env),
            "the limit set by WORKBOOK_TIMEOUT=10"
        );
        let default = limit_words(ten, LimitSource::Default);
        assert!(
            default.starts_with("the default limit: 10 s;") && default.contains("changes it"),
            "{default}"
        );
    }

    #[test]
    fn a_loom_abort_shows_loom_s_words() {
        let stderr = "thread 'main' panicked at /x/loom-0.7.2/src/rt/execution.rs:9:\n\
                      deadlock; threads = [...]\n\
                      thread caused non-unwinding panic. aborting.\n";
        let m = explain_abort(stderr, "");
        assert!(
            m.starts_with("The model checker (loom) aborted the test")
                && m.contains("deadlock; threads")
                && m.contains("none could wake another"),
            "{m}"
        );
        assert!(!m.contains("pid"), "{m}");
    }

    #[test]
    fn a_double_panic_abort_says_so() {
        let m = explain_abort(
            "thread 'w' panicked at src/ex1.rs:3:\nboom\nthread panicked while processing panic. aborting.\n",
            "",
        );
        assert!(
            m.contains("a panic happened where Rust cannot unwind"),
            "{m}"
        );
    }

    #[test]
    fn places_in_the_tests_are_not_places_to_look() {
        assert!(in_tests(
            "exercises/01-processes/tests/processes/ex1_start.rs"
        ));
        assert!(in_tests("tests/sandbox.rs"));
        assert!(!in_tests("exercises/01-processes/src/ex1_start.rs"));
    }
}
