use pipes::ex1_eof::bytes_from_child;
use support::procs;

const CAUSE: &str = "the parent is still reading and end-of-file never comes, although the child \
    has written everything and exited. read() on a pipe returns 0 (end-of-file) only when no \
    process holds a write end open any more. Which processes hold a copy of the write end after \
    fork, and which of them still has it open while the parent reads?";

support::isolated_tests! {
    /// The parent reads everything the child wrote, then sees end-of-file.
    fn the_parent_reads_to_end_of_file() {
        let n = 100_000; // more than a pipe holds: both must run at once
        support::step(
            "reading the pipe until end-of-file (the child wrote 100000 bytes and exited)",
            CAUSE,
        );
        let (pid, got) = bytes_from_child(n).expect("bytes_from_child should not fail");
        support::require!(got == n,
            expected: format!("{n} bytes from the child"),
            got: format!("{got} bytes"),
            look_at: "the read loop in bytes_from_child (src/ex1_eof.rs): is every byte counted, \
                      up to the read that returns 0?");
        support::require!(pid != procs::own_pid(),
            expected: "the pid of a forked child",
            got: format!("{pid}, the test's own pid"),
            look_at: "bytes_from_child (src/ex1_eof.rs): which pid does the Parent branch return?");
    }

    /// A child that writes nothing still ends the read at once.
    fn an_empty_pipe_ends_when_the_child_exits() {
        support::step("reading a pipe the child closed without writing", CAUSE);
        let (_pid, got) = bytes_from_child(0).expect("bytes_from_child should not fail");
        support::require!(got == 0,
            expected: "0 bytes",
            got: format!("{got} bytes"),
            look_at: "the read loop in bytes_from_child (src/ex1_eof.rs)");
    }
}
