//! The tests of chapter 11, Beyond one machine (MPI). Written once; they run
//! against the exercise crate (`cargo test -p mpi-exercise`) and the
//! solution (`cargo test -p mpi-solution`), both of which build `ranks`.
//!
//! A test starts the program `ranks` (src/bin/ranks.rs) with `mpirun -np 2`
//! or `-np 3`; every rank calls the function under test and prints what
//! happened (`WB <rank> ...` lines), and the test checks those lines. None
//! of them measures time. A job that has not finished within [`JOB_LIMIT`]
//! is stopped, every rank with it, and the test says what each rank was
//! doing.

mod ex1_primes;
mod ex2_ring;
mod ex3_scatter;
mod ex4_farm;

use std::collections::BTreeMap;
use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::Pid;

/// How long one `mpirun` job may take before it is stopped. Each test's
/// own limit (`within 60 s`) leaves room for two jobs and the stopping.
pub const JOB_LIMIT: Duration = Duration::from_secs(20);

/// What one rank printed: `key -> value` for its `WB <rank> key value`
/// lines (a key seen twice keeps every value, in order).
#[derive(Debug, Default, Clone)]
pub struct Rank {
    pub lines: Vec<(String, String)>,
}

impl Rank {
    /// The value of the last line with this key.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.lines
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
    /// Every value printed with this key, in order.
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.lines
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// How an `mpirun` job ended.
#[derive(Debug)]
pub struct Job {
    /// `np`, and the arguments the ranks were given.
    pub what: String,
    /// What each rank printed, by rank.
    pub ranks: BTreeMap<i32, Rank>,
    /// Did it finish within [`JOB_LIMIT`]?
    pub hung: bool,
    /// Its exit status (`None`: killed, or hung).
    pub code: Option<i32>,
    /// The job's processes that were still running when mpirun had ended
    /// (they have been killed since; every process of the job, zombies
    /// included, has been reaped).
    pub leftover: Vec<String>,
    /// Everything mpirun printed that was not a `WB` line (its own
    /// messages, and what the ranks wrote to stderr).
    pub other: String,
}

/// The repository path of the crate under test (`exercises/11-mpi`), for
/// messages: a panic location inside it reads `src/ex1_primes.rs` where
/// the exercise crate's `.cargo/config.toml` was not read (cargo run from
/// elsewhere), and always in the solution crate.
fn crate_dir() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let parts: Vec<_> = dir.iter().rev().take(2).collect();
    format!(
        "{}/{}",
        parts[1].to_string_lossy(),
        parts[0].to_string_lossy()
    )
}

/// Runs `ranks <args>` on `np` ranks under mpirun, and waits for it for at
/// most [`JOB_LIMIT`]; a job that is still running then is stopped, with
/// every rank.
///
/// The ranks are this very test binary, started to run this same test
/// with [`RANK_VAR`] set: in them, this function does not return but runs
/// the rank program (`src/bin/ranks.rs`) and exits. (Not the `ranks`
/// binary itself: cargo keeps one copy of it, which the next build of the
/// tests, with another crate or another mistake, would replace.)
pub fn mpirun(np: usize, args: &[&str]) -> Job {
    if let Ok(role) = std::env::var(RANK_VAR) {
        let code = ranks_program::run(role.split(' ').map(String::from).collect());
        std::process::exit(i32::from(code));
    }
    let what = format!("mpirun -np {np} ranks {}", args.join(" "));
    let exe = std::env::current_exe().expect("a test binary knows its own path");
    let exe = exe.to_string_lossy();
    // The sandbox runs the test body on a thread named after the test.
    let current = std::thread::current();
    let name = std::env::var("WORKBOOK_SANDBOX_TEST")
        .ok()
        .or_else(|| current.name().map(String::from))
        .expect("the test's name");
    let program = [
        &exe,
        name.as_str(),
        "--exact",
        "--nocapture",
        "--test-threads=1",
    ];
    launch(np, &program, &[], (RANK_VAR, &args.join(" ")), what)
}

/// In a rank: the arguments of the rank program.
const RANK_VAR: &str = "WORKBOOK_MPI_RANK";

#[allow(dead_code)] // its `main` is for running the program by hand
#[path = "../../src/bin/ranks.rs"]
mod ranks_program;

/// Runs the mpi4py version `python/<script>` on `np` ranks, like [`mpirun`];
/// `None` (with a note) where python3 or mpi4py is missing.
pub fn mpirun_python(np: usize, script: &str, args: &[&str]) -> Option<Job> {
    let have = Command::new("python3")
        .args(["-c", "import mpi4py"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !have {
        println!(
            "note: python3 with mpi4py is not installed here, so the mpi4py version \
             was not compared (python3 -m pip install mpi4py)"
        );
        return None;
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../exercises/11-mpi/python")
        .join(script);
    let path = path.to_string_lossy();
    let what = format!(
        "mpirun -np {np} python3 exercises/11-mpi/python/{script} {}",
        args.join(" ")
    );
    Some(launch(np, &["python3", &path], args, ("", ""), what))
}

/// Runs `program args` on `np` ranks under mpirun (see [`mpirun`]).
/// `env` is one more environment variable for the ranks (unless its name
/// is empty).
fn launch(np: usize, program: &[&str], args: &[&str], env: (&str, &str), what: String) -> Job {
    let session = session_dir();
    let job = launch_in(np, program, args, env, what, &session);
    let _ = std::fs::remove_dir_all(&session);
    job
}

/// A new, empty folder for the job's session files. Open MPI names its
/// session folder after mpirun's pid, and every test runs in a PID
/// namespace of its own, where two jobs' mpirun can have the same pid: each
/// job gets a folder of its own instead.
fn session_dir() -> std::path::PathBuf {
    let base = std::env::temp_dir();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    for attempt in 0u32.. {
        let dir = base.join(format!("workbook-mpi-{nanos:x}-{attempt}"));
        if std::fs::create_dir(&dir).is_ok() {
            return dir;
        }
        if attempt > 1000 {
            break;
        }
    }
    support::fail(
        "a fresh folder for the job's session files",
        format!("none could be made in {}", base.display()),
        "the temporary folder: is it writable?",
    )
}

fn launch_in(
    np: usize,
    program: &[&str],
    args: &[&str],
    env: (&str, &str),
    what: String,
    session: &std::path::Path,
) -> Job {
    let mut cmd = Command::new("mpirun");
    if !env.0.is_empty() {
        cmd.env(env.0, env.1);
    }
    // As root, Open MPI refuses to start without being told it may; with
    // more ranks than cores, it must be told to oversubscribe.
    cmd.arg("--allow-run-as-root")
        .arg("--oversubscribe")
        .args(["--bind-to", "none"])
        .args(["-np", &np.to_string()])
        .args(program)
        .args(args)
        // Shared memory between the ranks, without the kernel's
        // cross-process copy (which containers often forbid).
        .env("TMPDIR", session)
        .env("OMPI_MCA_orte_tmpdir_base", session)
        .env("OMPI_MCA_pml", "ob1")
        .env("OMPI_MCA_btl", "self,vader")
        .env("OMPI_MCA_btl_vader_single_copy_mechanism", "none")
        .env("OMPI_MCA_rmaps_base_oversubscribe", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => support::fail(
            "mpirun (Open MPI) to start the job",
            format!("it could not be started: {e}"),
            "the installation: this chapter needs Open MPI. On Debian or Ubuntu: \
             apt-get install libopenmpi-dev openmpi-bin libclang-dev",
        ),
    };
    let out = read_all(child.stdout.take());
    let err = read_all(child.stderr.take());
    // mpirun is waited for on a thread of its own, so that the time limit
    // is a receive with a timeout rather than a polling loop.
    let mpirun = child.id() as i32;
    let (done_tx, done) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done_tx.send(child.wait().ok());
    });
    let (status, hung) = match done.recv_timeout(JOB_LIMIT) {
        Ok(status) => (status, false),
        Err(_) => (stop(mpirun, &done), true),
    };
    let leftover = stop_leftovers();
    let grace = Duration::from_secs(5);
    let text = format!(
        "{}{}",
        out.recv_timeout(grace).unwrap_or_default(),
        err.recv_timeout(grace).unwrap_or_default()
    );
    let mut ranks: BTreeMap<i32, Rank> = BTreeMap::new();
    let mut other = String::new();
    for line in text.lines() {
        // A rank's first line may follow libtest's `test <name> ... `.
        let parsed = line.find("WB ").and_then(|at| {
            let rest = &line[at + 3..];
            let (rank, rest) = rest.split_once(' ')?;
            let (key, value) = rest.split_once(' ').unwrap_or((rest, ""));
            Some((rank.parse::<i32>().ok()?, key, value))
        });
        match parsed {
            Some((rank, key, value)) => ranks
                .entry(rank)
                .or_default()
                .lines
                .push((key.to_string(), value.to_string())),
            None if !line.trim().is_empty() => {
                other.push_str(line);
                other.push('\n');
            }
            None => {}
        }
    }
    Job {
        what,
        ranks,
        hung,
        code: if hung {
            None
        } else {
            status.and_then(|s| s.code())
        },
        leftover,
        other,
    }
}

/// Reads a pipe to its end on a thread of its own.
fn read_all(stream: Option<impl Read + Send + 'static>) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut s) = stream {
            let _ = s.read_to_end(&mut buf);
        }
        let _ = tx.send(String::from_utf8_lossy(&buf).into_owned());
    });
    rx
}

/// Stops a hung job: mpirun is asked first (it then stops every rank),
/// and killed with its process group if it does not go within 3 s.
/// `done` brings mpirun's exit status from the thread that waits for it.
fn stop(mpirun: i32, done: &mpsc::Receiver<Option<ExitStatus>>) -> Option<ExitStatus> {
    let _ = kill(Pid::from_raw(mpirun), Signal::SIGTERM);
    if let Ok(status) = done.recv_timeout(Duration::from_secs(3)) {
        return status;
    }
    let _ = killpg(Pid::from_raw(mpirun), Signal::SIGKILL);
    done.recv().ok().flatten()
}

/// Kills and reaps whatever of the job is left (ranks whose mpirun is
/// gone are re-parented to this test process, which is a subreaper), and
/// says which of them were still running (`pid name`; a zombie has
/// exited, and only waits to be reaped).
fn stop_leftovers() -> Vec<String> {
    let me = support::procs::own_pid();
    let found: Vec<String> = support::procs::descendants(me)
        .into_iter()
        .filter_map(|p| support::procs::info(p).filter(|i| !i.is_zombie()))
        .map(|i| format!("{} {}", i.pid, i.comm))
        .collect();
    for _ in 0..50 {
        let left = support::procs::descendants(me);
        if left.is_empty() {
            return found;
        }
        for p in &left {
            let _ = kill(Pid::from_raw(*p), Signal::SIGKILL);
        }
        for c in support::procs::children(me) {
            let _ = nix::sys::wait::waitpid(Pid::from_raw(c), None);
        }
    }
    found
}

impl Job {
    /// The ranks' output, for a failure message.
    pub fn transcript(&self) -> String {
        let mut s = String::new();
        for (rank, r) in &self.ranks {
            for (k, v) in &r.lines {
                s.push_str(&format!("\n    rank {rank}: {k} {v}"));
            }
        }
        if s.is_empty() {
            s.push_str("\n    (no rank printed anything)");
        }
        s
    }

    /// Fails the test unless the job finished and every rank printed
    /// `key`. `if_hung` explains a job that did not finish. An unfinished
    /// `todo!()` or another panic on any rank is reported as such.
    pub fn finished(&self, np: usize, key: &str, if_hung: &str) {
        self.no_panics();
        self.finished_without_panics(np, key, if_hung);
    }

    /// Fails the test if a rank panicked: an unfinished `todo!()` is
    /// reported as such.
    pub fn no_panics(&self) {
        for (rank, r) in &self.ranks {
            if let Some(p) = r.get("panicked") {
                let (place, msg) = p
                    .strip_prefix("at ")
                    .and_then(|p| p.split_once(": "))
                    .unwrap_or(("?", p));
                let place = if place.starts_with("src/") {
                    format!("{}/{place}", crate_dir())
                } else {
                    place.to_string()
                };
                if msg.starts_with("not yet implemented") {
                    panic!(
                        "Not done yet: the `todo!()` at {place} is still in place.\n\
                         Replace it with your implementation (the doc comment above it \
                         says what to do; `cargo workbook hint <exercise>` gives hints).\n\
                         (Rank {rank} of `{}` reached it.)",
                        self.what
                    );
                }
                support::fail(
                    format!("every rank of `{}` to finish", self.what),
                    format!("rank {rank} panicked at {place}: {msg}"),
                    format!("{place}: what made it panic on this rank?"),
                );
            }
        }
    }

    fn finished_without_panics(&self, np: usize, key: &str, if_hung: &str) {
        if self.hung {
            support::fail(
                format!("`{}` to finish within {} s", self.what, JOB_LIMIT.as_secs()),
                format!(
                    "it was still running, so it was stopped, every rank with it. \
                     What the ranks had printed:{}",
                    self.transcript()
                ),
                if_hung,
            );
        }
        let missing: Vec<usize> = (0..np)
            .filter(|r| {
                self.ranks
                    .get(&(*r as i32))
                    .is_none_or(|x| x.get(key).is_none())
            })
            .collect();
        if self.code != Some(0) || !missing.is_empty() {
            support::fail(
                format!("every rank of `{}` to finish and report", self.what),
                format!(
                    "the job ended with {} and rank(s) {missing:?} reported nothing. \
                     What the ranks printed:{}\n  mpirun's own words:\n{}",
                    self.code
                        .map_or("no exit status (killed)".to_string(), |c| format!(
                            "exit status {c}"
                        )),
                    self.transcript(),
                    tail(&self.other, 15)
                ),
                if self.code.is_some_and(|c| c != 0) {
                    "the exercise's function: does every rank return from it? A rank that \
                     ends without MPI's finalize (std::process::exit, a crash, a signal) makes \
                     mpirun stop the whole job; mpirun's own words above say which rank."
                } else {
                    "the exercise's function: does every rank return from it?"
                },
            );
        }
    }

    /// Rank `rank`'s value for `key` (which `finished` has checked).
    pub fn value(&self, rank: i32, key: &str) -> &str {
        self.ranks.get(&rank).and_then(|r| r.get(key)).unwrap_or("")
    }
}

fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..]
        .iter()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
