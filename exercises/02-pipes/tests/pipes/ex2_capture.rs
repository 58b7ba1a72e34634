use std::io::ErrorKind;
use std::os::unix::process::ExitStatusExt;
use std::process::Command;

use pipes::ex2_capture::run_with_input;
use support::procs;

fn sh(script: &str) -> Command {
    let mut c = Command::new("sh");
    c.args(["-c", script]);
    c
}

fn children_left() -> Vec<String> {
    procs::children(procs::own_pid())
        .into_iter()
        .filter_map(procs::info)
        .map(|p| p.describe())
        .collect()
}

support::isolated_tests! {
    /// A child that fills its stderr pipe before writing to stdout.
    fn a_child_that_fills_stderr_first_is_read_to_the_end() {
        let mut cmd = sh("head -c 200000 /dev/zero | tr '\\0' e >&2; echo out; exit 3");
        support::step(
            "reading the child's stdout and stderr (it writes 200000 bytes to stderr before anything to stdout)",
            "the child has written to stderr and is blocked: a pipe holds only 64 KiB. Possible \
             causes, most likely first: nobody reads the stderr pipe while the stdout pipe is read \
             to its end (which of your reads is waiting, and for what?); the child is waited for \
             before its output is read",
        );
        let got = run_with_input(&mut cmd, b"").expect("run_with_input should not fail");
        support::require!(got.stderr.len() == 200_000 && got.stderr.iter().all(|&b| b == b'e'),
            expected: "200000 bytes of 'e' on stderr",
            got: format!("{} bytes", got.stderr.len()),
            look_at: "run_with_input (src/ex2_capture.rs): how is stderr collected?");
        support::require!(got.stdout == b"out\n",
            expected: "\"out\\n\" on stdout",
            got: format!("{:?}", String::from_utf8_lossy(&got.stdout)),
            look_at: "run_with_input (src/ex2_capture.rs): how is stdout collected?");
        support::require!(got.status.code() == Some(3),
            expected: "exit status 3",
            got: format!("{:?} (signal {:?})", got.status.code(), got.status.signal()),
            look_at: "run_with_input (src/ex2_capture.rs): which status is returned?");
    }

    /// `cat` hands back 1 MiB of input: writing and reading must overlap.
    fn a_mebibyte_goes_through_cat_and_back() {
        let input: Vec<u8> = (0..1 << 20).map(|i: u32| (i % 251) as u8).collect();
        support::step(
            "feeding 1 MiB to `cat` and reading what it writes back",
            "cat and run_with_input wait for each other. Possible causes, most likely first: all \
             the input is written before any output is read, so cat's stdout pipe fills (64 KiB), \
             cat stops reading, its stdin pipe fills and the write blocks; or cat's stdin is never \
             closed, so cat waits for more input and never sees end-of-file on its stdin (who \
             still holds the stdin pipe when the writing is done?)",
        );
        let got = run_with_input(&mut Command::new("cat"), &input)
            .expect("run_with_input should not fail");
        support::require!(got.stdout == input,
            expected: "the same 1048576 bytes back from cat",
            got: format!("{} bytes{}", got.stdout.len(),
                if got.stdout.len() == input.len() { ", but different ones" } else { "" }),
            look_at: "run_with_input (src/ex2_capture.rs): how is stdin written and stdout collected?");
        support::require!(got.status.success() && got.stderr.is_empty(),
            expected: "cat to succeed with nothing on stderr",
            got: format!("{:?}, stderr {:?}", got.status, String::from_utf8_lossy(&got.stderr)),
            look_at: "run_with_input (src/ex2_capture.rs): is stdin closed once the input is written?");
    }

    /// The state between two events: the child has exited (without reading
    /// its input) while we still have input to write. Like Python's
    /// `communicate()`, that is not an error: the child's status says how
    /// it went. Then a program that does not exist: an error, and nothing
    /// is left behind.
    fn a_child_that_exits_without_reading_its_input_is_not_an_error() {
        let input = vec![b'x'; 1 << 20];
        support::step(
            "feeding 1 MiB to `sh -c 'exit 4'`, which reads none of it",
            "run_with_input does not return although the child has exited: is something still \
             waiting to write to, or read from, a child that is gone?",
        );
        let got = run_with_input(&mut sh("echo bye; exit 4"), &input);
        let left = children_left();
        support::require!(left.is_empty(),
            expected: "the child waited for before run_with_input returns",
            got: format!("still in the process table: {left:?} (run_with_input gave {got:?})"),
            look_at: "run_with_input (src/ex2_capture.rs): on every way out, including an error \
                      return, is the child waited for?");
        let got = match got {
            Ok(got) => got,
            Err(e) => support::fail(
                "Ok with exit status 4: a child that exits without reading all of its input is \
                 not an error of run_with_input (Python's communicate() agrees)",
                format!("Err({e:?}) (kind {:?})", e.kind()),
                "run_with_input (src/ex2_capture.rs): which error does writing to a pipe whose \
                 reader has exited give, and must it end the whole call?"),
        };
        support::require!(got.status.code() == Some(4) && got.stdout == b"bye\n",
            expected: "exit status 4 and \"bye\\n\" on stdout",
            got: format!("{:?}, stdout {:?}", got.status, String::from_utf8_lossy(&got.stdout)),
            look_at: "run_with_input (src/ex2_capture.rs): is the output still read and the status \
                      still returned when writing the input stopped early?");

        let mut missing = Command::new("/nonexistent/program");
        let got = run_with_input(&mut missing, b"hello");
        support::require!(matches!(&got, Err(e) if e.kind() == ErrorKind::NotFound),
            expected: "Err(NotFound) for a program that does not exist",
            got: format!("{got:?}"),
            look_at: "run_with_input (src/ex2_capture.rs): what does spawn() return here, and is it \
                      passed on?");
    }
}
