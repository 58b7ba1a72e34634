use std::os::unix::process::ExitStatusExt;
use std::process::Command;

use pipes::ex3_pipeline::run_pipeline;

fn cmd(args: &[&str]) -> Command {
    let mut c = Command::new(args[0]);
    c.args(&args[1..]);
    c
}

support::isolated_tests! {
    /// `printf 'pear\napple\nfig\n' | sort | head -n 2`
    fn three_stages_sort_and_cut() {
        let stages = vec![
            cmd(&["printf", "pear\\napple\\nfig\\n"]),
            cmd(&["sort"]),
            cmd(&["head", "-n", "2"]),
        ];
        support::step(
            "waiting for the output of `printf ... | sort | head -n 2`",
            "`sort` never sees end-of-file on its stdin: a copy of the write end of the pipe \
             between printf and sort is still open (in the parent?). Move each pipe end into \
             the child that uses it, and keep no copy.",
        );
        let got = run_pipeline(stages).expect("run_pipeline should not fail");
        support::require!(got.stdout == b"apple\nfig\n",
            expected: "\"apple\\nfig\\n\"",
            got: format!("{:?}", String::from_utf8_lossy(&got.stdout)),
            look_at: "how each stage's stdout is connected to the next stage's stdin");
        support::require!(got.statuses.len() == 3 && got.statuses.iter().all(|s| s.success()),
            expected: "three exit statuses, all successful",
            got: format!("{:?}", got.statuses),
            look_at: "that every stage is waited for and its status kept, in order");
    }

    /// A megabyte flows through: the stages must run at the same time.
    fn a_megabyte_flows_through_every_stage() {
        let stages = vec![
            cmd(&["head", "-c", "1000000", "/dev/zero"]),
            cmd(&["cat"]),
            cmd(&["wc", "-c"]),
        ];
        support::step(
            "waiting for `head -c 1000000 /dev/zero | cat | wc -c`",
            "the first stage is blocked on a full pipe (64 KiB) that nobody reads: start every \
             stage before you wait for any of them, and read the last stage's output before \
             waiting.",
        );
        let got = run_pipeline(stages).expect("run_pipeline should not fail");
        let text = String::from_utf8_lossy(&got.stdout);
        support::require!(text.trim() == "1000000",
            expected: "wc to count 1000000 bytes",
            got: format!("{text:?}"),
            look_at: "how the stages are connected");
    }

    /// `yes | head -n 1`: `yes` ends only by SIGPIPE, and its status says so.
    fn yes_is_stopped_by_sigpipe() {
        let stages = vec![cmd(&["yes"]), cmd(&["head", "-n", "1"])];
        support::step(
            "waiting for `yes | head -n 1` to end",
            "`yes` never stops on its own: it is killed by SIGPIPE when it writes after `head` \
             has exited and EVERY read end of the pipe between them is closed. Start every stage \
             before waiting for any (do not run `yes` to completion first), and keep no copy of \
             the pipe's read end in the parent.",
        );
        let got = run_pipeline(stages).expect("run_pipeline should not fail");
        support::require!(got.stdout == b"y\n",
            expected: "\"y\\n\"",
            got: format!("{:?}", String::from_utf8_lossy(&got.stdout)),
            look_at: "how the last stage's stdout is collected");
        support::require!(got.statuses.len() == 2,
            expected: "two exit statuses",
            got: format!("{:?}", got.statuses),
            look_at: "that every stage's status is kept, in order");
        support::require!(got.statuses[0].signal() == Some(libc::SIGPIPE),
            expected: "`yes` to be killed by SIGPIPE (signal 13)",
            got: format!("{:?}", got.statuses[0]),
            look_at: "the order of the statuses: the first one is `yes`'s");
        support::require!(got.statuses[1].success(),
            expected: "`head` to succeed",
            got: format!("{:?}", got.statuses[1]),
            look_at: "the order of the statuses");
    }
}
