//! `cargo workbook`: the workbook's front door for students and teachers.
//!
//! This file only dispatches; each command lives in its own module, and the
//! helpers they share are in `util`.

mod bench;
mod book;
mod cargo_test;
mod chapters;
mod check;
mod exec;
mod hint;
mod lab;
mod mistakes;
mod mpi;
mod mutants;
mod report;
mod util;
mod verify;
mod watch;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// The Rust Concurrency Workbook's runner.
#[derive(Parser)]
#[command(
    name = "cargo workbook",
    bin_name = "cargo workbook",
    about = "cargo workbook — the Rust Concurrency Workbook's runner",
    long_about = "cargo workbook — the Rust Concurrency Workbook's runner\n\n\
        With no command: your progress, the next exercise, and the book.",
    after_help = "\
For students: progress, check, hint, watch, reset, book, bench.
For teachers and CI: verify, mistakes, mutants, lab export, lab results.

EXAMPLES:
    cargo workbook
    cargo workbook check processes
    cargo workbook check ex2_fork
    cargo workbook hint ex2_fork
    cargo workbook watch processes::ex2_fork
    cargo workbook verify --format junit > verify.xml
",
    disable_version_flag = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Args)]
struct FormatArg {
    /// Output format: text (for people), json (one object per test), junit (XML for CI).
    #[arg(long, value_name = "FORMAT", value_parser = ["text", "json", "junit"], default_value = "text")]
    format: String,
}

#[derive(Subcommand)]
enum Cmd {
    /// Your progress per chapter, the next exercise, and the book (the same as no command)
    #[command(display_order = 1)]
    Progress,
    /// Run the tests of a chapter, an exercise, or everything, and explain every failure
    #[command(
        display_order = 2,
        long_about = "Runs the tests (cargo test -p <chapter>-exercise) and explains every \
            failure: what was expected, what happened, and where to look. Exits non-zero if any \
            test fails. With no argument every chapter is checked.",
        after_help = "EXAMPLES:
    cargo workbook check processes
    cargo workbook check processes::ex2_fork
    cargo workbook check ex2_fork
    cargo workbook check ex2          (lists the exercises whose name starts so)
    cargo workbook check --format json > results.json
"
    )]
    Check {
        /// A chapter (`processes`), an exercise (`ex2_fork`, `processes::ex2_fork`), or a prefix (`ex2`)
        what: Option<String>,
        /// Run the tests on the reference solution instead (teachers)
        #[arg(long)]
        solution: bool,
        #[command(flatten)]
        format: FormatArg,
    },
    /// The next hint for an exercise, gentlest first (--all: every hint)
    #[command(
        display_order = 3,
        long_about = "Shows the next hint for an exercise, gentlest first; run it again for a \
            stronger one. Hints already shown are remembered in .workbook/hints.json.",
        after_help = "EXAMPLES:
    cargo workbook hint ex2_fork
    cargo workbook hint processes::ex2_fork --all
"
    )]
    Hint {
        /// The exercise (`ex2_fork` or `processes::ex2_fork`)
        exercise: String,
        /// Show every hint at once
        #[arg(long)]
        all: bool,
    },
    /// Re-check the exercise you are working on whenever you save
    #[command(
        display_order = 4,
        long_about = "Checks the exercise you are on, then again whenever you save a file under \
            exercises/ (or press Enter). It follows the exercise whose file you saved last; with \
            no file saved yet, the first one with a failing test. Each run starts with the time; \
            when an exercise passes it says so and names the next one. Ctrl-C quits.",
        after_help = "EXAMPLES:
    cargo workbook watch                      (every chapter)
    cargo workbook watch processes            (one chapter)
    cargo workbook watch processes::ex2_fork  (one exercise, until it passes)
"
    )]
    Watch {
        /// A chapter, or one exercise (`processes::ex2_fork` or `ex2_fork`)
        what: Option<String>,
    },
    /// Put an exercise's original stub back (your version is kept)
    #[command(
        display_order = 5,
        long_about = "Restores the exercise's file (exercises/NN-chapter/src/<exercise>.rs) to \
            its original stub from git. Your version is kept in .workbook/backup/ first.",
        after_help = "EXAMPLE:
    cargo workbook reset ex2_fork
"
    )]
    Reset {
        /// The exercise (`ex2_fork` or `processes::ex2_fork`)
        exercise: String,
    },
    /// Build the book (and serve it on 127.0.0.1)
    #[command(
        display_order = 6,
        long_about = "Builds the book into book/html and prints the file:// address to open. \
            With --serve it also serves book/html at http://127.0.0.1:PORT/ (default 3000; only \
            this computer can connect) until Ctrl-C.",
        after_help = "EXAMPLES:
    cargo workbook book
    cargo workbook book --serve 8080
"
    )]
    Book {
        /// Serve the book on 127.0.0.1:PORT after building it
        #[arg(long, value_name = "PORT", num_args = 0..=1, default_missing_value = "3000")]
        serve: Option<u16>,
    },
    /// Measure a chapter's Rust and Python versions (`bench --help` for its options)
    #[command(display_order = 7, disable_help_flag = true)]
    Bench {
        /// `<CHAPTER> [--quick] [--render] [-- <criterion args>]`
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// The test suite: stubs fail, solutions pass, examples and Python run, the book builds, ...
    #[command(
        display_order = 10,
        long_about = "The README's test command (teachers and CI). Steps:
  1. cargo test of the support crate, the runner and the benches (each
     benchmark built and run once), and the solutions' unit tests and doctests
  2. every test passes on the solution and fails on the untouched stub
  3. every example (exercises/*/examples/*.rs) runs and exits 0
  4. every Python file (exercises/*/python/*.py) runs and exits 0
  5. every {{#include}} in the book resolves, and the book builds
  6. no process and no /dev/shm entry is left behind
With a CHAPTER, steps 2-4 cover that chapter only and step 1 is skipped.
The slower checks are commands of their own: `mistakes` (every planted
mistake is caught) and `mutants`; the summary gives each step's time and
their last results. The last line is `N passed, N failed`; the exit status
is non-zero if anything failed.",
        after_help = "EXAMPLES:
    cargo workbook verify
    cargo workbook verify processes
    cargo workbook verify --format junit > verify.xml
"
    )]
    Verify {
        /// One chapter only
        chapter: Option<String>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Every planted mistake (chapter.toml's [[mistake]]) is caught by the tests it names
    #[command(
        display_order = 11,
        long_about = "Builds each chapter's tests once per planted mistake (a `mistake-<name>` \
            feature of the solution crate that swaps in a realistic wrong answer), runs the \
            tests chapter.toml names for it, and checks that each fails with the message it \
            names; then that no process and no /dev/shm entry is left behind. One build per \
            mistake makes this slower than `verify`, so it is a command of its own (CI runs \
            it after verify). The result per chapter is recorded for `verify`'s summary (in \
            <target>/workbook/mistakes.json). The last line is `N passed, N failed`; the exit \
            status is non-zero if a mistake got through.",
        after_help = "EXAMPLES:
    cargo workbook mistakes
    cargo workbook mistakes queues
    cargo workbook mistakes --format junit > mistakes.xml
"
    )]
    Mistakes {
        /// One chapter only
        chapter: Option<String>,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Mutation testing of the solutions (cargo-mutants, in a PID namespace)
    #[command(
        display_order = 12,
        long_about = "Runs cargo-mutants on every chapter's solution crate (or one chapter's), \
            honouring .cargo/mutants.toml, and prints per chapter how many mutants the tests \
            caught, missed, could not build (unviable) and timed out, the mutation score, the \
            time taken, and every missed mutant. The scores are recorded for `verify`'s summary \
            (in <target>/workbook/mutants.json). Exits non-zero if any mutant was missed.\n\n\
            A mutant can turn a pid into -1, and kill(-1) as root ends every process on the \
            machine; so the run happens in a PID namespace of its own (unshare --pid), and the \
            command refuses to run where none can be made.",
        after_help = "EXAMPLES:
    cargo workbook mutants
    cargo workbook mutants threads
"
    )]
    Mutants {
        /// One chapter only
        chapter: Option<String>,
        /// Run without a PID namespace: a stray kill(-1) then reaches every process you may signal
        #[arg(long)]
        unsafe_no_namespace: bool,
        /// Mutate the files where they are and build in this tree's target folder, which the
        /// test suite has already built: much faster, for CI on a throwaway clone (an
        /// interrupted run can leave a mutated file behind: `git checkout` restores it)
        #[arg(long)]
        in_place: bool,
        /// Skip cargo-mutants' first run of the tests on the unchanged solution (its baseline),
        /// giving each mutant's tests a fixed limit instead: only right when `cargo workbook
        /// verify` has just passed on this very tree, as in CI
        #[arg(long)]
        skip_baseline: bool,
    },
    /// A student copy of the workbook, and the students' results
    #[command(display_order = 13, subcommand)]
    Lab(LabCmd),
}

#[derive(Subcommand)]
enum LabCmd {
    /// Write a student copy: the stubs as committed, no solutions, no teacher notes
    #[command(
        long_about = "Writes a student copy of the workbook to DIR: the files as committed in \
            git's HEAD (it refuses when the exercise stubs have uncommitted changes), without \
            solutions/, the teachers' pages of the book, or measured results (students measure \
            their own); the workspace adjusted to build without the solutions, and a git \
            repository with one commit so `cargo workbook reset` works.",
        after_help = "EXAMPLE:
    cargo workbook lab export /tmp/lab-copy
"
    )]
    Export {
        /// A new (or empty) folder
        dir: PathBuf,
    },
    /// Check every chapter of the student's crates, for autograding
    #[command(after_help = "EXAMPLE:
    cargo workbook lab results --format junit > results.xml
")]
    Results {
        #[command(flatten)]
        format: FormatArg,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let root = match chapters::find_root(&cwd) {
        Ok(r) => r,
        Err(e) => return util::fail(&e),
    };
    dispatch(&root, cli.command)
}

/// The words a module's command function reads.
fn words(items: &[(&str, Option<&str>)], rest: Option<&String>) -> Vec<String> {
    let mut out: Vec<String> = rest.into_iter().cloned().collect();
    for (flag, value) in items {
        out.push((*flag).to_string());
        if let Some(v) = value {
            out.push((*v).to_string());
        }
    }
    out
}

fn dispatch(root: &Path, command: Option<Cmd>) -> ExitCode {
    let Some(command) = command else {
        return check::cmd_progress(root);
    };
    match command {
        Cmd::Progress => check::cmd_progress(root),
        Cmd::Check {
            what,
            solution,
            format,
        } => {
            let mut flags = vec![("--format", Some(format.format.as_str()))];
            if solution {
                flags.push(("--solution", None));
            }
            check::cmd_check(root, &words(&flags, what.as_ref()))
        }
        Cmd::Hint { exercise, all } => {
            let flags = if all { vec![("--all", None)] } else { vec![] };
            hint::cmd_hint(root, &words(&flags, Some(&exercise)))
        }
        Cmd::Watch { what } => watch::cmd_watch(root, &words(&[], what.as_ref())),
        Cmd::Reset { exercise } => watch::cmd_reset(root, &words(&[], Some(&exercise))),
        Cmd::Book { serve } => {
            let port = serve.map(|p| p.to_string());
            let flags = match &port {
                Some(p) => vec![("--serve", Some(p.as_str()))],
                None => vec![],
            };
            book::cmd_book(root, &words(&flags, None))
        }
        Cmd::Bench { args } => bench::run(root, &args),
        Cmd::Verify { chapter, format } => verify::cmd_verify(
            root,
            &words(
                &[("--format", Some(format.format.as_str()))],
                chapter.as_ref(),
            ),
        ),
        Cmd::Mistakes { chapter, format } => mistakes::cmd_mistakes(
            root,
            &words(
                &[("--format", Some(format.format.as_str()))],
                chapter.as_ref(),
            ),
        ),
        Cmd::Mutants {
            chapter,
            unsafe_no_namespace,
            in_place,
            skip_baseline,
        } => {
            let mut flags = vec![];
            if unsafe_no_namespace {
                flags.push(("--unsafe-no-namespace", None));
            }
            if in_place {
                flags.push(("--in-place", None));
            }
            if skip_baseline {
                flags.push(("--skip-baseline", None));
            }
            mutants::cmd_mutants(root, &words(&flags, chapter.as_ref()))
        }
        Cmd::Lab(LabCmd::Export { dir }) => lab::export(root, &dir),
        Cmd::Lab(LabCmd::Results { format }) => check::cmd_lab_results(
            root,
            &words(&[("--format", Some(format.format.as_str()))], None),
        ),
    }
}
