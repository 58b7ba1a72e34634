//! `mutants [chapter]`: mutation testing of the solution crates.
//!
//! For each chapter the runner calls `cargo mutants -p <chapter>-solution`
//! (cargo-mutants 27; `.cargo/mutants.toml` holds the argued exclusions),
//! reads the `mutants.out/outcomes.json` it leaves, and prints how many
//! mutants the tests caught and missed. The scores are kept in
//! `<target>/workbook/mutants.json`, where `verify`'s summary finds them.
//!
//! A mutant can turn a pid into -1, and `kill(-1, ..)` as root ends every
//! process on the machine. So the whole run happens inside a PID namespace
//! of its own: the runner starts itself again under
//! `unshare --pid --fork --mount-proc`, where it is process 1 and a stray
//! signal reaches only the run's own processes. Without namespaces it
//! refuses, unless `--unsafe-no-namespace` is given.
//!
//! cargo-mutants first runs the tests once on the unchanged tree (its
//! baseline), to check they pass and to set each mutant's time limit from
//! their time. Right after `cargo workbook verify` has passed, as in CI,
//! that run only repeats what verify did: `--skip-baseline` skips it and
//! gives every mutant's tests [`SKIPPED_BASELINE_TIMEOUT`] seconds instead.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::chapters::{self, Chapter};
use crate::report::Paint;
use crate::util::{fail, load_records, now_utc, record_file, save_record, target_dir};

/// Set on the runner started inside the PID namespace.
const IN_NAMESPACE: &str = "WORKBOOK_IN_PID_NAMESPACE";

/// Seconds a mutant's `cargo test` may take when there is no baseline to
/// set the limit from (cargo-mutants 27 would fall back to 300 s, with a
/// warning). Too short a limit is the danger: a mutant whose tests pass,
/// only slowly, would be cut off and counted as a timeout (as caught). A
/// test of ours may legitimately take up to its own limit, and the sandbox
/// stops it [`BACKSTOP_SECS`] after that at the latest; a whole solution's
/// `cargo test` otherwise takes under 10 s (the slowest, shared memory, 7 s
/// on 2 cores at a load of 11). A mutant that hangs is stopped by the
/// tests' own limits, so a generous limit here costs little: on
/// synchronization, the 6 mutants that the baseline's 20 s cut off as
/// timeouts failed their tests after about 20 s instead (caught, with the
/// tests' own messages), and the whole run took as long as with a baseline.
pub const SKIPPED_BASELINE_TIMEOUT: u32 = LARGEST_TEST_LIMIT_SECS + BACKSTOP_SECS + REST_SECS;

/// Test threads for each mutant's `cargo test` (`RUST_TEST_THREADS`, unless
/// the caller set it). A mutant that makes code hang leaves several tests
/// each waiting out its own limit (5 or 10 s) while asleep, using no CPU;
/// with libtest's default of one thread per core (2 here), those waits
/// queue behind one another past cargo-mutants' 20 s limit, and the mutant
/// counts as a timeout after 21 s. With 8 threads they overlap: measured
/// on the queues chapter's logging exercise, its 7 timeouts became caught
/// mutants (with the tests' own messages) after about 12 s each. Every
/// solution's tests pass with 8 threads, also with both cores kept busy
/// by other work (5 rounds each, before this was set).
const MUTANT_TEST_THREADS: &str = "8";

/// Every test's limit is halved for mutation testing, but not below 5 s
/// (support's `WORKBOOK_LIMIT_SCALE`, unless the caller set it). The
/// limits are generous for students' slow machines, and each mutant that
/// makes code hang costs the limits of the tests it hangs; the unchanged
/// solution's tests finish far inside them (cargo-mutants' baseline run
/// checks that, with the same setting, before any mutant is tried).
const MUTANT_LIMIT_SCALE: &str = "0.5";

/// cargo-mutants gives each mutant's tests 5 times the baseline's time
/// (`timeout_multiplier`), but at least 20 s by default. With 8 test
/// threads and halved limits, every solution's baseline takes 1 to 4 s,
/// and the tests a hanging mutant leaves waiting end within about 10 s
/// (the longest halved limit below 30 s is 10 s); a lower floor stops the
/// rest, hanging in the few tests with limits of 30 or 60 s, sooner. The
/// limit still grows with a slow machine's baseline.
const MUTANT_MINIMUM_TEST_TIMEOUT: &str = "12";

/// The largest `within N s` of any test (a unit test below checks it).
const LARGEST_TEST_LIMIT_SECS: u32 = 60;
/// The sandbox's extra time after a test's own limit (support's BACKSTOP).
const BACKSTOP_SECS: u32 = 10;
/// Room for the rest of a test binary beside its slowest test: twice the
/// slowest whole solution's `cargo test` as measured.
const REST_SECS: u32 = 20;

/// What one chapter's mutation run found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Score {
    pub caught: usize,
    pub missed: usize,
    pub unviable: usize,
    pub timeout: usize,
    /// Seconds the run took.
    pub seconds: f64,
    /// When it ran (UTC, `YYYY-MM-DD HH:MM`).
    pub when: String,
    /// The names cargo-mutants gives the missed mutants
    /// (`solutions/03-threads/src/ex1.rs:12:5: replace f -> u64 with 0`).
    pub missed_mutants: Vec<String>,
}

impl Score {
    /// Caught (a timeout counts as caught: the tests noticed the change by
    /// hanging) out of every mutant that built; `None` when none built.
    pub fn percent(&self) -> Option<f64> {
        let viable = self.caught + self.missed + self.timeout;
        (viable > 0).then(|| 100.0 * (self.caught + self.timeout) as f64 / viable as f64)
    }

    /// `93% (40 caught, 3 missed, 9 unviable, 0 timeouts)`.
    pub fn line(&self) -> String {
        let pct = self
            .percent()
            .map_or("no viable mutants".to_string(), |p| format!("{p:.0}%"));
        format!(
            "{pct} ({} caught, {} missed, {} unviable, {} timeouts)",
            self.caught, self.missed, self.unviable, self.timeout
        )
    }
}

/// Reads cargo-mutants' `outcomes.json` (checked against cargo-mutants
/// 27.0): every scenario but the baseline is one mutant,
/// `{"scenario": {"Mutant": {"name", "file", "span", ...}}, "summary": ...}`
/// with a `summary` of `CaughtMutant`, `MissedMutant`, `Unviable` or
/// `Timeout`.
pub fn parse_outcomes(text: &str) -> Result<Score, String> {
    let v: Value =
        serde_json::from_str(text).map_err(|e| format!("outcomes.json does not parse: {e}"))?;
    let outcomes = v
        .get("outcomes")
        .and_then(Value::as_array)
        .ok_or("outcomes.json has no `outcomes` list")?;
    let mut s = Score::default();
    for o in outcomes {
        let Some(mutant) = o.get("scenario").and_then(|sc| sc.get("Mutant")) else {
            continue; // the baseline
        };
        let summary = o.get("summary").and_then(Value::as_str).unwrap_or("");
        match summary {
            "CaughtMutant" => s.caught += 1,
            "Unviable" => s.unviable += 1,
            "Timeout" => s.timeout += 1,
            "MissedMutant" => {
                s.missed += 1;
                s.missed_mutants.push(mutant_name(mutant));
            }
            // cargo-mutants' own catch-alls for a mutant whose phases ended
            // oddly; neither caught nor missed.
            "Success" | "Failure" => s.unviable += 1,
            other => return Err(format!("outcomes.json: unknown mutant summary `{other}`")),
        }
    }
    Ok(s)
}

/// `file:line:col: replace ...`, from the fields cargo-mutants writes.
fn mutant_name(m: &Value) -> String {
    let text = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let name = text("name");
    let file = text("file");
    let line = m
        .get("span")
        .and_then(|s| s.get("start"))
        .and_then(|s| s.get("line"))
        .and_then(Value::as_u64);
    match line {
        Some(l) if !name.starts_with(&file) || !name.contains(&format!(":{l}:")) => {
            format!("{file}:{l}: {name}")
        }
        _ => name,
    }
}

/// `<target>/workbook/mutants.json`.
pub fn scores_file(root: &Path) -> PathBuf {
    record_file(root, "mutants.json")
}

/// The last recorded score of every chapter (empty if none was recorded).
pub fn load_scores(root: &Path) -> BTreeMap<String, Score> {
    load_records(&scores_file(root))
}

fn save_score(root: &Path, chapter: &str, score: &Score) -> Result<(), String> {
    save_record(&scores_file(root), chapter, score.clone())
}

/// Lines for `verify`'s summary: one per chapter, its last recorded score.
pub fn summary_lines(root: &Path, chapters: &[&Chapter]) -> Vec<String> {
    let scores = load_scores(root);
    chapters
        .iter()
        .map(|ch| match scores.get(&ch.name) {
            Some(s) => format!("{}: {} on {}", ch.name, s.line(), s.when),
            None => format!(
                "{}: not run yet: cargo workbook mutants {}",
                ch.name, ch.name
            ),
        })
        .collect()
}

pub fn cmd_mutants(root: &Path, args: &[String]) -> ExitCode {
    let unsafe_ok = args.iter().any(|a| a == "--unsafe-no-namespace");
    let in_place = args.iter().any(|a| a == "--in-place");
    let skip_baseline = args.iter().any(|a| a == "--skip-baseline");
    let flags = ["--unsafe-no-namespace", "--in-place", "--skip-baseline"];
    let rest: Vec<&String> = args
        .iter()
        .filter(|a| !flags.contains(&a.as_str()))
        .collect();
    if rest.len() > 1 || rest.first().is_some_and(|a| a.starts_with('-')) {
        return fail(
            "usage: cargo workbook mutants [CHAPTER] [--unsafe-no-namespace] [--in-place] \
             [--skip-baseline]",
        );
    }
    let all = match chapters::discover(root) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let chosen: Vec<&Chapter> = match rest.first() {
        None => all.iter().collect(),
        Some(name) => match all.iter().find(|c| &c.name == *name || &c.folder == *name) {
            Some(c) => vec![c],
            None => return fail(&format!("no chapter `{name}`")),
        },
    };
    if !root.join("solutions").is_dir() {
        return fail("mutation testing needs the reference solutions, and this copy has none");
    }
    if std::env::var_os(IN_NAMESPACE).is_none() && !unsafe_ok {
        return reexec_in_namespace(args);
    }
    if std::env::var_os(IN_NAMESPACE).is_some() {
        eprintln!(
            "mutants: running in a PID namespace of its own (this runner is pid {}): \
             a stray kill(-1) reaches only this run",
            std::process::id()
        );
    } else {
        eprintln!(
            "mutants: WARNING: --unsafe-no-namespace: a mutant that signals the wrong pid \
             can end every process you may signal"
        );
    }
    let installed = crate::exec::cargo()
        .args(["mutants", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !installed {
        return fail(
            "cargo-mutants is not installed; install it with `cargo install cargo-mutants --locked` \
             (about 3 minutes)",
        );
    }
    run_chapters(root, &chosen, in_place, skip_baseline)
}

/// Starts this very command again inside a new PID namespace and returns
/// its exit status.
fn reexec_in_namespace(args: &[String]) -> ExitCode {
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => return fail(&format!("cannot find the runner's own program: {e}")),
    };
    // /proc/self belongs to the effective user.
    let root_user = fs::metadata("/proc/self").is_ok_and(|m| {
        use std::os::unix::fs::MetadataExt;
        m.uid() == 0
    });
    // As root a PID namespace needs nothing more; otherwise a user namespace
    // (where we are root) comes first, if the kernel allows it.
    let mut ns: Vec<&str> = Vec::new();
    if !root_user {
        ns.extend(["--user", "--map-root-user"]);
    }
    ns.extend(["--pid", "--fork", "--mount-proc", "--kill-child"]);
    let works = Command::new("unshare")
        .args(&ns)
        .arg("true")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !works {
        return fail(&format!(
            "cannot make a PID namespace (`unshare {} true` failed{}).\n\
             Mutation testing runs the solutions with changed code, and a mutant that turns a \
             pid into -1 sends kill(-1): as root that ends every process on the machine.\n\
             Run it as root, or where unprivileged user namespaces are allowed; or, on a \
             machine you can afford to lose every process of, add --unsafe-no-namespace.",
            ns.join(" "),
            if Command::new("unshare").arg("--version").output().is_err() {
                ": unshare (util-linux) is not installed"
            } else {
                ""
            }
        ));
    }
    let status = Command::new("unshare")
        .args(&ns)
        .arg(exe)
        .arg("mutants")
        .args(args)
        .env(IN_NAMESPACE, "1")
        .status();
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(s) => ExitCode::from(s.code().map_or(1, |c| c.clamp(1, 255) as u8)),
        Err(e) => fail(&format!("could not start unshare: {e}")),
    }
}

fn run_chapters(root: &Path, chosen: &[&Chapter], in_place: bool, skip_baseline: bool) -> ExitCode {
    let paint = Paint::stdout();
    let mut bad = false;
    let mut results: Vec<(String, Result<Score, String>)> = Vec::new();
    for ch in chosen {
        println!(
            "\n{}",
            paint.bold(&format!(
                "== mutants: {} (cargo mutants -p {})",
                ch.name,
                ch.solution_package()
            ))
        );
        let r = run_one(root, ch, in_place, skip_baseline);
        match &r {
            Ok(score) => {
                if let Err(e) = save_score(root, &ch.name, score) {
                    eprintln!("mutants: {e}");
                }
                bad |= score.missed > 0;
            }
            Err(_) => bad = true,
        }
        print_chapter(&ch.name, &r, paint);
        results.push((ch.name.clone(), r));
    }
    println!("\n{}", paint.bold("Mutation scores"));
    for (name, r) in &results {
        match r {
            Ok(s) => println!("  {name}: {} in {:.0} s", s.line(), s.seconds),
            Err(e) => println!("  {name}: {}", paint.red(&format!("not measured: {e}"))),
        }
    }
    println!(
        "(score: (caught + timeouts) ÷ (caught + missed + timeouts); recorded in {})",
        scores_file(root).display()
    );
    if bad {
        println!(
            "{}",
            paint.red(
                "A missed mutant is code the tests do not check: kill it with a test, or argue \
                 it in .cargo/mutants.toml (a comment saying why it cannot matter)."
            )
        );
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn print_chapter(name: &str, r: &Result<Score, String>, paint: Paint) {
    match r {
        Ok(s) => {
            println!(
                "{name}: caught {} / missed {} / unviable {} / timeout {}; score {}; {:.0} s",
                s.caught,
                s.missed,
                s.unviable,
                s.timeout,
                s.percent().map_or("-".to_string(), |p| format!("{p:.0}%")),
                s.seconds
            );
            for m in &s.missed_mutants {
                println!("  {} {m}", paint.red("missed:"));
            }
        }
        Err(e) => println!("{name}: {}", paint.red(e)),
    }
}

/// Runs cargo-mutants on one chapter's solution, showing its progress, and
/// reads what it found.
fn run_one(
    root: &Path,
    ch: &Chapter,
    in_place: bool,
    skip_baseline: bool,
) -> Result<Score, String> {
    let out_dir = target_dir(root)
        .join("workbook")
        .join("mutants")
        .join(&ch.name);
    let _ = fs::remove_dir_all(&out_dir);
    fs::create_dir_all(&out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let started = Instant::now();
    // cargo-mutants copies the tree and builds each copy in its own target
    // folder; a shared CARGO_TARGET_DIR would make the copies fight over it.
    // In place, it builds in this tree's own target folder instead, which
    // the test suite has just built: no dependency is compiled again.
    let mut cmd = crate::exec::cargo();
    crate::mpi::in_workspace(&mut cmd, root, &ch.solution_package());
    // A chapter that is a workspace of its own (MPI) uses files outside its
    // folder (its tests, given.rs), which a copy of that folder would lack:
    // it is always mutated in place, in the root's target folder.
    let own = crate::mpi::own_workspace(root, &ch.solution_package()).is_some();
    if own {
        cmd.env("CARGO_TARGET_DIR", target_dir(root));
    } else {
        cmd.env_remove("CARGO_TARGET_DIR");
    }
    cmd.args(["mutants", "--package", &ch.solution_package(), "--output"])
        .arg(&out_dir);
    if in_place || own {
        cmd.arg("--in-place");
    }
    if std::env::var_os("RUST_TEST_THREADS").is_none() {
        cmd.env("RUST_TEST_THREADS", MUTANT_TEST_THREADS);
    }
    if std::env::var_os(support::sandbox::LIMIT_SCALE_VAR).is_none() {
        cmd.env(support::sandbox::LIMIT_SCALE_VAR, MUTANT_LIMIT_SCALE);
    }
    if skip_baseline {
        cmd.arg("--baseline=skip")
            .arg(format!("--timeout={SKIPPED_BASELINE_TIMEOUT}"));
    } else {
        cmd.arg(format!(
            "--minimum-test-timeout={MUTANT_MINIMUM_TEST_TIMEOUT}"
        ));
    }
    let status = cmd
        .status()
        .map_err(|e| format!("could not start cargo mutants: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let outcomes = out_dir.join("mutants.out").join("outcomes.json");
    let text = fs::read_to_string(&outcomes).map_err(|e| {
        format!(
            "cargo mutants ended with {status} and left no {}: {e}",
            outcomes.display()
        )
    })?;
    // 0: all caught, 2: some missed, 3: some timed out; 4 means the tests
    // fail on the unchanged solution, so no mutant says anything.
    match status.code() {
        Some(0 | 2 | 3) => {}
        Some(4) => {
            return Err(format!(
                "the tests fail on the unchanged solution (cargo mutants exit 4); see {}",
                out_dir.join("mutants.out").join("log").display()
            ));
        }
        _ => return Err(format!("cargo mutants ended with {status}")),
    }
    let mut score = parse_outcomes(&text)?;
    score.seconds = seconds;
    score.when = now_utc();
    Ok(score)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape cargo-mutants 27 writes (trimmed): a baseline, then one
    /// scenario per mutant.
    const OUTCOMES: &str = r#"{
      "outcomes": [
        {"scenario": "Baseline", "log_path": "log/baseline.log", "summary": "Success",
         "phase_results": []},
        {"scenario": {"Mutant": {"name": "solutions/03-threads/src/ex1_spawn.rs:10:5: replace sum -> u64 with 0",
          "package": "threads-solution", "file": "solutions/03-threads/src/ex1_spawn.rs",
          "span": {"start": {"line": 10, "column": 5}, "end": {"line": 10, "column": 9}},
          "replacement": "0", "genre": "FnValue"}},
         "log_path": "log/a.log", "summary": "CaughtMutant", "phase_results": []},
        {"scenario": {"Mutant": {"name": "solutions/03-threads/src/ex2.rs:7:9: replace < with <= in split",
          "package": "threads-solution", "file": "solutions/03-threads/src/ex2.rs",
          "span": {"start": {"line": 7, "column": 9}, "end": {"line": 7, "column": 10}},
          "replacement": "<=", "genre": "BinaryOperator"}},
         "log_path": "log/b.log", "summary": "MissedMutant", "phase_results": []},
        {"scenario": {"Mutant": {"name": "x", "file": "f.rs"}}, "summary": "Unviable"},
        {"scenario": {"Mutant": {"name": "y", "file": "f.rs"}}, "summary": "Timeout"}
      ],
      "total_mutants": 4, "missed": 1, "caught": 1, "timeout": 1, "unviable": 1,
      "success": 0, "failure": 0
    }"#;

    #[test]
    fn reads_cargo_mutants_outcomes() {
        let s = parse_outcomes(OUTCOMES).unwrap();
        assert_eq!((s.caught, s.missed, s.unviable, s.timeout), (1, 1, 1, 1));
        assert_eq!(
            s.missed_mutants,
            ["solutions/03-threads/src/ex2.rs:7:9: replace < with <= in split"]
        );
        assert_eq!(s.percent(), Some(100.0 * 2.0 / 3.0));
        assert!(
            s.line().starts_with("67% (1 caught, 1 missed"),
            "{}",
            s.line()
        );
    }

    #[test]
    fn a_name_without_its_line_gets_one() {
        let m: Value = serde_json::from_str(
            r#"{"name": "replace f with 0", "file": "src/a.rs", "span": {"start": {"line": 3}}}"#,
        )
        .unwrap();
        assert_eq!(mutant_name(&m), "src/a.rs:3: replace f with 0");
    }

    #[test]
    fn bad_outcomes_are_errors_not_panics() {
        assert!(parse_outcomes("").is_err());
        assert!(parse_outcomes("{}").is_err());
        assert!(
            parse_outcomes(r#"{"outcomes": [{"scenario": {"Mutant": {}}, "summary": "Odd"}]}"#)
                .is_err()
        );
        let none = parse_outcomes(r#"{"outcomes": []}"#).unwrap();
        assert_eq!(none.percent(), None);
        assert!(none.line().starts_with("no viable mutants"));
    }

    /// `SKIPPED_BASELINE_TIMEOUT` leaves room for the slowest test's own
    /// limit.
    #[test]
    fn the_fixed_timeout_outlasts_every_tests_own_limit() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let mut largest = 5;
        for ch in fs::read_dir(root.join("exercises")).unwrap().flatten() {
            let rust = |p: &Path| p.extension().is_some_and(|e| e == "rs");
            for file in crate::util::files_under(&ch.path().join("tests"), &rust) {
                let text = fs::read_to_string(&file).unwrap_or_default();
                for rest in text.split(") within ").skip(1) {
                    if let Some(n) = rest.split(' ').next().and_then(|n| n.parse::<u32>().ok()) {
                        largest = largest.max(n);
                    }
                }
            }
        }
        assert!(largest >= 20, "the scan found no `within N s` limits");
        assert!(
            largest <= LARGEST_TEST_LIMIT_SECS,
            "a test has `within {largest} s`: raise LARGEST_TEST_LIMIT_SECS to {largest}, so \
             that a mutant's tests get time to pass slowly"
        );
    }

    #[test]
    fn scores_round_trip_through_their_file() {
        let s = Score {
            caught: 3,
            missed: 1,
            missed_mutants: vec!["m".into()],
            when: "2026-01-01 00:00 UTC".into(),
            ..Score::default()
        };
        let text =
            serde_json::to_string(&BTreeMap::from([("threads".to_string(), s.clone())])).unwrap();
        let back: BTreeMap<String, Score> = serde_json::from_str(&text).unwrap();
        assert_eq!(back["threads"], s);
    }
}
