//! Running `cargo test` on a chapter's crate and reading libtest's output.
//!
//! The parsing is pure (text in, results out) and tested on fixture text.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, mpsc};

use crate::chapters::Chapter;
use crate::exec;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Passed,
    Failed,
    Ignored,
}

/// One test's result; `message` is its failure text (empty if it passed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestResult {
    pub name: String,
    pub status: Status,
    pub message: String,
}

/// The results of running a chapter's tests on one crate.
#[derive(Debug, Clone, Default)]
pub struct Run {
    /// Sorted by name.
    pub tests: Vec<TestResult>,
    /// Why the tests could not (all) run: a compile error, a timeout, a
    /// crashed test binary. `None` when every test ran.
    pub problem: Option<String>,
}

impl Run {
    pub fn get(&self, name: &str) -> Option<&TestResult> {
        self.tests.iter().find(|t| t.name == name)
    }
    pub fn failed(&self) -> usize {
        self.tests
            .iter()
            .filter(|t| t.status == Status::Failed)
            .count()
    }
    pub fn ok(&self) -> bool {
        self.problem.is_none() && self.failed() == 0
    }
}

/// Reads the `test <name> ... ok|FAILED|ignored` lines.
pub fn parse_test_lines(stdout: &str) -> Vec<(String, Status)> {
    stdout
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("test ")?;
            let (name, result) = rest.rsplit_once(" ... ")?;
            let result = result.trim();
            let status = if result == "ok" {
                Status::Passed
            } else if result == "FAILED" {
                Status::Failed
            } else if result.starts_with("ignored") {
                Status::Ignored
            } else {
                return None;
            };
            Some((name.trim().to_string(), status))
        })
        .collect()
}

/// Reads the failure sections: `---- <name> stdout ----` up to the next
/// `---- ` line or `failures:`.
pub fn parse_failures(stdout: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut current: Option<(String, Vec<&str>)> = None;
    for line in stdout.lines() {
        let header = line
            .strip_prefix("---- ")
            .and_then(|r| r.strip_suffix(" ----"))
            .and_then(|r| {
                r.strip_suffix(" stdout")
                    .or_else(|| r.strip_suffix(" stderr"))
            });
        let ends = line.starts_with("---- ") || line.trim_end() == "failures:";
        if ends {
            if let Some((name, lines)) = current.take() {
                out.insert(name, tidy_message(&lines));
            }
        }
        if let Some(name) = header {
            current = Some((name.to_string(), Vec::new()));
        } else if let Some((_, lines)) = current.as_mut() {
            lines.push(line);
        }
    }
    if let Some((name, lines)) = current {
        out.insert(name, tidy_message(&lines));
    }
    out
}

fn tidy_message(lines: &[&str]) -> String {
    let kept: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !l.starts_with("note: run with `RUST_BACKTRACE=1`"))
        .collect();
    kept.join("\n").trim().to_string()
}

/// Test lines and failure messages together, sorted by name.
pub fn parse(stdout: &str) -> Vec<TestResult> {
    let failures = parse_failures(stdout);
    let mut tests: Vec<TestResult> = parse_test_lines(stdout)
        .into_iter()
        .map(|(name, status)| {
            let message = if status == Status::Failed {
                failures
                    .get(&name)
                    .cloned()
                    .filter(|m| !m.is_empty())
                    .unwrap_or_else(|| "(the test failed without a message)".to_string())
            } else {
                String::new()
            };
            TestResult {
                name,
                status,
                message,
            }
        })
        .collect();
    tests.sort_by(|a, b| a.name.cmp(&b.name));
    tests
}

/// The compiler's first error, from cargo's stderr: the first `error` line
/// and what follows it, up to the next diagnostic (at most 25 lines).
pub fn first_compile_error(stderr: &str) -> Option<String> {
    let lines: Vec<&str> = stderr.lines().collect();
    // cargo's own summary lines ("error: test failed, to rerun ...",
    // "error: 2 targets failed:") are not compiler errors.
    let start = lines.iter().position(|l| {
        (l.starts_with("error[") || l.starts_with("error:"))
            && !l.starts_with("error: test failed")
            && !l.contains("targets failed")
            && !l.contains("target failed")
    })?;
    let mut block = vec![lines[start]];
    for l in &lines[start + 1..] {
        let next_diag =
            l.starts_with("error") || l.starts_with("warning") || l.starts_with("   Compiling");
        if next_diag || block.len() >= 25 {
            break;
        }
        block.push(l);
    }
    Some(block.join("\n").trim_end().to_string())
}

/// Turns one `cargo test` run's output into a [`Run`].
pub fn interpret(out: &exec::Output, limit_desc: &str) -> Run {
    let tests = parse(&out.stdout);
    let problem = if let Some(e) = &out.spawn_error {
        Some(format!("could not start cargo: {e}"))
    } else if out.timed_out {
        Some(format!(
            "cargo test did not finish within {limit_desc} and was stopped."
        ))
    } else if out.stderr.contains("error: could not compile")
        || (!out.success() && tests.is_empty())
    {
        let first = first_compile_error(&out.stderr).unwrap_or_else(|| tail(&out.stderr, 20));
        Some(format!(
            "The code does not compile (or the tests could not start):\n{first}"
        ))
    } else if !out.success() && !tests.iter().any(|t| t.status == Status::Failed) {
        Some(format!(
            "cargo test failed, but no test reported a failure (did a test binary crash?):\n{}",
            tail(&out.stderr, 20)
        ))
    } else {
        None
    };
    Run { tests, problem }
}

fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Merges the runs of several builds by test name (a test normally exists
/// in one build only; if it is in several, a failure wins).
pub fn merge(runs: Vec<Run>) -> Run {
    let mut by_name: BTreeMap<String, TestResult> = BTreeMap::new();
    let mut problems = Vec::new();
    for run in runs {
        if let Some(p) = run.problem {
            problems.push(p);
        }
        for t in run.tests {
            match by_name.get(&t.name) {
                Some(old) if old.status == Status::Failed => {}
                _ => {
                    by_name.insert(t.name.clone(), t);
                }
            }
        }
    }
    Run {
        tests: by_name.into_values().collect(),
        problem: if problems.is_empty() {
            None
        } else {
            Some(problems.join("\n\n"))
        },
    }
}

/// The feature sets a chapter's tests are built with: none, then each of
/// `feature_runs`; `extra` (a mistake's feature) is added to every one.
pub fn feature_sets(chapter: &Chapter, extra: Option<&str>) -> Vec<Vec<String>> {
    let mut sets = vec![Vec::new()];
    sets.extend(chapter.feature_runs.iter().cloned());
    if let Some(x) = extra {
        for s in &mut sets {
            s.insert(0, x.to_string());
        }
    }
    sets
}

/// The arguments of one `cargo test` run.
pub fn cargo_args(
    package: &str,
    test_target: &str,
    features: &[String],
    filter: Option<&str>,
) -> Vec<String> {
    let mut args: Vec<String> = [
        "test",
        "-p",
        package,
        "--test",
        test_target,
        "--no-fail-fast",
        "--color",
        "never",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if !features.is_empty() {
        args.push("--features".into());
        args.push(features.join(" "));
    }
    if let Some(f) = filter {
        args.push("--".into());
        args.push(f.to_string());
    }
    args
}

/// Runs the chapter's tests on `package` once per feature set and merges
/// the results.
pub fn run_chapter(
    root: &Path,
    chapter: &Chapter,
    package: &str,
    extra: Option<&str>,
    filter: Option<&str>,
) -> Run {
    run_chapter_with(chapter, extra, |features| {
        let mut cmd = exec::cargo();
        crate::mpi::in_workspace(&mut cmd, root, package);
        cmd.args(cargo_args(package, &chapter.name, features, filter));
        exec::run(cmd, exec::CARGO_LIMIT)
    })
}

/// Like [`run_chapter`], with the test binaries built ahead by `pipeline`
/// (which must have been given the same package and feature sets, in the
/// same order).
///
/// With `only` non-empty, just those tests run (full names, matched
/// exactly): a mistake is judged by the tests that must catch it, so the
/// others need not run.
pub fn run_chapter_prebuilt(
    pipeline: &Pipeline,
    chapter: &Chapter,
    package: &str,
    extra: Option<&str>,
    only: &[String],
) -> Run {
    run_chapter_with(chapter, extra, |features| {
        let unit = Unit {
            package: package.to_string(),
            test: chapter.name.clone(),
            features: features.to_vec(),
        };
        pipeline.next(&unit).run(only)
    })
}

fn run_chapter_with(
    chapter: &Chapter,
    extra: Option<&str>,
    mut run_one: impl FnMut(&[String]) -> exec::Output,
) -> Run {
    let runs = feature_sets(chapter, extra)
        .into_iter()
        .map(|features| {
            let out = run_one(&features);
            (features, interpret(&out, "20 minutes"))
        })
        .collect::<Vec<_>>();
    // The same compile error in every build is reported once.
    let mut seen: Vec<String> = Vec::new();
    let runs = runs
        .into_iter()
        .map(|(features, mut run)| {
            if let Some(p) = run.problem.take() {
                if !seen.contains(&p) {
                    seen.push(p.clone());
                    run.problem = Some(if features.is_empty() {
                        p
                    } else {
                        format!("(with --features \"{}\") {p}", features.join(" "))
                    });
                }
            }
            run
        })
        .collect();
    merge(runs)
}

/// One build of a chapter's tests: a package with a feature set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub package: String,
    /// The test target (the chapter's name).
    pub test: String,
    pub features: Vec<String>,
}

/// A unit built by `cargo test --no-run`: the test binary, or why there is
/// none.
#[derive(Debug)]
pub struct Built {
    pub unit: Unit,
    /// The test binary and its package's folder (cargo runs tests there).
    exe: Option<(PathBuf, PathBuf)>,
    /// cargo's output (its stderr holds any compile error).
    build: exec::Output,
}

/// Builds one unit's test binary without running it.
pub fn build_unit(root: &Path, unit: &Unit) -> Built {
    let mut cmd = exec::cargo();
    crate::mpi::in_workspace(&mut cmd, root, &unit.package);
    cmd.args(cargo_args(&unit.package, &unit.test, &unit.features, None))
        .args(["--no-run", "--message-format", "json-render-diagnostics"]);
    let mut build = exec::run(cmd, exec::CARGO_LIMIT);
    let exe = test_executable(&build.stdout, &unit.test);
    build.stdout.clear(); // cargo's JSON, not libtest's output
    if exe.is_none() && build.success() {
        build.code = Some(1);
        build.stderr.push_str(&format!(
            "error: cargo built no test binary named `{}` for {}",
            unit.test, unit.package
        ));
    }
    Built {
        unit: unit.clone(),
        exe,
        build,
    }
}

/// The test binary (and its package folder) that cargo's JSON messages
/// name for the test target `test`.
pub fn test_executable(json_lines: &str, test: &str) -> Option<(PathBuf, PathBuf)> {
    artifacts(json_lines, "test").find_map(|(name, exe, dir)| (name == test).then_some((exe, dir)))
}

/// Every executable of targets of `kind` (`"example"`) that cargo's JSON
/// messages name, with its target's name.
pub fn executables(json_lines: &str, kind: &str) -> Vec<(String, PathBuf)> {
    artifacts(json_lines, kind)
        .map(|(name, exe, _)| (name, exe))
        .collect()
}

/// (target name, executable, package folder) of each built executable of
/// targets of `kind`.
fn artifacts<'a>(
    json_lines: &'a str,
    kind: &'a str,
) -> impl Iterator<Item = (String, PathBuf, PathBuf)> + 'a {
    json_lines.lines().filter_map(move |line| {
        let v: serde_json::Value = serde_json::from_str(line).ok()?;
        if v.get("reason")?.as_str()? != "compiler-artifact" {
            return None;
        }
        let target = v.get("target")?;
        let of_kind = target
            .get("kind")?
            .as_array()?
            .iter()
            .any(|k| k.as_str() == Some(kind));
        if !of_kind {
            return None;
        }
        let name = target.get("name")?.as_str()?.to_string();
        let exe = PathBuf::from(v.get("executable")?.as_str()?);
        let dir = Path::new(v.get("manifest_path")?.as_str()?)
            .parent()?
            .to_path_buf();
        Some((name, exe, dir))
    })
}

impl Built {
    /// Runs the built tests as `cargo test` would (in the package's folder,
    /// under the same time limit); a failed build is returned as it is.
    pub fn run(&self, only: &[String]) -> exec::Output {
        let Some((exe, dir)) = &self.exe else {
            return self.build.clone();
        };
        let mut cmd = std::process::Command::new(exe);
        cmd.current_dir(dir)
            .env("CARGO_MANIFEST_DIR", dir)
            .args(["--color", "never"]);
        if !only.is_empty() {
            cmd.args(only).arg("--exact");
        }
        let mut out = exec::run(cmd, exec::CARGO_LIMIT);
        if !out.success() {
            out.stderr.push_str(&format!(
                "\nthe test binary {} ended: {}\n",
                exe.display(),
                out.ending(exec::CARGO_LIMIT)
            ));
        }
        out.stderr = format!("{}{}", self.build.stderr, out.stderr);
        out
    }
}

/// Builds test binaries ahead of their use, one or two units ahead, on a
/// thread of its own: while the tests of one build run, cargo compiles the
/// next (a build takes the cargo lock; running a test binary directly
/// does not).
pub struct Pipeline {
    rx: Mutex<mpsc::Receiver<Built>>,
}

impl Pipeline {
    pub fn start(root: &Path, units: Vec<Unit>) -> Pipeline {
        let (tx, rx) = mpsc::sync_channel(1);
        let root = root.to_path_buf();
        std::thread::spawn(move || {
            for u in units {
                if tx.send(build_unit(&root, &u)).is_err() {
                    break;
                }
            }
        });
        Pipeline { rx: Mutex::new(rx) }
    }

    /// The next built unit, which must be `expected` (the order is fixed
    /// when the pipeline starts).
    pub fn next(&self, expected: &Unit) -> Built {
        let got = self
            .rx
            .lock()
            .ok()
            .and_then(|rx| rx.recv().ok())
            .expect("the build pipeline ended early");
        assert_eq!(
            &got.unit, expected,
            "the build pipeline's order differs from its use"
        );
        got
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSING: &str = "\
running 3 tests
test ex1_start::child_has_own_pid ... ok
test ex2_wait::reaps_child ... ok
test ex2_wait::slow_one ... ignored, needs a big machine

test result: ok. 2 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.05s
";

    const FAILING: &str = "\
running 3 tests
test ex1_start::child_has_own_pid ... ok
test ex2_wait::reaps_child ... FAILED
test ex2_wait::exit_code ... FAILED

failures:

---- ex2_wait::reaps_child stdout ----
--- what the test printed ---
hello from the child
--- end of output ---

Every check passed, but the code left 1 child process(es) behind:
  - pid 42 (processes-123), a zombie: it exited but nobody waited for it

---- ex2_wait::exit_code stdout ----
Not done yet: the `todo!()` at exercises/01-processes/src/ex2_wait.rs:10 is still in place.
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace


failures:
    ex2_wait::exit_code
    ex2_wait::reaps_child

test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.31s
";

    #[test]
    fn reads_test_lines() {
        let lines = parse_test_lines(PASSING);
        assert_eq!(
            lines,
            vec![
                ("ex1_start::child_has_own_pid".to_string(), Status::Passed),
                ("ex2_wait::reaps_child".to_string(), Status::Passed),
                ("ex2_wait::slow_one".to_string(), Status::Ignored),
            ]
        );
        assert!(parse(PASSING).iter().all(|t| t.message.is_empty()));
    }

    #[test]
    fn reads_failure_messages() {
        let tests = parse(FAILING);
        assert_eq!(tests.len(), 3);
        let reap = tests
            .iter()
            .find(|t| t.name == "ex2_wait::reaps_child")
            .unwrap();
        assert_eq!(reap.status, Status::Failed);
        assert!(reap.message.starts_with("--- what the test printed ---"));
        assert!(
            reap.message.ends_with("nobody waited for it"),
            "{}",
            reap.message
        );
        let code = tests
            .iter()
            .find(|t| t.name == "ex2_wait::exit_code")
            .unwrap();
        assert_eq!(
            code.message,
            "Not done yet: the `todo!()` at exercises/01-processes/src/ex2_wait.rs:10 is still in place."
        );
        let ok = tests
            .iter()
            .find(|t| t.name == "ex1_start::child_has_own_pid")
            .unwrap();
        assert_eq!(ok.status, Status::Passed);
    }

    #[test]
    fn finds_the_first_compile_error() {
        let stderr = "\
   Compiling processes-exercise v0.1.0 (/w/exercises/01-processes)
warning: unused variable: `x`
 --> src/ex1.rs:3:9
error[E0308]: mismatched types
 --> exercises/01-processes/src/ex1_start.rs:12:5
  |
12 |     5
  |     ^ expected `Pid`, found integer

error: could not compile `processes-exercise` (lib) due to 1 previous error
";
        let e = first_compile_error(stderr).unwrap();
        assert!(e.starts_with("error[E0308]: mismatched types"));
        assert!(e.contains("expected `Pid`"));
        assert!(!e.contains("could not compile"));
        let out = exec::Output {
            code: Some(101),
            stderr: stderr.to_string(),
            ..Default::default()
        };
        let run = interpret(&out, "20 minutes");
        assert!(run.problem.unwrap().contains("error[E0308]"));
    }

    #[test]
    fn a_failing_run_with_failed_tests_is_not_a_problem() {
        let out = exec::Output {
            code: Some(101),
            stdout: FAILING.to_string(),
            stderr: "error: test failed, to rerun pass `--test processes`".into(),
            ..Default::default()
        };
        let run = interpret(&out, "x");
        assert!(run.problem.is_none());
        assert_eq!(run.failed(), 2);
        let crashed = exec::Output {
            code: Some(101),
            stdout: PASSING.to_string(),
            stderr: "process didn't exit successfully (signal: 11, SIGSEGV)".into(),
            ..Default::default()
        };
        assert!(
            interpret(&crashed, "x")
                .problem
                .unwrap()
                .contains("SIGSEGV")
        );
    }

    #[test]
    fn merges_builds_by_name() {
        let a = Run {
            tests: parse(PASSING),
            problem: None,
        };
        let b = Run {
            tests: vec![TestResult {
                name: "ex3_model::only_here".into(),
                status: Status::Failed,
                message: "m".into(),
            }],
            problem: None,
        };
        let m = merge(vec![a, b]);
        assert_eq!(m.tests.len(), 4);
        assert_eq!(m.failed(), 1);
        assert!(m.get("ex3_model::only_here").is_some());
    }

    #[test]
    fn builds_cargo_arguments_per_feature_set() {
        let ch = crate::chapters::parse_manifest(
            "name = \"sync\"\ntitle = \"S\"\nbook = \"sync/index.md\"\nfeature_runs = [[\"model\"]]\n",
            "04-sync",
        )
        .unwrap();
        let sets = feature_sets(&ch, Some("mistake-x"));
        assert_eq!(
            sets,
            vec![
                vec!["mistake-x".to_string()],
                vec!["mistake-x".into(), "model".into()]
            ]
        );
        let args = cargo_args("sync-solution", "sync", &sets[1], Some("ex1::"));
        assert_eq!(
            args.join(" "),
            "test -p sync-solution --test sync --no-fail-fast --color never --features mistake-x model -- ex1::"
        );
        assert_eq!(
            feature_sets(&ch, None),
            vec![Vec::<String>::new(), vec!["model".to_string()]]
        );
    }

    #[test]
    fn finds_the_test_binary_in_cargos_messages() {
        let lines = concat!(
            r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"threads"},"executable":null,"manifest_path":"/w/solutions/03-threads/Cargo.toml"}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"kind":["test"],"name":"threads"},"executable":"/t/debug/deps/threads-abc","manifest_path":"/w/solutions/03-threads/Cargo.toml"}"#,
            "\n",
            r#"{"reason":"build-finished","success":true}"#,
            "\n"
        );
        assert_eq!(
            test_executable(lines, "threads"),
            Some((
                PathBuf::from("/t/debug/deps/threads-abc"),
                PathBuf::from("/w/solutions/03-threads")
            ))
        );
        assert_eq!(test_executable(lines, "pipes"), None);
        let example = concat!(
            r#"{"reason":"compiler-artifact","target":{"kind":["example"],"name":"daemon"},"executable":"/t/debug/examples/daemon","manifest_path":"/w/exercises/01-processes/Cargo.toml"}"#,
            "\n"
        );
        assert_eq!(
            executables(example, "example"),
            [(
                "daemon".to_string(),
                PathBuf::from("/t/debug/examples/daemon")
            )]
        );
        assert!(executables(lines, "example").is_empty());
        assert_eq!(test_executable("not json\n", "threads"), None);
    }
}
