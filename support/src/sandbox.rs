//! One process per test, with a time limit.
//!
//! Every test declared with [`isolated_tests!`](crate::isolated_tests) runs
//! twice over, in two roles:
//!
//! * In the **supervisor** (the ordinary libtest run), the test re-executes
//!   its own test binary, asking it to run just this one test, in a new
//!   process group, and waits for it with a backstop deadline.
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

use std::any::Any;
use std::env;
use std::fs;
use std::io::Read;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
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
/// Seconds a test may run before it is stopped (default [`DEFAULT_LIMIT`]).
pub const TIMEOUT_VAR: &str = "WORKBOOK_TIMEOUT";
/// Present in the environment of every process a test starts, so a final
/// sweep can recognise processes of ours that escaped.
pub const MARK_VAR: &str = "WORKBOOK_SANDBOX";
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
static PANICS: Mutex<Vec<(bool, String)>> = Mutex::new(Vec::new());
static BODY_THREAD: std::sync::OnceLock<thread::ThreadId> = std::sync::OnceLock::new();

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
    let limit = within.unwrap_or_else(limit);
    if env::var(TEST_VAR).as_deref() == Ok(name) {
        sandbox(name, limit, body)
    } else {
        supervise(name, limit)
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

fn supervise(name: &str, limit: Duration) {
    let outcome = run_isolated(name, limit);
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
/// plus a panic; the support crate's own tests use it directly.
pub fn run_isolated(name: &str, limit: Duration) -> Outcome {
    static SEQ: AtomicUsize = AtomicUsize::new(0);
    let report = env::temp_dir().join(format!(
        "workbook-report-{}-{}",
        procs::own_pid(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = fs::remove_file(&report);
    let exe = env::current_exe().expect("the test binary should know its own path");

    let mut cmd = Command::new(exe);
    cmd.args([
        name,
        "--exact",
        "--nocapture",
        "--test-threads=1",
        "--color=never",
    ])
    .env(TEST_VAR, name)
    .env(REPORT_VAR, &report)
    .env(TIMEOUT_VAR, limit.as_secs_f64().to_string())
    .env(MARK_VAR, "1")
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("could not start the test process for {name}: {e}"));
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
            // The sandbox itself did not stop in time: kill its whole group.
            let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
            let _ = rx.recv();
            None
        }
    };
    // A grandchild that escaped may hold the pipes open; don't wait forever.
    let grace = Duration::from_secs(2);
    let printed = clean_output(name, &collect(out, grace), &collect(err, grace));
    let report_text = fs::read_to_string(&report).ok();
    let _ = fs::remove_file(&report);
    let passed = status.is_some_and(|s| s.success());
    let message = if passed {
        String::new()
    } else {
        report_text.unwrap_or_else(|| died(status, limit))
    };
    Outcome {
        passed,
        message,
        printed,
    }
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

fn died(status: Option<ExitStatus>, limit: Duration) -> String {
    use std::os::unix::process::ExitStatusExt;
    match status {
        None => format!(
            "The test process did not stop within {:.0} s even after its own time limit of {:.0} s, \
             so its whole process group was killed.\n\
             Look for code that blocks signals or a child that escaped into another process group.",
            (limit + BACKSTOP).as_secs_f64(),
            limit.as_secs_f64()
        ),
        Some(s) => match s.signal() {
            Some(sig) => format!(
                "The test process was killed by signal {sig} ({}).\n\
                 Did your code send a signal to the wrong pid (0, -1 or its own), or abort?",
                Signal::try_from(sig)
                    .map(|s| s.as_str())
                    .unwrap_or("unknown")
            ),
            None => format!(
                "The test process exited with status {} before the test finished.\n\
                 Did a forked child return into the test instead of calling _exit, or did code call exit()?",
                s.code().unwrap_or(-1)
            ),
        },
    }
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
    panic::set_hook(Box::new(|info| {
        let is_body = BODY_THREAD.get() == Some(&thread::current().id());
        let report = describe_panic(info.payload(), info.location());
        PANICS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((is_body, report));
    }));

    let (tx, rx) = mpsc::channel();
    let spawned = thread::Builder::new()
        .name(name.to_string())
        .spawn(move || {
            let _ = BODY_THREAD.set(thread::current().id());
            let ok = panic::catch_unwind(AssertUnwindSafe(body)).is_ok();
            let _ = tx.send(ok);
        });
    if let Err(e) = spawned {
        finish(Some(format!("could not start the test thread: {e}")));
    }
    let outcome = rx.recv_timeout(limit);
    let me = procs::own_pid();
    let left: Vec<ProcInfo> = procs::descendants(me)
        .into_iter()
        .filter_map(procs::info)
        .collect();
    kill_and_reap_all(me);

    let failure = match outcome {
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
        Err(_) => Some(timeout_message(limit, &left)),
    };
    finish(failure)
}

/// Kills every descendant of `me` and reaps every child, until none is left.
/// Killing a parent re-parents its children to us (we are a subreaper), so
/// this runs in rounds.
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
/// anywhere says the most; then the test's own failed check; panics of
/// other threads (workers the test made panic on purpose, say) only as a
/// note.
fn chosen_panic() -> String {
    let panics = std::mem::take(&mut *PANICS.lock().unwrap_or_else(|e| e.into_inner()));
    if let Some((_, todo)) = panics.iter().find(|(_, m)| m.starts_with(NOT_DONE)) {
        return todo.clone();
    }
    let own = panics.iter().find(|(is_body, _)| *is_body);
    let others: Vec<&String> = panics.iter().filter(|(b, _)| !b).map(|(_, m)| m).collect();
    match (own, others.first()) {
        (Some((_, m)), None) => m.clone(),
        (Some((_, m)), Some(first)) => format!(
            "{m}\n\n(Besides, {} other thread(s) panicked; the first said:\n{first})",
            others.len()
        ),
        (None, Some(first)) => (*first).clone(),
        (None, None) => "the test panicked".to_string(),
    }
}

const NOT_DONE: &str = "Not done yet:";

fn describe_panic(payload: &(dyn Any + Send), at: Option<&panic::Location<'_>>) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(a panic without a message)".to_string());
    let at = at
        .map(|l| format!("{}:{}", l.file(), l.line()))
        .unwrap_or_else(|| "an unknown place".into());
    if text.starts_with("not yet implemented") {
        format!(
            "{NOT_DONE} the `todo!()` at {at} is still in place.\n\
             Replace it with your implementation (the doc comment above it says what to do; \
             `cargo workbook hint <exercise>` gives hints)."
        )
    } else {
        format!("{text}\n  (panicked at {at})")
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

fn timeout_message(limit: Duration, left: &[ProcInfo]) -> String {
    let step = STEP.lock().unwrap_or_else(|e| e.into_inner()).take();
    let (doing, cause) = match step {
        Some(s) => (s.doing, s.if_stuck),
        None => (
            "running the test".to_string(),
            "something blocks forever: a join or wait on work that never finishes, \
             a read that never sees end-of-file, or two locks taken in opposite orders"
                .to_string(),
        ),
    };
    let mut msg = format!(
        "Timed out after {:.0} s while {doing}.\n\
         Likely cause: {cause}\n",
        limit.as_secs_f64()
    );
    if left.is_empty() {
        msg.push_str("No child process was left over.");
    } else {
        msg.push_str(&format!(
            "These processes were still there, and have been killed and reaped:\n{}",
            list(left)
        ));
    }
    msg.push_str(&format!(
        "\n(The limit is {TIMEOUT_VAR}={:.0} seconds; raise it if your machine is very slow.)",
        limit.as_secs_f64()
    ));
    msg
}

fn list(left: &[ProcInfo]) -> String {
    left.iter()
        .map(|p| format!("  - {}", p.describe()))
        .collect::<Vec<_>>()
        .join("\n")
}
