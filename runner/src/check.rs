//! `check` (run tests and explain the results), progress (no arguments)
//! and `lab results`.

use std::path::Path;
use std::process::ExitCode;

use crate::cargo_test::{self, Run, Status};
use crate::chapters::{self, Chapter, Selection};
use crate::report::{self, Case, Format, Outcome, Paint};

/// A chapter's tests run on one crate, and which exercise was asked for.
pub struct Checked<'a> {
    pub chapter: &'a Chapter,
    pub exercise: Option<String>,
    pub run: Run,
}

/// How one exercise stands.
pub struct ExerciseState<'a> {
    pub name: &'a str,
    pub passed: usize,
    pub total: usize,
}

impl ExerciseState<'_> {
    pub fn done(&self) -> bool {
        self.total > 0 && self.passed == self.total
    }
}

impl<'a> Checked<'a> {
    /// The exercises this run covers, in manifest order, with their counts.
    pub fn exercises(&self) -> Vec<ExerciseState<'a>> {
        self.chapter
            .exercises
            .iter()
            .filter(|e| self.exercise.as_ref().is_none_or(|x| *x == e.name))
            .map(|e| {
                let tests = self.tests_of(&e.name);
                ExerciseState {
                    name: &e.name,
                    passed: tests.iter().filter(|t| t.status == Status::Passed).count(),
                    total: tests.iter().filter(|t| t.status != Status::Ignored).count(),
                }
            })
            .collect()
    }

    fn tests_of(&self, exercise: &str) -> Vec<&cargo_test::TestResult> {
        self.run
            .tests
            .iter()
            .filter(|t| chapters::exercise_of(&t.name) == exercise)
            .collect()
    }

    /// Tests whose name names no exercise of the manifest.
    fn stray_tests(&self) -> Vec<&cargo_test::TestResult> {
        self.run
            .tests
            .iter()
            .filter(|t| {
                self.chapter
                    .exercise(chapters::exercise_of(&t.name))
                    .is_none()
            })
            .collect()
    }

    /// One case per test (and one for a build that failed).
    pub fn cases(&self) -> Vec<Case> {
        let mut cases = Vec::new();
        if let Some(p) = &self.run.problem {
            cases.push(Case {
                suite: self.chapter.name.clone(),
                group: "(build)".into(),
                name: "compiles and runs".into(),
                outcome: Outcome::Fail,
                message: p.clone(),
            });
        }
        for t in &self.run.tests {
            let (group, name) = t.name.split_once("::").unwrap_or(("(other)", &t.name));
            cases.push(Case {
                suite: self.chapter.name.clone(),
                group: group.to_string(),
                name: name.to_string(),
                outcome: match t.status {
                    Status::Passed => Outcome::Pass,
                    Status::Failed => Outcome::Fail,
                    Status::Ignored => Outcome::Skip,
                },
                message: t.message.clone(),
            });
        }
        cases
    }
}

/// Runs the selected tests on the student's crates (or the solutions).
pub fn run_selection<'a>(
    root: &Path,
    chapters: &'a [Chapter],
    sel: &[Selection],
    solution: bool,
) -> Vec<Checked<'a>> {
    build_once_with_progress(root, chapters, sel, solution);
    sel.iter()
        .map(|s| {
            let ch = &chapters[s.chapter];
            let pkg = if solution {
                ch.solution_package()
            } else {
                ch.exercise_package()
            };
            eprintln!(
                "checking {}{} (cargo test -p {pkg}) ...",
                ch.name,
                s.exercise
                    .as_ref()
                    .map(|e| format!("::{e}"))
                    .unwrap_or_default()
            );
            Checked {
                chapter: ch,
                exercise: s.exercise.clone(),
                run: cargo_test::run_chapter(root, ch, &pkg, None, s.filter().as_deref()),
            }
        })
        .collect()
}

/// On the first check in a fresh clone, builds the selected crates' tests
/// with cargo's own progress shown (the runs that follow capture cargo's
/// output to explain it, and would be silent for minutes).
fn build_once_with_progress(root: &Path, chapters: &[Chapter], sel: &[Selection], solution: bool) {
    // A chapter that is a workspace of its own (MPI, see mpi.rs) is built
    // by its first run instead.
    let sel: Vec<&Selection> = sel
        .iter()
        .filter(|s| {
            crate::mpi::own_workspace(root, &chapters[s.chapter].exercise_package()).is_none()
        })
        .collect();
    let marker = crate::util::target_dir(root)
        .join("workbook")
        .join(if solution {
            "solutions-built"
        } else {
            "exercises-built"
        });
    if marker.exists() || sel.is_empty() {
        return;
    }
    eprintln!(
        "First check in this folder: cargo builds the exercises and what they use. \
         This takes a few minutes, once; later checks take seconds."
    );
    let mut cmd = crate::exec::cargo();
    cmd.current_dir(root).args(["test", "--no-run", "--tests"]);
    for s in sel {
        let ch = &chapters[s.chapter];
        cmd.arg("-p").arg(if solution {
            ch.solution_package()
        } else {
            ch.exercise_package()
        });
    }
    // stderr is the terminal: cargo shows its progress bar there.
    let built = cmd
        .stdout(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if built {
        if let Some(dir) = marker.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = std::fs::write(&marker, "");
    }
}

/// The readable report of one chapter's run.
pub fn print_text(c: &Checked, paint: Paint) {
    let ch = c.chapter;
    println!("\n{}", paint.bold(&format!("{} — {}", ch.name, ch.title)));
    if let Some(p) = &c.run.problem {
        println!(
            "  {} {}",
            paint.red("✘"),
            paint.red("the tests could not run:")
        );
        println!("{}", report::indent(p, 6));
        if c.run.tests.is_empty() {
            return;
        }
    }
    for ex in c.exercises() {
        let title = ch.exercise(ex.name).map(|e| e.title.as_str()).unwrap_or("");
        let mark = if ex.done() {
            paint.green("✔")
        } else {
            paint.red("✘")
        };
        let count = if ex.total == 0 {
            paint.yellow("no tests found")
        } else {
            format!("{}/{} passed", ex.passed, ex.total)
        };
        println!("  {mark} {} — {title} ({count})", ex.name);
        for t in c.tests_of(ex.name) {
            print_test(t, paint, &ch.name);
        }
    }
    let stray = c.stray_tests();
    if !stray.is_empty() && c.exercise.is_none() {
        println!("  other tests:");
        for t in stray {
            print_test(t, paint, &ch.name);
        }
    }
}

fn print_test(t: &cargo_test::TestResult, paint: Paint, chapter: &str) {
    let short = t.name.split_once("::").map_or(t.name.as_str(), |(_, n)| n);
    match t.status {
        Status::Passed => println!("      {} {short}", paint.green("✔")),
        Status::Ignored => println!("      {} {short} (ignored)", paint.yellow("-")),
        Status::Failed => {
            println!("      {} {short}", paint.red("✘"));
            let message = name_the_exercise(&t.message, chapter, chapters::exercise_of(&t.name));
            println!("{}", report::indent(&message, 10));
        }
    }
}

/// A failure message's `cargo workbook hint <exercise>` with the exercise
/// filled in, so the student can type it as it is.
pub fn name_the_exercise(message: &str, chapter: &str, exercise: &str) -> String {
    message.replace(
        "cargo workbook hint <exercise>",
        &format!("cargo workbook hint {chapter}::{exercise}"),
    )
}

/// Parses `[--format F]` out of `args`, returning the rest.
pub fn take_format(args: &[String]) -> Result<(Format, Vec<String>), String> {
    let mut format = Format::Text;
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--format" {
            let v = it
                .next()
                .ok_or("--format needs a value: text, json or junit")?;
            format = Format::parse(v)?;
        } else if let Some(v) = a.strip_prefix("--format=") {
            format = Format::parse(v)?;
        } else {
            rest.push(a.clone());
        }
    }
    Ok((format, rest))
}

/// Prints the results in `format`; returns whether everything passed.
pub fn output(checked: &[Checked], format: Format) -> bool {
    let cases: Vec<Case> = checked.iter().flat_map(|c| c.cases()).collect();
    let ok = checked.iter().all(|c| c.run.ok()) && !cases.is_empty();
    match format {
        Format::Json => println!("{}", report::json(&cases, report::TEST_KEYS, Outcome::word)),
        Format::Junit => print!("{}", report::junit(&cases, "workbook")),
        Format::Text => {
            let paint = Paint::stdout();
            for c in checked {
                print_text(c, paint);
            }
            println!();
            if cases.is_empty() {
                println!(
                    "{}",
                    paint.yellow("No tests ran: does the filter match any test?")
                );
            } else if ok {
                println!(
                    "{}",
                    paint.green(&format!("All good: {}.", report::tally(&cases)))
                );
            } else {
                println!("{}", paint.red(&report::tally(&cases)));
                // Name the first exercise that failed, as the command to type.
                let first_failed = cases
                    .iter()
                    .find(|c| c.outcome == Outcome::Fail && !c.group.starts_with('('));
                // A build problem is no exercise's test: name the exercise
                // the student is on instead.
                let exercise = first_failed
                    .map(|c| format!("{}::{}", c.suite, c.group))
                    .or_else(|| {
                        checked.iter().find_map(|c| {
                            c.exercise
                                .as_ref()
                                .map(|e| format!("{}::{e}", c.chapter.name))
                        })
                    })
                    .or_else(|| next_unfinished(checked).map(|(ch, e)| format!("{}::{e}", ch.name)))
                    .unwrap_or_else(|| "<exercise>".to_string());
                println!("Stuck? `cargo workbook hint {exercise}` shows a hint.");
            }
        }
    }
    ok
}

/// `cargo workbook check [what] [--solution] [--format F]`.
pub fn cmd_check(root: &Path, args: &[String]) -> ExitCode {
    let (format, rest) = match take_format(args) {
        Ok(x) => x,
        Err(e) => return crate::util::fail(&e),
    };
    let solution = rest.iter().any(|a| a == "--solution");
    let words: Vec<&String> = rest.iter().filter(|a| *a != "--solution").collect();
    if let Some(flag) = words.iter().find(|w| w.starts_with('-')) {
        return crate::util::fail(&format!(
            "unknown option `{flag}` (see `cargo workbook help check`)"
        ));
    }
    if words.len() > 1 {
        return crate::util::fail("check takes at most one chapter or exercise");
    }
    let chapters = match chapters::discover(root) {
        Ok(c) => c,
        Err(e) => return crate::util::fail(&e),
    };
    let sel = match chapters::select(&chapters, words.first().map(|s| s.as_str())) {
        Ok(s) => s,
        Err(e) => return crate::util::fail(&e),
    };
    if sel.is_empty() {
        return crate::util::fail("no chapters found (no exercises/*/chapter.toml)");
    }
    if solution {
        if let Some(s) = sel
            .iter()
            .find(|s| !root.join(chapters[s.chapter].solution_dir()).is_dir())
        {
            return crate::util::fail(&format!(
                "the solutions are not in this copy of the workbook ({} is missing); \
                 `--solution` works in the teacher's copy only.",
                chapters[s.chapter].solution_dir().display()
            ));
        }
    }
    let checked = run_selection(root, &chapters, &sel, solution);
    if output(&checked, format) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `cargo workbook lab results [--format F]`: every chapter, for autograding.
pub fn cmd_lab_results(root: &Path, args: &[String]) -> ExitCode {
    let (format, rest) = match take_format(args) {
        Ok(x) => x,
        Err(e) => return crate::util::fail(&e),
    };
    if let Some(w) = rest.first() {
        return crate::util::fail(&format!(
            "unexpected `{w}`: lab results takes only --format"
        ));
    }
    let chapters = match chapters::discover(root) {
        Ok(c) => c,
        Err(e) => return crate::util::fail(&e),
    };
    let sel = chapters::select(&chapters, None).unwrap_or_default();
    let checked = run_selection(root, &chapters, &sel, false);
    if output(&checked, format) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The first exercise (in chapter order) with a failing or missing test.
pub fn next_unfinished<'a>(checked: &'a [Checked<'a>]) -> Option<(&'a Chapter, &'a str)> {
    checked.iter().find_map(|c| {
        if c.run.problem.is_some() && c.run.tests.is_empty() {
            return c
                .chapter
                .exercises
                .first()
                .map(|e| (c.chapter, e.name.as_str()));
        }
        c.exercises()
            .into_iter()
            .find(|e| !e.done())
            .map(|e| (c.chapter, e.name))
    })
}

/// No arguments: progress per chapter, the next exercise, then the book.
pub fn cmd_progress(root: &Path) -> ExitCode {
    let chapters = match chapters::discover(root) {
        Ok(c) => c,
        Err(e) => return crate::util::fail(&e),
    };
    if chapters.is_empty() {
        return crate::util::fail("no chapters found (no exercises/*/chapter.toml)");
    }
    let sel = chapters::select(&chapters, None).unwrap_or_default();
    let checked = run_selection(root, &chapters, &sel, false);
    let paint = Paint::stdout();
    println!("\n{}", paint.bold("Your progress"));
    let width = chapters.iter().map(|c| c.name.len()).max().unwrap_or(0);
    for c in &checked {
        let ex = c.exercises();
        let done = ex.iter().filter(|e| e.done()).count();
        let note = if c.run.problem.is_some() {
            paint.red("  (does not compile: see `cargo workbook check ")
                + &paint.red(&format!("{}`)", c.chapter.name))
        } else {
            String::new()
        };
        println!(
            "  {:width$}  {} {done}/{} exercises{note}",
            c.chapter.name,
            report::bar(done, ex.len(), 20),
            ex.len()
        );
    }
    println!();
    match next_unfinished(&checked) {
        None => println!("{}", paint.green("Every exercise is done. Well done!")),
        Some((ch, ex_name)) => {
            let ex = ch
                .exercise(ex_name)
                .expect("the exercise is in its chapter");
            println!("{} {} — {}", paint.bold("Next:"), ex.name, ex.title);
            println!("  edit   {}", ch.exercise_file(ex).display());
            println!(
                "  read   book/src/{}  (in the built book: book/html/{})",
                ch.exercises_page(),
                ch.exercises_page().replace(".md", ".html")
            );
            println!("  check  cargo workbook check {}::{}", ch.name, ex.name);
            println!("  hint   cargo workbook hint {}::{}", ch.name, ex.name);
            println!("  watch  cargo workbook watch   (re-checks whenever you save)");
        }
    }
    println!();
    eprintln!("building the book (the first time takes a minute) ...");
    crate::book::build_and_tell(root);
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hint_command_names_the_exercise() {
        let m = "Not done yet (`cargo workbook hint <exercise>` gives hints).";
        assert_eq!(
            name_the_exercise(m, "threads", "ex2_panics"),
            "Not done yet (`cargo workbook hint threads::ex2_panics` gives hints)."
        );
    }
}
