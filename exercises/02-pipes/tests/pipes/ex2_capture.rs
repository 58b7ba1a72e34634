use std::os::unix::process::ExitStatusExt;
use std::process::Command;

use pipes::ex2_capture::run_with_input;

support::isolated_tests! {
    /// A child that fills its stderr pipe before writing to stdout.
    fn a_child_that_fills_stderr_first_is_read_to_the_end() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "head -c 200000 /dev/zero | tr '\\0' e >&2; echo out; exit 3"]);
        support::step(
            "reading the child's stdout and stderr (it writes 200000 bytes to stderr before anything to stdout)",
            "the child is blocked writing to stderr: a pipe holds only 64 KiB, and nobody reads \
             the stderr pipe while you read stdout to its end. Read stdout and stderr at the same \
             time (one of them on a thread).",
        );
        let got = run_with_input(&mut cmd, b"").expect("run_with_input should not fail");
        support::require!(got.stderr.len() == 200_000 && got.stderr.iter().all(|&b| b == b'e'),
            expected: "200000 bytes of 'e' on stderr",
            got: format!("{} bytes", got.stderr.len()),
            look_at: "how stderr is collected");
        support::require!(got.stdout == b"out\n",
            expected: "\"out\\n\" on stdout",
            got: format!("{:?}", String::from_utf8_lossy(&got.stdout)),
            look_at: "how stdout is collected");
        support::require!(got.status.code() == Some(3),
            expected: "exit status 3",
            got: format!("{:?} (signal {:?})", got.status.code(), got.status.signal()),
            look_at: "the status returned by child.wait()");
    }

    /// `cat` hands back 1 MiB of input: writing and reading must overlap.
    fn a_mebibyte_goes_through_cat_and_back() {
        let input: Vec<u8> = (0..1 << 20).map(|i: u32| (i % 251) as u8).collect();
        support::step(
            "feeding 1 MiB to `cat` and reading what it writes back",
            "you write all the input before reading any output: cat's stdout pipe fills \
             (64 KiB), cat stops reading its stdin, its stdin pipe fills, and your write blocks \
             forever. Write stdin on a thread of its own while you read stdout.",
        );
        let got = run_with_input(&mut Command::new("cat"), &input)
            .expect("run_with_input should not fail");
        support::require!(got.stdout == input,
            expected: "the same 1048576 bytes back from cat",
            got: format!("{} bytes{}", got.stdout.len(),
                if got.stdout.len() == input.len() { ", but different ones" } else { "" }),
            look_at: "how stdin is written and stdout collected");
        support::require!(got.status.success() && got.stderr.is_empty(),
            expected: "cat to succeed with nothing on stderr",
            got: format!("{:?}, stderr {:?}", got.status, String::from_utf8_lossy(&got.stderr)),
            look_at: "whether stdin is closed after the input (cat waits for end-of-file)");
    }
}
