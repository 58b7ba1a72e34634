//! `verify [chapter]`: the README's test command (teachers and CI).
//!
//! Every step is reported as cases that pass or fail; the last line is
//! `N passed, N failed` (plus `, N skipped`). The runner makes itself a child
//! subreaper first, so any process a step leaves behind ends up as our
//! child and is caught in the last step, and it snapshots `/dev/shm` to
//! catch shared-memory objects nobody removed. `mistakes` (in its own
//! module) uses the same machinery: [`Verifier`], [`Verifier::start`],
//! [`Verifier::finish`].

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::Pid;
use support::procs;

use crate::book;
use crate::cargo_test::{self, Run, Status};
use crate::chapters::{self, Chapter};
use crate::check::take_format;
use crate::exec;
use crate::mutants;
use crate::report::{self, Case, Format, Outcome, Paint};

/// The cases a suite (verify, mistakes) has found so far, and how it shows
/// them.
pub(crate) struct Verifier {
    cases: Vec<Case>,
    format: Format,
    paint: Paint,
    step: String,
    /// When each step started, to print its time in the summary.
    started: Vec<(String, Instant)>,
    /// What is running now, and how many test builds are done (on a
    /// terminal only: indicatif draws nothing into a log).
    pub(crate) bar: ProgressBar,
    /// `/dev/shm` before the suite began, for the last step.
    shm_before: BTreeSet<String>,
}

impl Verifier {
    /// Becomes a child subreaper (orphans of every step are re-parented to
    /// us, so the last step sees them), notes `/dev/shm`, and starts the
    /// progress bar.
    pub(crate) fn start(format: Format) -> Verifier {
        let subreaper = nix::sys::prctl::set_child_subreaper(true);
        let mut v = Verifier {
            cases: Vec::new(),
            format,
            paint: Paint::stdout(),
            step: String::new(),
            started: Vec::new(),
            bar: progress_bar(),
            shm_before: shm_entries(),
        };
        if let Err(e) = subreaper {
            v.step("0. setup");
            v.case(
                "runner",
                "becomes a child subreaper",
                Outcome::Fail,
                format!("prctl failed: {e}"),
            );
        }
        v
    }

    pub(crate) fn step(&mut self, title: &str) {
        self.step = title.to_string();
        self.started.push((title.to_string(), Instant::now()));
        let line = format!("\n== {title}");
        self.bar.set_message(title.to_string());
        if self.format == Format::Text {
            self.bar.suspend(|| println!("{}", self.paint.bold(&line)));
        } else {
            self.bar.suspend(|| eprintln!("{line}"));
        }
    }

    pub(crate) fn case(
        &mut self,
        subject: &str,
        name: &str,
        outcome: Outcome,
        message: impl Into<String>,
    ) {
        let message = message.into();
        let (mark, colour): (&str, fn(Paint, &str) -> String) = match outcome {
            Outcome::Pass => ("✔", Paint::green),
            Outcome::Fail => ("✘", Paint::red),
            Outcome::Skip => ("-", Paint::yellow),
        };
        let mut line = format!("  {} {subject}: {name}", colour(self.paint, mark));
        if outcome != Outcome::Pass && !message.is_empty() {
            line.push('\n');
            line.push_str(&report::indent(&message, 6));
        }
        if self.format == Format::Text {
            self.bar.suspend(|| println!("{line}"));
        } else if outcome == Outcome::Fail {
            self.bar.suspend(|| eprintln!("{line}"));
        }
        self.bar
            .set_message(format!("{} — {subject}: {name}", self.step));
        self.cases.push(Case {
            suite: self.step.clone(),
            group: subject.to_string(),
            name: name.to_string(),
            outcome,
            message,
        });
    }

    pub(crate) fn pass_fail(
        &mut self,
        subject: &str,
        name: &str,
        ok: bool,
        message: impl Into<String>,
    ) {
        let o = if ok { Outcome::Pass } else { Outcome::Fail };
        self.case(subject, name, o, message);
    }

    /// The cases so far.
    pub(crate) fn cases(&self) -> &[Case] {
        &self.cases
    }

    /// The last step: nothing left behind; then the end of the timings.
    pub(crate) fn last_step(&mut self, title: &str) {
        self.step(title);
        let before = std::mem::take(&mut self.shm_before);
        leftovers(self, &before);
        self.started.push((String::new(), Instant::now()));
        self.bar.finish_and_clear();
    }

    /// Prints the results (and, in text, a summary with each step's time,
    /// then `more` lines such as the last mutation scores), then the tally;
    /// fails if any case failed.
    pub(crate) fn finish(&self, command: &str, more: &[(String, Vec<String>)]) -> ExitCode {
        let failed = self.cases.iter().any(|c| c.outcome == Outcome::Fail);
        let tally = report::tally(&self.cases);
        match self.format {
            Format::Json => println!(
                "{}",
                report::json(&self.cases, report::VERIFY_KEYS, Outcome::word)
            ),
            Format::Junit => print!(
                "{}",
                report::junit(&self.cases, &format!("workbook {command}"))
            ),
            Format::Text => {
                self.print_summary(command);
                for (title, lines) in more {
                    if !title.is_empty() {
                        println!("\n{}", self.paint.bold(title));
                    }
                    for line in lines {
                        println!("  {line}");
                    }
                }
            }
        }
        // The machine formats keep stdout parseable; the count still ends the run.
        if self.format == Format::Text {
            println!("{tally}");
        } else {
            eprintln!("{tally}");
        }
        if failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        }
    }

    fn print_summary(&self, command: &str) {
        println!("\n{}", self.paint.bold("Summary"));
        let mut steps: Vec<&str> = Vec::new();
        for c in &self.cases {
            if !steps.contains(&c.suite.as_str()) {
                steps.push(&c.suite);
            }
        }
        for s in steps {
            let cs: Vec<Case> = self
                .cases
                .iter()
                .filter(|c| c.suite == s)
                .cloned()
                .collect();
            let bad = cs.iter().any(|c| c.outcome == Outcome::Fail);
            let mark = if bad {
                self.paint.red("✘")
            } else {
                self.paint.green("✔")
            };
            println!(
                "  {mark} {s}: {} ({:.1} s)",
                report::tally(&cs),
                self.took(s).as_secs_f64()
            );
        }
        let total: Duration = step_times(self).into_iter().map(|(_, d)| d).sum();
        println!("  {command} took {:.0} s in all", total.as_secs_f64());
    }

    /// How long the step `title` took (zero if it never ran).
    fn took(&self, title: &str) -> Duration {
        step_times(self)
            .into_iter()
            .filter(|(t, _)| *t == title)
            .map(|(_, d)| d)
            .sum()
    }
}

/// A spinner with the elapsed time, the test builds done, and what runs now.
fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] test builds {pos}/{len} {wide_msg}",
    ) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

fn shm_entries() -> BTreeSet<String> {
    fs::read_dir("/dev/shm")
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The chapters a suite covers: every one, or the one named (by its name
/// or its folder); `Err` is the message to fail with.
pub(crate) fn choose<'a>(
    all: &'a [Chapter],
    name: Option<&String>,
) -> Result<Vec<&'a Chapter>, String> {
    match name {
        None => Ok(all.iter().collect()),
        Some(name) => match all.iter().find(|c| &c.name == name || &c.folder == name) {
            Some(c) => Ok(vec![c]),
            None => Err(format!("no chapter `{name}`")),
        },
    }
}

/// The words after the command: the format and at most one chapter.
pub(crate) fn suite_args(args: &[String], usage: &str) -> Result<(Format, Option<String>), String> {
    let (format, rest) = take_format(args)?;
    if rest.len() > 1 || rest.first().is_some_and(|a| a.starts_with('-')) {
        return Err(usage.to_string());
    }
    Ok((format, rest.into_iter().next()))
}

pub fn cmd_verify(root: &Path, args: &[String]) -> ExitCode {
    let usage = "usage: cargo workbook verify [chapter] [--format text|json|junit]";
    let (format, chapter) = match suite_args(args, usage) {
        Ok(x) => x,
        Err(e) => return crate::util::fail(&e),
    };
    let all = match chapters::discover(root) {
        Ok(c) => c,
        Err(e) => return crate::util::fail(&e),
    };
    let chosen = match choose(&all, chapter.as_ref()) {
        Ok(c) => c,
        Err(e) => return crate::util::fail(&e),
    };
    if !root.join("solutions").is_dir() {
        return crate::util::fail(
            "verify needs the reference solutions, and this copy of the workbook has none \
             (a student copy made by `cargo workbook lab export`).\n\
             Students: `cargo workbook check` runs your tests.",
        );
    }
    let mut v = Verifier::start(format);

    let whole = chapter.is_none();
    if whole {
        v.step("1. cargo test: support, runner, benches, and the solutions' own tests");
        root_tests(&mut v, root, &chosen);
    }
    // Step 2 builds one test binary per package and feature set; the
    // pipeline compiles the next while the tests of this one run.
    let units = build_units(root, &chosen);
    v.bar.set_length(units.len() as u64);
    let pipeline = cargo_test::Pipeline::start(root, units);
    v.step("2. every test passes on the solution and fails on the untouched stub");
    warn_if_stubs_edited(&mut v, root);
    for ch in &chosen {
        stubs_and_solutions(&mut v, root, ch, &pipeline);
    }
    v.step("3. every example runs and exits 0");
    for ch in &chosen {
        examples(&mut v, root, ch);
        own_bench(&mut v, root, ch);
    }
    v.step("4. every Python file runs and exits 0");
    for ch in &chosen {
        python(&mut v, root, ch);
    }
    v.step("5. the book: includes resolve, and it builds");
    book_step(&mut v, root);
    v.last_step("6. nothing left behind");

    let mut more = vec![
        (
            "Planted mistakes (the last `cargo workbook mistakes`, not re-run by verify)"
                .to_string(),
            crate::mistakes::summary_lines(root, &chosen),
        ),
        (
            "Mutation scores (the last `cargo workbook mutants`, not re-run by verify)".to_string(),
            mutants::summary_lines(root, &chosen),
        ),
    ];
    if !whole {
        more.push((
            String::new(),
            vec!["(step 1 covers the whole workspace: run `cargo workbook verify` for it)".into()],
        ));
    }
    v.finish("verify", &more)
}

/// How long each step took: from its start to the next step's start.
fn step_times(v: &Verifier) -> Vec<(&str, Duration)> {
    v.started
        .windows(2)
        .map(|w| (w[0].0.as_str(), w[1].1.duration_since(w[0].1)))
        .collect()
}

fn failure_text(out: &exec::Output, limit: std::time::Duration) -> String {
    if out.success() {
        return String::new();
    }
    let failed: Vec<String> = cargo_test::parse(&out.stdout)
        .into_iter()
        .filter(|t| t.status == Status::Failed)
        .map(|t| format!("failed: {}\n{}", t.name, report::indent(&t.message, 2)))
        .collect();
    let text = if !failed.is_empty() {
        failed.join("\n")
    } else if let Some(e) = cargo_test::first_compile_error(&out.stderr) {
        e
    } else {
        last_lines(&(out.stdout.clone() + &out.stderr), 15)
    };
    format!("{}\n{text}", out.ending(limit))
}

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Step 1: what step 2 does not run. The support crate, the runner and the
/// benches' code with every test they have; the benchmarks, built and run
/// once each (criterion's test mode); and of each solution crate only its
/// unit tests and doctests, since step 2 runs its chapter's tests (a second
/// build of those here cost more than a minute).
fn root_tests(v: &mut Verifier, root: &Path, chosen: &[&Chapter]) {
    let mut solutions: Vec<String> = Vec::new();
    for ch in chosen {
        if root.join(ch.solution_dir()).is_dir() {
            solutions.push("-p".into());
            solutions.push(ch.solution_package());
        }
    }
    let ours = [
        "-p",
        "workbook-support",
        "-p",
        "workbook",
        "-p",
        "workbook-benches",
    ];
    let mut runs: Vec<(&str, &str, Vec<String>)> = vec![
        ("support, runner, benches", "cargo test", own(&ours, &[])),
        (
            "workbook-benches",
            "the benchmarks compile and run once (cargo test --benches)",
            own(&["-p", "workbook-benches", "--benches"], &[]),
        ),
    ];
    if !solutions.is_empty() {
        runs.push((
            "solutions",
            "their unit tests (cargo test --lib)",
            own(&["--lib"], &solutions),
        ));
        runs.push((
            "solutions",
            "their doctests (cargo test --doc)",
            own(&["--doc"], &solutions),
        ));
    }
    for (subject, what, args) in runs {
        let mut cmd = exec::cargo();
        cmd.current_dir(root)
            .arg("test")
            .args(&args)
            .args(["--no-fail-fast", "--color", "never"]);
        let out = exec::run(cmd, exec::CARGO_LIMIT);
        let tests = cargo_test::parse(&out.stdout);
        let passed = tests.iter().filter(|t| t.status == Status::Passed).count();
        let msg = failure_text(&out, exec::CARGO_LIMIT);
        // Criterion's test mode prints no libtest lines: no count to give.
        let name = if passed > 0 {
            format!("{what}: {passed} tests passed")
        } else {
            what.to_string()
        };
        v.pass_fail(subject, &name, out.success(), msg);
    }
}

/// `words` then `more`, as owned arguments.
fn own(words: &[&str], more: &[String]) -> Vec<String> {
    words
        .iter()
        .map(|w| w.to_string())
        .chain(more.iter().cloned())
        .collect()
}

fn warn_if_stubs_edited(v: &mut Verifier, root: &Path) {
    let status = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["diff", "--quiet", "HEAD", "--", "exercises/"])
        .status();
    if status.is_ok_and(|s| s.code() == Some(1)) {
        let msg = "warning: files under exercises/ differ from git HEAD, so the stubs may not be untouched; \
                   a test that passes on an edited stub is not necessarily a defect.";
        if v.format == Format::Text {
            println!("  {}", v.paint.yellow(msg));
        } else {
            eprintln!("{msg}");
        }
    }
}

/// Every test build step 2 uses, in the order it uses them.
fn build_units(root: &Path, chosen: &[&Chapter]) -> Vec<cargo_test::Unit> {
    let mut all = Vec::new();
    for ch in chosen {
        if root.join(ch.solution_dir()).is_dir() {
            all.extend(chapter_units(ch, ch.solution_package(), None));
            all.extend(chapter_units(ch, ch.exercise_package(), None));
        }
    }
    all
}

/// The test builds of one chapter on `package`: one per feature set, with
/// `extra` (a mistake's feature) added to each.
pub(crate) fn chapter_units(
    ch: &Chapter,
    package: String,
    extra: Option<&str>,
) -> Vec<cargo_test::Unit> {
    cargo_test::feature_sets(ch, extra)
        .into_iter()
        .map(|features| cargo_test::Unit {
            package: package.clone(),
            test: ch.name.clone(),
            features,
        })
        .collect()
}

fn stubs_and_solutions(
    v: &mut Verifier,
    root: &Path,
    ch: &Chapter,
    pipeline: &cargo_test::Pipeline,
) {
    let sol_pkg = ch.solution_package();
    let ex_pkg = ch.exercise_package();
    if !root.join(ch.solution_dir()).is_dir() {
        v.case(
            &ch.name,
            "has a solution",
            Outcome::Fail,
            format!("{} is missing", ch.solution_dir().display()),
        );
        return;
    }
    let sets = cargo_test::feature_sets(ch, None).len() as u64;
    let sol = cargo_test::run_chapter_prebuilt(pipeline, ch, &sol_pkg, None, &[]);
    v.bar.inc(sets);
    let stub = cargo_test::run_chapter_prebuilt(pipeline, ch, &ex_pkg, None, &[]);
    v.bar.inc(sets);
    v.pass_fail(
        &sol_pkg,
        "builds and runs its tests",
        sol.problem.is_none(),
        sol.problem.clone().unwrap_or_default(),
    );
    v.pass_fail(
        &ex_pkg,
        "builds and runs its tests",
        stub.problem.is_none(),
        stub.problem.clone().unwrap_or_default(),
    );
    for t in &sol.tests {
        let (o, msg) = match t.status {
            Status::Passed => (Outcome::Pass, String::new()),
            Status::Ignored => (Outcome::Skip, "ignored".to_string()),
            Status::Failed => (Outcome::Fail, t.message.clone()),
        };
        v.case(&sol_pkg, &format!("{} passes", t.name), o, msg);
    }
    if stub.problem.is_none() || !stub.tests.is_empty() {
        for t in &stub.tests {
            let (o, msg) = match t.status {
                Status::Failed => (Outcome::Pass, String::new()),
                Status::Ignored => (Outcome::Skip, "ignored".to_string()),
                Status::Passed => (
                    Outcome::Fail,
                    "DEFECT: this test passes on the untouched stub, so it cannot tell an unfinished \
                     exercise from a finished one. Make it check behaviour the stub does not have."
                        .to_string(),
                ),
            };
            v.case(&ex_pkg, &format!("{} fails on the stub", t.name), o, msg);
        }
    }
    same_names(v, ch, &sol, &stub);
}

fn same_names(v: &mut Verifier, ch: &Chapter, sol: &Run, stub: &Run) {
    let a: BTreeSet<&str> = sol.tests.iter().map(|t| t.name.as_str()).collect();
    let b: BTreeSet<&str> = stub.tests.iter().map(|t| t.name.as_str()).collect();
    let mut problems = Vec::new();
    for n in a.difference(&b) {
        problems.push(format!("only in the solution run: {n}"));
    }
    for n in b.difference(&a) {
        problems.push(format!("only in the stub run: {n}"));
    }
    v.pass_fail(
        &ch.name,
        "the stub and the solution have the same tests",
        problems.is_empty(),
        problems.join("\n"),
    );
    let mut naming = Vec::new();
    for ex in &ch.exercises {
        if !a.iter().any(|n| chapters::exercise_of(n) == ex.name) {
            naming.push(format!(
                "exercise {} has no test (tests must be named {}::...)",
                ex.name, ex.name
            ));
        }
    }
    for n in &a {
        if ch.exercise(chapters::exercise_of(n)).is_none() {
            naming.push(format!("test {n} names no exercise of chapter.toml"));
        }
    }
    v.pass_fail(
        &ch.name,
        "every exercise has tests, every test names an exercise",
        naming.is_empty(),
        naming.join("\n"),
    );
}

fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == ext))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn examples(v: &mut Verifier, root: &Path, ch: &Chapter) {
    let files = files_with_ext(&root.join(ch.exercise_dir()).join("examples"), "rs");
    if files.is_empty() {
        return;
    }
    let pkg = ch.exercise_package();
    let mut build = exec::cargo();
    crate::mpi::in_workspace(&mut build, root, &pkg);
    build.args([
        "build",
        "-p",
        &pkg,
        "--examples",
        "--color",
        "never",
        "--message-format",
        "json-render-diagnostics",
    ]);
    let mut built = exec::run(build, exec::CARGO_LIMIT);
    let programs = cargo_test::executables(&built.stdout, "example");
    built.stdout.clear(); // cargo's JSON
    if !built.success() {
        let msg = failure_text(&built, exec::CARGO_LIMIT);
        v.case(&ch.name, "the examples build", Outcome::Fail, msg);
        return;
    }
    for f in files {
        let name = f
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        let Some((_, exe)) = programs.iter().find(|(n, _)| *n == name) else {
            v.case(
                &ch.name,
                &format!("example {name}"),
                Outcome::Fail,
                format!("cargo built no example named `{name}` for {pkg}"),
            );
            continue;
        };
        // Run as `cargo run` would (from the root), without asking cargo
        // again for each example whether it is up to date.
        let mut cmd = Command::new(exe);
        cmd.current_dir(root);
        let out = exec::run(cmd, exec::PROGRAM_LIMIT);
        let msg = program_failure(&out);
        v.pass_fail(&ch.name, &format!("example {name}"), out.success(), msg);
    }
}

/// A chapter whose benchmark is a workspace of its own (the MPI
/// chapter's, which step 1's `cargo test --benches` does not reach): its
/// benchmarks compile and run once, in criterion's test mode.
fn own_bench(v: &mut Verifier, root: &Path, ch: &Chapter) {
    let Some((_, dir)) = crate::mpi::own_benches(root)
        .into_iter()
        .find(|(c, _)| *c == ch.name)
    else {
        return;
    };
    let mut cmd = exec::cargo();
    crate::mpi::bench_in(&mut cmd, root, &dir);
    cmd.args(["test", "--benches", "--color", "never"]);
    let out = exec::run(cmd, exec::CARGO_LIMIT);
    let msg = failure_text(&out, exec::CARGO_LIMIT);
    v.pass_fail(
        &ch.name,
        "the benchmarks compile and run once (cargo test --benches)",
        out.success(),
        msg,
    );
}

fn program_failure(out: &exec::Output) -> String {
    if out.success() {
        String::new()
    } else {
        format!(
            "{}\n{}",
            out.ending(exec::PROGRAM_LIMIT),
            last_lines(&(out.stdout.clone() + &out.stderr), 15)
        )
    }
}

fn python(v: &mut Verifier, root: &Path, ch: &Chapter) {
    let files = files_with_ext(&root.join(ch.exercise_dir()).join("python"), "py");
    if files.is_empty() {
        return;
    }
    let have_python = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    for f in files {
        let rel = f.strip_prefix(root).unwrap_or(&f).display().to_string();
        if !have_python {
            v.case(
                &ch.name,
                &rel,
                Outcome::Skip,
                "python3 is not installed here, so the Python files were not run",
            );
            continue;
        }
        let mut cmd = Command::new("python3");
        cmd.arg(&f).current_dir(f.parent().unwrap_or(root));
        let out = exec::run(cmd, exec::PROGRAM_LIMIT);
        let msg = program_failure(&out);
        v.pass_fail(&ch.name, &rel, out.success(), msg);
    }
}

fn book_step(v: &mut Verifier, root: &Path) {
    let includes = book::check_includes(root);
    let mut pages: Vec<PathBuf> = includes.iter().map(|(i, _)| i.page.clone()).collect();
    pages.dedup();
    for page in pages {
        let of_page: Vec<_> = includes.iter().filter(|(i, _)| i.page == page).collect();
        let problems: Vec<String> = of_page
            .iter()
            .filter_map(|(i, p)| p.as_ref().map(|p| format!("line {}: {p}", i.line)))
            .collect();
        let rel = page
            .strip_prefix(root)
            .unwrap_or(&page)
            .display()
            .to_string();
        let name = format!("{} include(s) resolve", of_page.len());
        v.pass_fail(&rel, &name, problems.is_empty(), problems.join("\n"));
    }
    // Measured, not claimed: every chapter with benchmarks shows them
    // through its generated results file, on its measured page.
    // (The machine's limits are not a chapter: their page is book/src/machine.md.)
    for chapter in crate::bench::bench_chapters(root) {
        let page = if chapter == "machine" {
            "book/src/machine.md".to_string()
        } else {
            format!("book/src/{chapter}/measured.md")
        };
        let wanted = format!("benches/results/{chapter}.md");
        let text = fs::read_to_string(root.join(&page)).unwrap_or_default();
        let shown = text
            .lines()
            .any(|l| l.trim_start().starts_with("{{#include") && l.contains(&wanted));
        v.pass_fail(
            &page,
            "includes the chapter's results table",
            shown,
            format!("{page} must include {wanted} (written by `cargo workbook bench {chapter}`)"),
        );
    }
    match book::build(root) {
        Ok(_) => v.case("book", "mdBook builds", Outcome::Pass, ""),
        Err(e) => v.case("book", "mdBook builds", Outcome::Fail, e),
    }
}

/// How long orphans we adopted get to finish on their own before the
/// final check counts them.
const ORPHAN_GRACE: std::time::Duration = std::time::Duration::from_secs(3);

/// Reaps, for up to `grace`, every child of ours that has exited. As a
/// subreaper we adopt orphans; one that exits by itself (Python's
/// `resource_tracker` does, right after its program ends) is ours to reap,
/// as init would. Returns what is still there after that.
fn reap_exited_orphans(me: i32, grace: std::time::Duration) -> Vec<procs::ProcInfo> {
    let deadline = std::time::Instant::now() + grace;
    loop {
        for c in procs::children(me) {
            if procs::info(c).is_some_and(|i| i.is_zombie()) {
                let _ = waitpid(Pid::from_raw(c), Some(WaitPidFlag::WNOHANG));
            }
        }
        let left: Vec<procs::ProcInfo> = procs::descendants(me)
            .into_iter()
            .filter_map(procs::info)
            .collect();
        if left.is_empty() || std::time::Instant::now() >= deadline {
            return left;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

fn leftovers(v: &mut Verifier, shm_before: &BTreeSet<String>) {
    let me = procs::own_pid();
    let left = reap_exited_orphans(me, ORPHAN_GRACE);
    // Kill and reap in rounds: killing a parent hands its children to us.
    for _ in 0..50 {
        let all = procs::descendants(me);
        if all.is_empty() {
            break;
        }
        for p in &all {
            let _ = kill(Pid::from_raw(*p), Signal::SIGKILL);
        }
        for c in procs::children(me) {
            let _ = waitpid(Pid::from_raw(c), Some(WaitPidFlag::empty()));
        }
    }
    let listed: Vec<String> = left.iter().map(|p| format!("- {}", p.describe())).collect();
    v.pass_fail(
        "processes",
        "no child or orphan is still running, and every zombie was reaped",
        left.is_empty(),
        format!(
            "left behind (now killed and reaped):\n{}",
            listed.join("\n")
        ),
    );
    let new: Vec<String> = shm_entries()
        .into_iter()
        .filter(|e| !shm_before.contains(e))
        .collect();
    let mut removed = Vec::new();
    for e in &new {
        let p = Path::new("/dev/shm").join(e);
        let r = if p.is_dir() {
            fs::remove_dir_all(&p)
        } else {
            fs::remove_file(&p)
        };
        removed.push(format!(
            "- /dev/shm/{e} ({})",
            if r.is_ok() {
                "removed"
            } else {
                "could not remove"
            }
        ));
    }
    v.pass_fail(
        "/dev/shm",
        "no new shared-memory object is left",
        new.is_empty(),
        format!(
            "left behind (shm_unlink was never called?):\n{}",
            removed.join("\n")
        ),
    );
}
