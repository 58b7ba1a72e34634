//! The harness's own proof that nothing hangs: deliberately broken test
//! bodies (fixtures) are run in sandboxes, and these tests check how each
//! one ended — within its time limit, with a message naming the cause, and
//! with every process it started killed and reaped.

use std::fs;
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use support::procs;
use support::sandbox::{Outcome, fixture, run_isolated};

const LIMIT: Duration = Duration::from_secs(1);

/// Marks a process a fixture starts, so the test can look for it later in
/// the machine's process table (a sandbox may see other pids than we do).
const TOKEN_VAR: &str = "WORKBOOK_FIXTURE";

/// The mark for fixture `name` run by this very test process.
fn token(name: &str) -> String {
    let supervisor = support::sandbox::supervisor_pid().unwrap_or_else(procs::own_pid);
    format!("{name}-{supervisor}")
}

/// Every process on the machine that carries the mark `token`.
fn marked(token: &str) -> Vec<i32> {
    let needle = format!("{TOKEN_VAR}={token}");
    procs::all_pids()
        .into_iter()
        .filter(|p| {
            fs::read(format!("/proc/{p}/environ"))
                .is_ok_and(|env| env.split(|&b| b == 0).any(|kv| kv == needle.as_bytes()))
        })
        .collect()
}

/// A shell that starts a background grandchild and then sleeps: two
/// processes that would run for 1000 s if nobody stopped them.
fn sleeper_family(name: &str) -> std::process::Child {
    Command::new("sh")
        .args(["-c", "sleep 1000 & exec sleep 1000"])
        .env(TOKEN_VAR, token(name))
        .spawn()
        .expect("start sh")
}

fn assert_gone(name: &str) {
    let left = marked(&token(name));
    assert!(
        left.is_empty(),
        "the processes of {name} should have been killed and reaped, but /proc still lists {left:?}"
    );
}

fn outcome_of(name: &str) -> Outcome {
    run_isolated(name, LIMIT)
}

#[test]
#[allow(
    clippy::zombie_processes,
    reason = "the point: the harness must clean up"
)]
fn fixture_hangs_with_children() {
    fixture("fixture_hangs_with_children", LIMIT, || {
        let _child = sleeper_family("fixture_hangs_with_children");
        support::step(
            "waiting for a message nobody sends",
            "the sender is alive but never used",
        );
        let (_tx, rx) = mpsc::channel::<()>();
        let _ = rx.recv();
    });
}

#[test]
fn a_hanging_test_times_out_and_names_the_cause() {
    let out = outcome_of("fixture_hangs_with_children");
    assert!(!out.passed, "a test that blocks forever must fail");
    assert!(
        out.message.contains(
            "Timed out after 1 s (this test's limit: 1 s) while waiting for a message nobody sends"
        ),
        "the message should say what the test was doing, and whose limit struck:\n{}",
        out.message
    );
    assert!(
        out.message
            .contains("  - the test's guess for this step: the sender is alive but never used"),
        "the message should offer the step's cause as one possibility:\n{}",
        out.message
    );
    assert!(
        out.message.contains("killed and reaped") && out.message.contains("(sleep)"),
        "the message should list the processes it killed:\n{}",
        out.message
    );
    assert!(
        !out.message.contains("WORKBOOK_TIMEOUT"),
        "a test's own limit is not WORKBOOK_TIMEOUT's:\n{}",
        out.message
    );
    assert_gone("fixture_hangs_with_children");
}

#[test]
fn fixture_leaves_a_zombie() {
    fixture("fixture_leaves_a_zombie", LIMIT, || {
        let mut child = Command::new("true")
            .env(TOKEN_VAR, token("fixture_leaves_a_zombie"))
            .spawn()
            .expect("start true");
        // Learn that it exited without reaping it: waitid with WNOWAIT
        // leaves the child a zombie.
        let _ = nix::sys::wait::waitid(
            nix::sys::wait::Id::Pid(nix::unistd::Pid::from_raw(child.id() as i32)),
            nix::sys::wait::WaitPidFlag::WEXITED | nix::sys::wait::WaitPidFlag::WNOWAIT,
        );
        let _ = &mut child; // dropped without wait()
    });
}

#[test]
fn a_forgotten_child_fails_the_test_even_if_every_check_passed() {
    let out = outcome_of("fixture_leaves_a_zombie");
    assert!(!out.passed, "a test that leaves a zombie must fail");
    assert!(
        out.message.contains("left 1 child process(es) behind")
            && out
                .message
                .contains("a zombie: it exited but nobody waited for it"),
        "the message should name the zombie:\n{}",
        out.message
    );
    assert_gone("fixture_leaves_a_zombie");
}

#[test]
fn fixture_orphans_a_grandchild() {
    fixture("fixture_orphans_a_grandchild", LIMIT, || {
        // The shell exits at once, leaving `sleep` an orphan.
        let mut sh = Command::new("sh")
            .args(["-c", "sleep 1000 >/dev/null & echo $!"])
            .env(TOKEN_VAR, token("fixture_orphans_a_grandchild"))
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start sh");
        let mut text = String::new();
        std::io::Read::read_to_string(sh.stdout.as_mut().unwrap(), &mut text).unwrap();
        sh.wait().unwrap();
        let _orphan: u32 = text.trim().parse().unwrap();
    });
}

#[test]
fn an_orphaned_grandchild_is_caught_and_killed() {
    let out = outcome_of("fixture_orphans_a_grandchild");
    assert!(!out.passed, "an orphan left running must fail the test");
    assert!(
        out.message.contains("(sleep), still running"),
        "the message should name the orphan:\n{}",
        out.message
    );
    assert_gone("fixture_orphans_a_grandchild");
}

#[test]
fn fixture_fails_an_assertion() {
    fixture("fixture_fails_an_assertion", LIMIT, || {
        println!("some output of the code under test");
        support::require!(1 + 1 == 3,
            expected: "1 + 1 to be 3",
            got: 1 + 1,
            look_at: "arithmetic");
    });
}

#[test]
fn a_failed_check_reports_expected_got_and_where_to_look() {
    let out = outcome_of("fixture_fails_an_assertion");
    assert!(!out.passed);
    assert!(
        out.message.contains("Expected: 1 + 1 to be 3")
            && out.message.contains("Got: 2")
            && out.message.contains("Look at: arithmetic")
            && !out.message.contains("tests/sandbox.rs"),
        "unexpected message:\n{}",
        out.message
    );
    assert_eq!(out.printed, "some output of the code under test\n");
}

#[test]
fn fixture_unfinished_stub() {
    fixture("fixture_unfinished_stub", LIMIT, || {
        todo!("the student has not written this yet")
    });
}

#[test]
fn an_unfinished_stub_says_not_done_yet() {
    let out = outcome_of("fixture_unfinished_stub");
    assert!(!out.passed);
    assert!(
        out.message.starts_with("Not done yet: the `todo!()` at")
            && out.message.contains("tests/sandbox.rs"),
        "unexpected message:\n{}",
        out.message
    );
}

#[test]
fn fixture_passes() {
    fixture("fixture_passes", LIMIT, || {
        let status = Command::new("true").status().expect("run true");
        assert!(status.success());
    });
}

#[test]
fn a_tidy_passing_test_passes() {
    let out = outcome_of("fixture_passes");
    assert!(out.passed, "unexpected failure:\n{}", out.message);
}

/// Where a fixture says it keeps its files.
const TMP_LINE: &str = "temporary folder: ";

/// Writes a file, and a folder nobody may enter, in the temporary folder
/// (`TMPDIR`, the one `std::env::temp_dir` and `tempfile` use), says where
/// that is, and returns it.
fn fill_temporary_folder() -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir();
    fs::write(dir.join("left-behind.txt"), b"x").expect("a file in the temporary folder");
    let locked = dir.join("locked");
    fs::create_dir(&locked).expect("a folder in the temporary folder");
    fs::write(locked.join("inside.txt"), b"x").expect("a file in it");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod 000");
    println!("{TMP_LINE}{}", dir.display());
    dir
}

/// The temporary folder a fixture printed: its own (inside the system's,
/// not the system's itself), and gone now that the fixture has ended.
fn assert_private_and_removed(out: &Outcome) {
    let dir = out
        .printed
        .lines()
        .find_map(|l| l.strip_prefix(TMP_LINE))
        .unwrap_or_else(|| {
            panic!(
                "the fixture should say its folder; it printed:\n{}",
                out.printed
            )
        });
    let dir = std::path::Path::new(dir);
    let system = std::env::temp_dir();
    assert!(
        dir != system && dir.parent() == Some(system.as_path()),
        "the test should get a folder of its own inside {}, got {}",
        system.display(),
        dir.display()
    );
    assert!(
        fs::symlink_metadata(dir).is_err(),
        "the test's temporary folder {} should be removed once the test has ended",
        dir.display()
    );
}

#[test]
fn fixture_fills_its_temporary_folder_and_blocks() {
    fixture(
        "fixture_fills_its_temporary_folder_and_blocks",
        LIMIT,
        || {
            fill_temporary_folder();
            support::step("waiting for a message nobody sends", "on purpose");
            let (_tx, rx) = mpsc::channel::<()>();
            let _ = rx.recv();
        },
    );
}

#[test]
fn a_test_killed_at_its_limit_leaves_no_temporary_folder() {
    let out = outcome_of("fixture_fills_its_temporary_folder_and_blocks");
    assert!(
        !out.passed && out.message.starts_with("Timed out"),
        "the fixture should time out:\n{}",
        out.message
    );
    assert_private_and_removed(&out);
}

#[test]
fn fixture_fills_its_temporary_folder_and_passes() {
    fixture(
        "fixture_fills_its_temporary_folder_and_passes",
        LIMIT,
        || {
            let dir = fill_temporary_folder();
            assert!(dir.join("left-behind.txt").exists());
        },
    );
}

#[test]
fn a_passing_test_leaves_no_temporary_folder() {
    let out = outcome_of("fixture_fills_its_temporary_folder_and_passes");
    assert!(out.passed, "unexpected failure:\n{}", out.message);
    assert_private_and_removed(&out);
}

/// Where `fixture_notes_its_folder_and_blocks` says where its folder is.
const NOTE_VAR: &str = "WORKBOOK_FIXTURE_NOTE";

#[test]
fn fixture_notes_its_folder_and_blocks() {
    fixture("fixture_notes_its_folder_and_blocks", LIMIT, || {
        let dir = fill_temporary_folder();
        let note = std::path::PathBuf::from(std::env::var_os(NOTE_VAR).expect("NOTE_VAR"));
        let part = note.with_extension("part");
        fs::write(&part, dir.as_os_str().as_encoded_bytes()).expect("the note");
        fs::rename(&part, &note).expect("the note, whole");
        let (_tx, rx) = mpsc::channel::<()>();
        let _ = rx.recv();
    });
}

/// A supervisor for the next test to kill: does nothing unless that test
/// started it (with `NOTE_VAR` set).
#[test]
fn supervises_the_noting_fixture() {
    if std::env::var_os(NOTE_VAR).is_some() {
        let _ = outcome_of("fixture_notes_its_folder_and_blocks");
    }
}

/// A supervisor killed from outside (as cargo-mutants' timeout does) can
/// remove nothing: the test process removes its own folder when its limit
/// ends it.
#[test]
fn a_test_whose_supervisor_was_killed_leaves_no_temporary_folder() {
    let outer = std::env::temp_dir().join(format!("workbook-killed-{}", procs::own_pid()));
    let _ = fs::remove_dir_all(&outer);
    fs::create_dir(&outer).expect("a folder for the supervisor");
    let note = outer.join("note");
    let mut supervisor = Command::new(std::env::current_exe().expect("this test binary"))
        .args([
            "supervises_the_noting_fixture",
            "--exact",
            "--test-threads=1",
        ])
        .env("TMPDIR", &outer)
        .env(NOTE_VAR, &note)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the supervisor");
    // Bounds for failures only: each wait ends on evidence.
    let give_up = std::time::Instant::now() + LIMIT + Duration::from_secs(20);
    let dir = loop {
        if let Ok(text) = fs::read_to_string(&note) {
            break std::path::PathBuf::from(text);
        }
        assert!(
            std::time::Instant::now() < give_up,
            "the fixture never said where its folder is"
        );
        std::thread::yield_now();
    };
    assert!(dir.starts_with(&outer), "{}", dir.display());
    supervisor.kill().expect("kill the supervisor");
    supervisor.wait().expect("reap the supervisor");
    while fs::symlink_metadata(&dir).is_ok() {
        assert!(
            std::time::Instant::now() < give_up,
            "the test process should remove its temporary folder {} at its limit, \
             even with its supervisor gone",
            dir.display()
        );
        std::thread::yield_now();
    }
    // The test process may still write its report here as it ends.
    while fs::remove_dir_all(&outer).is_err() && fs::symlink_metadata(&outer).is_ok() {
        assert!(
            std::time::Instant::now() < give_up,
            "{} stays",
            outer.display()
        );
        std::thread::yield_now();
    }
}

support::isolated_tests! {
    /// The macro form, as chapters use it, runs and passes.
    fn the_macro_runs_a_test_in_its_own_process() {
        let me = procs::own_pid();
        let parent = procs::info(me).expect("own /proc entry").ppid;
        let parent_cmd = procs::info(parent).expect("parent's /proc entry").comm;
        // The parent is the supervising copy of this very test binary, or,
        // in a PID namespace, the namespace's pid 1 that it started.
        assert!(
            std::env::current_exe().unwrap().to_string_lossy().contains(&parent_cmd)
                || (parent == 1 && parent_cmd == "workbook-init"),
            "expected to run under the test binary, parent is {parent_cmd}"
        );
    }
}

/// A sleeper whose death its starter sees as end-of-file on the child's
/// stdout, the way a pool's feeder sees its worker die.
fn watched_sleeper(name: &str) -> std::process::Child {
    Command::new("sleep")
        .arg("1000")
        .env(TOKEN_VAR, token(name))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start sleep")
}

#[test]
#[allow(
    clippy::zombie_processes,
    reason = "the point: the harness must clean up"
)]
fn fixture_replaces_killed_children() {
    fixture("fixture_replaces_killed_children", LIMIT, || {
        const NAME: &str = "fixture_replaces_killed_children";
        // Eight threads, each holding a child, and each starting a new one
        // the moment its child dies: a process pool replacing dead workers.
        // When the harness kills the children at the limit, new ones appear
        // while it is still reaping.
        for _ in 0..8 {
            std::thread::spawn(|| {
                let mut worker = watched_sleeper(NAME);
                let mut out = worker.stdout.take().expect("a piped stdout");
                let _ = std::io::Read::read_to_end(&mut out, &mut Vec::new());
                let _replacement = watched_sleeper(NAME);
                std::thread::park();
            });
        }
        support::step(
            "waiting while a pool replaces its dead workers",
            "the pool is idle",
        );
        let (_tx, rx) = mpsc::channel::<()>();
        let _ = rx.recv();
    });
}

/// The harness kills the children of a timed-out test while threads of
/// the test may still be starting new ones; waiting for a child it has not
/// killed would hang, so each child is killed just before it is waited for.
#[test]
fn children_started_during_the_cleanup_are_killed_too() {
    let out = outcome_of("fixture_replaces_killed_children");
    assert!(
        out.message
            .contains("Timed out after 1 s (this test's limit: 1 s) while waiting while a pool"),
        "the test should end at its own limit, with its own message:\n{}",
        out.message
    );
    assert_gone("fixture_replaces_killed_children");
}

#[test]
#[allow(
    clippy::zombie_processes,
    reason = "the point: the harness must clean up"
)]
fn fixture_stops_itself() {
    fixture("fixture_stops_itself", LIMIT, || {
        let _child = sleeper_family("fixture_stops_itself");
        // A stopped sandbox cannot keep its own clock: only the supervisor's
        // backstop can end it.
        let _ = nix::sys::signal::kill(nix::unistd::Pid::this(), nix::sys::signal::Signal::SIGSTOP);
    });
}

/// The backstop: a sandbox that cannot stop itself is killed, with every
/// process it started. Slow (the limit plus 10 s), so run on demand:
/// `cargo test -p workbook-support --test sandbox -- --ignored`.
#[test]
#[ignore = "takes the limit plus the 10 s backstop"]
fn a_stopped_sandbox_is_killed_by_the_backstop() {
    let out = outcome_of("fixture_stops_itself");
    assert!(!out.passed);
    assert!(
        out.message.contains("did not stop within 11 s"),
        "unexpected message:\n{}",
        out.message
    );
    assert_gone("fixture_stops_itself");
}
