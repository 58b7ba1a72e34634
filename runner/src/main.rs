//! `cargo workbook`: the workbook's front door for students and teachers.
//!
//! This file only dispatches; each command lives in its own module. The two
//! small helpers every command shares ([`fail`], [`files_under`]) are here.

mod bench;
mod book;
mod cargo_test;
mod chapters;
mod check;
mod exec;
mod hint;
mod lab;
mod report;
mod verify;
mod watch;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const OVERVIEW: &str = "\
cargo workbook — the Rust Concurrency Workbook's runner

USAGE:
    cargo workbook [COMMAND] [ARGS]

For students:
    (no command)            your progress, the next exercise, and the book
    check [WHAT]            run the tests of a chapter, an exercise, or everything
    hint <EXERCISE>         the next hint for an exercise (--all: every hint)
    watch [CHAPTER]         re-check the exercise you are on whenever you save
    reset <EXERCISE>        put an exercise's original stub back (yours is kept)
    book [--serve [PORT]]   build the book (and serve it on 127.0.0.1)
    bench <CHAPTER>         measure a chapter's Rust and Python versions

For teachers and CI:
    verify [CHAPTER]        the full test suite (stubs fail, solutions pass, ...)
    lab export <DIR>        write a student copy without the solutions
    lab results             every chapter's results, for autograding

    help <COMMAND>          more about one command

EXAMPLES:
    cargo workbook
    cargo workbook check processes
    cargo workbook check ex2_fork
    cargo workbook hint ex2_fork
    cargo workbook verify --format junit > verify.xml
";

fn help_for(cmd: &str) -> Option<&'static str> {
    Some(match cmd {
        "check" => {
            "\
cargo workbook check [CHAPTER | CHAPTER::EXERCISE | EXERCISE] [--solution] [--format text|json|junit]

Runs the tests (cargo test -p <chapter>-exercise) and explains every failure:
what was expected, what happened, and where to look. Exits non-zero if any
test fails. With no argument every chapter is checked.

    --solution        run the tests on the reference solution instead (teachers)
    --format json     one object per test: chapter, exercise, test, status, message
    --format junit    JUnit XML: a testsuite per chapter, a testcase per test

EXAMPLES:
    cargo workbook check processes
    cargo workbook check processes::ex2_fork
    cargo workbook check ex2_fork
    cargo workbook check --format json > results.json
"
        }
        "hint" => {
            "\
cargo workbook hint <EXERCISE> [--all]

Shows the next hint for an exercise, gentlest first; run it again for a
stronger one. Hints already shown are remembered in .workbook/hints.json.

EXAMPLES:
    cargo workbook hint ex2_fork
    cargo workbook hint processes::ex2_fork --all
"
        }
        "watch" => {
            "\
cargo workbook watch [CHAPTER]

Checks the exercise you are on (the first one with a failing test), then
checks again whenever a file under exercises/ changes (looked at once a
second) or when you press Enter. Ctrl-C quits.

EXAMPLE:
    cargo workbook watch processes
"
        }
        "reset" => {
            "\
cargo workbook reset <EXERCISE>

Restores the exercise's file (exercises/NN-chapter/src/<exercise>.rs) to its
original stub from git. Your version is kept in .workbook/backup/ first.

EXAMPLE:
    cargo workbook reset ex2_fork
"
        }
        "book" => {
            "\
cargo workbook book [--serve [PORT]]

Builds the book into book/html and prints the file:// address to open.
With --serve it also serves book/html at http://127.0.0.1:PORT/ (default
3000; only this computer can connect) until Ctrl-C.

EXAMPLES:
    cargo workbook book
    cargo workbook book --serve 8080
"
        }
        "verify" => {
            "\
cargo workbook verify [CHAPTER] [--format text|json|junit]

The full test suite (teachers and CI). Steps:
  1. cargo test at the root (support, runner, benches, solutions)
  2. every test passes on the solution and fails on the untouched stub
  3. every [[mistake]] in chapter.toml is caught by the tests it names
  4. every example (exercises/*/examples/*.rs) runs and exits 0
  5. every Python file (exercises/*/python/*.py) runs and exits 0
  6. every {{#include}} in the book resolves, and the book builds
  7. the benchmarks compile and run once
  8. no process and no /dev/shm entry is left behind
With a CHAPTER, steps 2-5 cover that chapter only and steps 1 and 7 are
skipped. The last line is `N passed, N failed`; the exit status is non-zero
if anything failed.

EXAMPLES:
    cargo workbook verify
    cargo workbook verify processes
    cargo workbook verify --format junit > verify.xml
"
        }
        "lab" => {
            "\
cargo workbook lab export <DIR>
cargo workbook lab results [--format text|json|junit]

export   writes a student copy of the workbook to DIR: no solutions/, no
         measured results (students measure their own), the workspace
         adjusted to build without them, and a git repository with one
         commit so `cargo workbook reset` works.
results  checks every chapter of the student's crates, for autograding.

EXAMPLES:
    cargo workbook lab export /tmp/lab-copy
    cargo workbook lab results --format junit > results.xml
"
        }
        "bench" => {
            "\
cargo workbook bench <CHAPTER> [OPTIONS]

Runs a chapter's criterion benchmarks and its Python counterpart, and
writes benches/results/<chapter>.md (shown in the book) and .json.
See `cargo workbook bench --help` for its options.
"
        }
        _ => return None,
    })
}

/// Prints an error and returns a failing exit code.
pub fn fail(msg: &str) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::FAILURE
}

/// Every file under `dir` (at any depth) that `keep` accepts, in the order
/// the directories list them. Folders that cannot be read are skipped.
pub fn files_under(dir: &Path, keep: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    fn walk(dir: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, keep, out);
            } else if keep(&path) {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, keep, &mut out);
    out
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let first = args.first().map(String::as_str);
    match first {
        Some("help" | "--help" | "-h") => {
            match args.get(1).and_then(|c| help_for(c)) {
                Some(h) => print!("{h}"),
                None => print!("{OVERVIEW}"),
            }
            return ExitCode::SUCCESS;
        }
        Some(cmd) if args.iter().skip(1).any(|a| a == "--help" || a == "-h") && cmd != "bench" => {
            print!("{}", help_for(cmd).unwrap_or(OVERVIEW));
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let root = match chapters::find_root(&cwd) {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    let rest = if args.is_empty() { &[][..] } else { &args[1..] };
    match first {
        None => check::cmd_progress(&root),
        Some("check") => check::cmd_check(&root, rest),
        Some("hint") => hint::cmd_hint(&root, rest),
        Some("watch") => watch::cmd_watch(&root, rest),
        Some("reset") => watch::cmd_reset(&root, rest),
        Some("verify") => verify::cmd_verify(&root, rest),
        Some("book") => book::cmd_book(&root, rest),
        Some("lab") => lab::cmd_lab(&root, rest),
        Some("bench") => bench::run(&root, rest),
        Some(other) => fail(&format!(
            "unknown command `{other}`; `cargo workbook help` lists them"
        )),
    }
}
