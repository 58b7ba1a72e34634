#[cfg(not(feature = "model"))]
use queues::ex1_drain::drain_then_wait;
#[cfg(not(feature = "model"))]
use queues::given::pattern;

#[cfg(not(feature = "model"))]
fn check(bytes: usize) {
    support::step(
        &format!("collecting {bytes} bytes from a child process and reaping it"),
        "drain_then_wait never returns: a pipe holds 64 KiB, and a child cannot \
         exit while what it wrote is still unread. Who is waiting for whom?",
    );
    let (data, code) = drain_then_wait(bytes).expect("drain_then_wait failed");
    let wrong = data.iter().enumerate().position(|(i, &b)| b != pattern(i));
    support::require!(data.len() == bytes && wrong.is_none(),
        expected: format!("all {bytes} bytes the child wrote, in order"),
        got: format!("{} bytes, first wrong byte at {wrong:?}", data.len()),
        look_at: "drain_then_wait: read the pipe until end-of-file");
    support::require!(code == 0,
        expected: "the child's exit code, 0",
        got: code,
        look_at: "drain_then_wait: the code comes from given::wait_for");
    let kids = support::procs::children(support::procs::own_pid());
    support::require!(kids.is_empty(),
        expected: "no child left once drain_then_wait returns (it reaps the child)",
        got: format!("children {kids:?}"),
        look_at: "drain_then_wait: does it wait for the child it started?");
}

#[cfg(not(feature = "model"))]
support::isolated_tests! {
    /// A kilobyte fits in the pipe: any order of read and wait works.
    fn a_kilobyte_is_collected() {
        check(1024);
    }

    /// A child that writes nothing: the answer is empty, not an error.
    fn an_empty_output_is_collected() {
        check(0);
    }

    /// A megabyte does not fit in a pipe: the child can exit only after the
    /// parent has read most of it (Python: join a process before draining
    /// its queue, and both wait forever).
    fn a_megabyte_is_collected_without_deadlock() within 10 s {
        check(1 << 20);
    }
}
