//! Failure messages worded from what was observed: deliberately broken
//! test bodies (fixtures) run in sandboxes, and these tests check that the
//! report names what the sandbox saw — threads spinning or blocked (and in
//! what), a panic in a thread the code started, an abort and its kind, a
//! shared-memory segment left behind.

use std::os::fd::AsFd;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use support::sandbox::{Outcome, fixture, run_isolated};

const LIMIT: Duration = Duration::from_secs(2);

/// Runs a fixture; its report is printed (shown with `--nocapture`).
fn outcome_of(name: &str) -> Outcome {
    let out = run_isolated(name, LIMIT);
    eprintln!("--- {name} ---\n{}\n", out.message);
    out
}

#[test]
fn fixture_spins_in_a_thread() {
    fixture("fixture_spins_in_a_thread", LIMIT, || {
        let spinner = thread::Builder::new()
            .name("spinner".into())
            .spawn(|| {
                loop {
                    std::hint::spin_loop();
                }
            })
            .expect("spawn");
        support::step("joining the spinner", "the spinner never returns");
        let _ = spinner.join();
    });
}

#[test]
fn a_spinning_thread_is_reported_as_busy() {
    let out = outcome_of("fixture_spins_in_a_thread");
    assert!(!out.passed);
    let m = &out.message;
    assert!(
        m.contains("a thread the code started ('spinner'): busy"),
        "the spinner should be seen using the CPU:\n{m}"
    );
    assert!(
        m.contains("the test's own thread: asleep, waiting on a futex"),
        "the test's thread waits in join:\n{m}"
    );
    let spin = m.find("a loop that never ends").expect("a spinning cause");
    let guess = m
        .find("the spinner never returns")
        .expect("the step's guess");
    assert!(spin < guess, "the evidence comes first:\n{m}");
}

#[test]
fn fixture_reads_a_pipe_it_holds_open() {
    fixture("fixture_reads_a_pipe_it_holds_open", LIMIT, || {
        let (r, w) = nix::unistd::pipe().expect("pipe");
        let _keep = w.as_fd();
        let mut buf = [0u8; 1];
        support::step("reading the pipe to its end", "the writer never closes");
        let _ = nix::unistd::read(&r, &mut buf);
    });
}

#[test]
fn a_blocked_read_names_the_pipe() {
    let out = outcome_of("fixture_reads_a_pipe_it_holds_open");
    assert!(!out.passed);
    let m = &out.message;
    assert!(
        m.contains("the test's own thread: asleep, blocked in read on a pipe"),
        "the blocked read should be named:\n{m}"
    );
    assert!(
        m.contains("a read that never sees end-of-file"),
        "the causes should fit a blocked read:\n{m}"
    );
    assert!(!m.contains("busy"), "nothing was spinning:\n{m}");
}

#[test]
fn fixture_worker_panics_then_the_test_waits() {
    fixture("fixture_worker_panics_then_the_test_waits", LIMIT, || {
        let (tx, rx) = mpsc::channel::<u8>();
        let keep = tx.clone();
        thread::Builder::new()
            .name("consumer".into())
            .spawn(move || {
                let item: Option<u8> = std::hint::black_box(None);
                tx.send(item.unwrap()).unwrap();
            })
            .expect("spawn");
        support::step("waiting for the consumer's answer", "nobody notifies");
        let _ = rx.recv();
        drop(keep);
    });
}

#[test]
fn a_worker_s_panic_is_shown_even_when_the_test_times_out() {
    let out = outcome_of("fixture_worker_panics_then_the_test_waits");
    assert!(!out.passed);
    let m = &out.message;
    assert!(
        m.contains("a thread the code started panicked (thread 'consumer')")
            && m.contains("called `Option::unwrap()` on a `None` value"),
        "the consumer's panic should be shown:\n{m}"
    );
    let panic = m.find("a thread the code started panicked (see above)");
    let guess = m.find("nobody notifies");
    assert!(
        panic.is_some() && panic < guess,
        "the panic is the first cause:\n{m}"
    );
    assert!(
        !m.contains("tests/diagnostics.rs"),
        "never point into the tests:\n{m}"
    );
}

#[test]
fn fixture_allocates_too_much() {
    fixture("fixture_allocates_too_much", LIMIT, || {
        let huge: Vec<u8> = Vec::with_capacity(1 << 62);
        std::hint::black_box(huge);
    });
}

#[test]
fn a_failed_allocation_is_explained() {
    let out = outcome_of("fixture_allocates_too_much");
    assert!(!out.passed);
    assert!(
        out.message
            .contains("tried to allocate 4611686018427387904 bytes")
            && out.message.contains("trust a length"),
        "unexpected message:\n{}",
        out.message
    );
    assert!(
        !out.message.contains("pid"),
        "an abort is not about pids:\n{}",
        out.message
    );
}

#[test]
fn fixture_aborts() {
    fixture("fixture_aborts", LIMIT, || std::process::abort());
}

#[test]
fn an_abort_is_called_an_abort() {
    let out = outcome_of("fixture_aborts");
    assert!(!out.passed);
    assert!(
        out.message.contains("aborted (SIGABRT)") && !out.message.contains("pid"),
        "unexpected message:\n{}",
        out.message
    );
}

fn leave_a_segment(tag: &str, unlink: bool) {
    use nix::fcntl::OFlag;
    use nix::sys::stat::Mode;
    let name = support::shm_name(tag);
    let fd = nix::sys::mman::shm_open(
        name.as_str(),
        OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_RDWR,
        Mode::S_IRUSR | Mode::S_IWUSR,
    )
    .expect("shm_open");
    drop(fd);
    if unlink {
        nix::sys::mman::shm_unlink(name.as_str()).expect("shm_unlink");
    }
}

#[test]
fn fixture_leaves_shared_memory() {
    fixture("fixture_leaves_shared_memory", LIMIT, || {
        leave_a_segment("leak", false)
    });
}

#[test]
fn a_segment_left_in_dev_shm_fails_the_test() {
    let out = outcome_of("fixture_leaves_shared_memory");
    assert!(!out.passed);
    assert!(
        out.message.contains("left /dev/shm/workbook-leak-") && out.message.contains("shm_unlink"),
        "unexpected message:\n{}",
        out.message
    );
    let left: Vec<String> = std::fs::read_dir("/dev/shm")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.starts_with("workbook-leak-"))
        .filter(|n| n.contains(&format!("-{}-", std::process::id())))
        .collect();
    assert!(left.is_empty(), "the segment should be removed: {left:?}");
}

#[test]
fn fixture_cleans_shared_memory() {
    fixture("fixture_cleans_shared_memory", LIMIT, || {
        leave_a_segment("tidy", true)
    });
}

#[test]
fn a_segment_unlinked_in_time_passes() {
    let out = outcome_of("fixture_cleans_shared_memory");
    assert!(out.passed, "unexpected failure:\n{}", out.message);
}

#[test]
fn shm_names_are_prefixed_and_unique() {
    let a = support::shm_name("ring");
    let b = support::shm_name("ring");
    assert!(
        a.starts_with(&format!(
            "/{}ring-{}-",
            support::SHM_PREFIX,
            std::process::id()
        )),
        "{a}"
    );
    assert_ne!(a, b);
    assert!(a.len() < 64, "shm names should stay short: {a}");
}

#[test]
fn fixture_catches_a_panic_then_fails_a_check() {
    fixture("fixture_catches_a_panic_then_fails_a_check", LIMIT, || {
        let caught = std::panic::catch_unwind(|| panic!("a panic the test expected and caught"));
        assert!(caught.is_err());
        panic!("the check that really failed");
    });
}

#[test]
fn the_failure_reported_is_the_one_that_ended_the_test() {
    let out = outcome_of("fixture_catches_a_panic_then_fails_a_check");
    assert!(!out.passed);
    let m = &out.message;
    assert!(
        m.contains("the check that really failed"),
        "the body's last panic ended it:\n{m}"
    );
    assert!(
        !m.contains("a panic the test expected and caught"),
        "a panic the test caught is not the failure:\n{m}"
    );
}
