use std::io::ErrorKind;
use std::os::unix::process::ExitStatusExt;
use std::process::Command;

use pipes::ex3_pipeline::run_pipeline;
use support::procs;

fn cmd(args: &[&str]) -> Command {
    let mut c = Command::new(args[0]);
    c.args(&args[1..]);
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
    /// `printf 'pear\napple\nfig\n' | sort | head -n 2`
    fn three_stages_sort_and_cut() {
        let stages = vec![
            cmd(&["printf", "pear\\napple\\nfig\\n"]),
            cmd(&["sort"]),
            cmd(&["head", "-n", "2"]),
        ];
        support::step(
            "waiting for the output of `printf ... | sort | head -n 2`",
            "`sort` prints only once it sees end-of-file on its stdin, and it never does: a write \
             end of the pipe between printf and sort is still open somewhere after printf exited. \
             Which processes hold a copy of it: the parent? a later stage that inherited it?",
        );
        let got = run_pipeline(stages).expect("run_pipeline should not fail");
        support::require!(got.stdout == b"apple\nfig\n",
            expected: "\"apple\\nfig\\n\"",
            got: format!("{:?}", String::from_utf8_lossy(&got.stdout)),
            look_at: "run_pipeline (src/ex3_pipeline.rs): how is each stage's stdout connected to \
                      the next stage's stdin?");
        support::require!(got.statuses.len() == 3 && got.statuses.iter().all(|s| s.success()),
            expected: "three exit statuses, all successful",
            got: format!("{:?}", got.statuses),
            look_at: "run_pipeline (src/ex3_pipeline.rs): is every stage waited for, and its status \
                      kept in order?");
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
            "a stage is blocked writing to a full pipe (64 KiB) that nobody reads yet. Possible \
             causes, most likely first: a stage is waited for before the stages after it have \
             been started; a pipe end is still open in the parent, so a stage never sees \
             end-of-file",
        );
        let got = run_pipeline(stages).expect("run_pipeline should not fail");
        let text = String::from_utf8_lossy(&got.stdout);
        support::require!(text.trim() == "1000000",
            expected: "wc to count 1000000 bytes",
            got: format!("{text:?}"),
            look_at: "run_pipeline (src/ex3_pipeline.rs): how are the stages connected?");
    }

    /// The last stage writes more than a pipe holds: its output must be
    /// read while it runs, not after it has been waited for.
    fn a_last_stage_that_writes_a_lot_is_read_while_it_runs() {
        let stages = vec![cmd(&["head", "-c", "200000", "/dev/zero"]), cmd(&["cat"])];
        support::step(
            "waiting for `head -c 200000 /dev/zero | cat`, whose output is more than a pipe holds",
            "`cat` is blocked writing its output to a full pipe (64 KiB) and cannot end. Possible \
             causes: a stage is waited for before the last stage's output is read (who reads that \
             pipe while cat runs?); a stage is waited for before the next one is started",
        );
        let got = run_pipeline(stages).expect("run_pipeline should not fail");
        support::require!(got.stdout.len() == 200_000,
            expected: "200000 bytes from the last stage",
            got: format!("{} bytes", got.stdout.len()),
            look_at: "run_pipeline (src/ex3_pipeline.rs): how is the last stage's stdout collected?");
    }

    /// `yes | head -n 1`: `yes` ends only by SIGPIPE, and its status says so.
    fn yes_is_stopped_by_sigpipe() {
        let stages = vec![cmd(&["yes"]), cmd(&["head", "-n", "1"])];
        support::step(
            "waiting for `yes | head -n 1` to end",
            "`yes` never stops on its own: only SIGPIPE stops it, when it writes after `head` has \
             exited and no read end of the pipe between them is open any more. Possible causes, \
             most likely first: `yes` is waited for before `head` has been started; the parent \
             still holds a copy of that pipe's read end",
        );
        let got = run_pipeline(stages).expect("run_pipeline should not fail");
        support::require!(got.stdout == b"y\n",
            expected: "\"y\\n\"",
            got: format!("{:?}", String::from_utf8_lossy(&got.stdout)),
            look_at: "run_pipeline (src/ex3_pipeline.rs): how is the last stage's stdout collected?");
        support::require!(got.statuses.len() == 2,
            expected: "two exit statuses",
            got: format!("{:?}", got.statuses),
            look_at: "run_pipeline (src/ex3_pipeline.rs): is every stage's status kept, in order?");
        support::require!(got.statuses[0].signal() == Some(libc::SIGPIPE),
            expected: "`yes` to be killed by SIGPIPE (signal 13)",
            got: format!("{:?}", got.statuses[0]),
            look_at: "run_pipeline (src/ex3_pipeline.rs): is the first status `yes`'s? How else \
                      could `yes` have ended?");
        support::require!(got.statuses[1].success(),
            expected: "`head` to succeed",
            got: format!("{:?}", got.statuses[1]),
            look_at: "run_pipeline (src/ex3_pipeline.rs): the order of the statuses");
    }

    /// The middle stage cannot start (its program does not exist): the
    /// error comes back, and the stage already running is stopped and
    /// waited for. Nothing is left behind.
    fn a_stage_that_cannot_start_leaves_nothing_running() {
        let stages = vec![
            cmd(&["yes"]),
            cmd(&["/nonexistent/program"]),
            cmd(&["cat"]),
        ];
        support::step(
            "running `yes | /nonexistent/program | cat`, whose second stage cannot start",
            "run_pipeline does not return after a stage failed to start: is it waiting for a \
             stage that never ends by itself (`yes`)?",
        );
        let got = run_pipeline(stages);
        let left = children_left();
        support::require!(matches!(&got, Err(e) if e.kind() == ErrorKind::NotFound),
            expected: "Err(NotFound): the second stage's program does not exist",
            got: format!("{got:?}"),
            look_at: "run_pipeline (src/ex3_pipeline.rs): what does spawn() return for that stage, \
                      and is it passed on?");
        support::require!(left.is_empty(),
            expected: "no process left once run_pipeline has returned its error",
            got: format!("still in the process table: {left:?}"),
            look_at: "run_pipeline (src/ex3_pipeline.rs): what happens to the stages that were \
                      already started when a later one fails? (A `?` returns at once; a Child \
                      that is dropped is neither stopped nor waited for.)");
    }
}
