//! `cargo workbook bench <chapter> [--quick] [-- <criterion args>]`: run a
//! chapter's benchmarks and its Python counterpart, and write
//! `benches/results/<chapter>.{json,md}`. `cargo workbook bench` alone lists
//! the chapters that have a bench target.
//!
//! # Conventions every chapter's benchmarks follow
//!
//! * **Workloads** live in `benches/src/<chapter>.rs` (lib `workloads`), as
//!   plain public functions with unit tests that check their answers, so a
//!   benchmark never measures wrong code. A benchmark that forks follows the
//!   fork rule of the tests: the child only computes, writes to a raw fd and
//!   calls `libc::_exit` (criterion, like libtest, runs extra threads).
//! * **The bench target** is `benches/benches/<chapter>.rs` (criterion,
//!   `harness = false`, declared in `benches/Cargo.toml`).
//! * **Group names start with `"<chapter>: "`** (e.g. `"processes: count
//!   primes"`). This is how the runner finds a chapter's results among all of
//!   `target/criterion/**/new/benchmark.json` (its `group_id`).
//! * **`serial` is the baseline.** In a group, the function named `serial` is
//!   what speedups are computed against: speedup = the `serial` median with
//!   the same parameter (or else with parameter `1`, or else with none) ÷ the
//!   median of the row. Use the parameter for the number of workers
//!   (`BenchmarkId::new("threads", 4)`), so the table reads as a scaling
//!   curve. Groups without a `serial` function get no speedup column.
//! * **A bandwidth row is a ceiling.** In a group with a function whose name
//!   contains `bandwidth` (a streaming read: the fastest the machine reads
//!   memory), every row with the same throughput setting also gets its
//!   share of the fastest such row, as a percentage: for jobs that mostly
//!   read memory, that share says more than a speedup.
//! * **The parameter's column** is headed "Workers" when every parameter is
//!   a whole number. A parameter that is something else names itself as
//!   `name=value` (`BenchmarkId::new("pool", "chunksize=25")`: heading
//!   "Chunksize", cells `25`), or the benchmark's or group's name says it:
//!   one containing `chunksize` gives "Chunksize", `batch` "Batch size",
//!   `size` "Size"; anything else is headed "Parameter".
//! * **The Python counterpart** is `benches/python/<chapter>.py`: it runs
//!   standalone in under a minute, needs no network, and prints ONE JSON
//!   object to stdout: `{"python": "<version>", "results": [{"group": "...",
//!   "name": "...", "value": <float>, "unit": "s", "note": "..."}]}` (or
//!   `"unit": "fraction"` for a share from 0 to 1, shown as a percentage). Use the
//!   same group names as the Rust bench; the row named `serial` is the
//!   baseline of its group, as above. Anything else goes to stderr.
//! * **Results** are written to `benches/results/<chapter>.json` (for
//!   machines: machine, toolchain, every result with its median and 95%
//!   confidence interval in ns, speedups, the Python results) and
//!   `benches/results/<chapter>.md` (for the book: a line about the machine,
//!   one table per group, the Python table, and how to regenerate it). Only
//!   results written by this run are reported, so a renamed or deleted
//!   benchmark never shows up with stale numbers.
//! * **The book** includes the table with
//!   `{{#include ../../../benches/results/<chapter>.md}}` in
//!   `book/src/<chapter>/measured.md`, and explains the shape of the numbers
//!   without quoting any that the table does not show.
//! * `--quick` shortens warm-up, measurement and sample size, for labs where
//!   the class has minutes, not hours; the numbers are rougher.
//! * **A quiet machine.** The bench is built first; then, before measuring,
//!   `bench` watches the kernel's CPU counters for 5 s and waits (up to 5
//!   minutes, saying so) until other programs keep the CPUs less than 10 %
//!   busy, and refuses if they do not; `--force` measures anyway, and the
//!   page then carries a warning. (The load average lags a minute behind, so
//!   it would count a chapter's own previous run against the next; it is
//!   recorded, before and after, and decides only where the counters are
//!   missing.) The page says how the numbers were taken.
//!
//! # Files
//!
//! This file: the command, its options, and one run. `criterion.rs` reads
//! criterion's output; `python.rs` runs and reads the Python side;
//! `machine.rs` describes the machine and waits for it to be quiet;
//! `page.rs` writes the results page.

use std::fs;
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::SystemTime;

mod criterion;
mod machine;
mod page;
mod python;

use criterion::*;
use machine::*;
use page::*;
use python::*;

/// Criterion arguments that `--quick` adds.
const QUICK_ARGS: &[&str] = &[
    "--warm-up-time",
    "0.5",
    "--measurement-time",
    "2",
    "--sample-size",
    "10",
];

/// The name of the baseline function (Rust) or row (Python) of a group.
const BASELINE: &str = "serial";

/// Entry point of the `bench` subcommand; `args` are the words after `bench`.
pub fn run(root: &Path, args: &[String]) -> ExitCode {
    // Tolerate being handed the subcommand's own name as well.
    let args = match args.first() {
        Some(first) if first == "bench" => &args[1..],
        _ => args,
    };
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let opts = match parse_args(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("bench: {e}\n\n{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    let chapters = bench_chapters(root);
    let Some(chapter) = opts.chapter.clone() else {
        list_chapters(root, &chapters);
        return ExitCode::SUCCESS;
    };
    if !chapters.contains(&chapter) {
        eprintln!(
            "bench: no bench target for chapter `{chapter}` (looked for benches/benches/{chapter}.rs).\n\
             Chapters with benchmarks: {}",
            chapters.join(", ")
        );
        return ExitCode::FAILURE;
    }
    let outcome = if opts.render_only {
        render_saved(root, &chapter)
    } else {
        run_chapter(root, &chapter, &opts)
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage: cargo workbook bench [<chapter> [--quick] [--force] [-- <criterion args>]]\n\
    \x20      cargo workbook bench <chapter> --render\n\
    With no chapter, lists the chapters that have benchmarks.\n\
    --render rewrites benches/results/<chapter>.md from the saved .json, measuring nothing.\n\
    When other programs keep the CPUs over 10 % busy it waits up to\n\
    5 minutes for quiet, then refuses; --force measures anyway, with a warning on the page.";

#[derive(Debug, Default, PartialEq)]
struct Options {
    chapter: Option<String>,
    quick: bool,
    /// Rewrite the .md from the saved .json without measuring again (after
    /// a change to the page's format).
    render_only: bool,
    /// Measure even on a busy machine (the page then says so).
    force: bool,
    criterion_args: Vec<String>,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut opts = Options::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--quick" => opts.quick = true,
            "--render" => opts.render_only = true,
            "--force" => opts.force = true,
            "--" => {
                opts.criterion_args = iter.by_ref().cloned().collect();
            }
            a if a.starts_with('-') => return Err(format!("unknown option `{a}`")),
            a if opts.chapter.is_none() => opts.chapter = Some(a.to_string()),
            a => return Err(format!("one chapter at a time (got `{a}` as well)")),
        }
    }
    if opts.chapter.is_none() && (opts.quick || !opts.criterion_args.is_empty()) {
        return Err("name a chapter to benchmark".into());
    }
    Ok(opts)
}

/// The chapters with a bench target: the stems of `benches/benches/*.rs`,
/// and the benchmarks that are workspaces of their own (`benches/mpi/`,
/// see `crate::mpi::own_benches`).
pub(crate) fn bench_chapters(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(root.join("benches/benches"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            name.strip_suffix(".rs").map(str::to_string)
        })
        .collect();
    names.extend(crate::mpi::own_benches(root).into_iter().map(|(c, _)| c));
    names.sort();
    names
}

fn list_chapters(root: &Path, chapters: &[String]) {
    println!("Chapters with benchmarks (run one with `cargo workbook bench <chapter>`):");
    for c in chapters {
        let python = if root.join(format!("benches/python/{c}.py")).exists() {
            "+ Python"
        } else {
            "        "
        };
        let results = if root.join(format!("benches/results/{c}.md")).exists() {
            format!("results in benches/results/{c}.md")
        } else {
            "not measured yet".to_string()
        };
        println!("  {c:<16} {python}  {results}");
    }
}

fn run_chapter(root: &Path, chapter: &str, opts: &Options) -> Result<(), String> {
    let mut notes = Vec::new();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // A benchmark that is a workspace of its own (the MPI chapter's) is
    // built and run there, and only where Open MPI is installed.
    let own = crate::mpi::own_benches(root)
        .into_iter()
        .find(|(c, _)| c == chapter)
        .map(|(_, dir)| dir);
    let package = if own.is_some() {
        let missing = crate::mpi::missing();
        if !missing.is_empty() {
            eprintln!(
                "note: the benchmark `{chapter}` needs Open MPI, and {} here, so it is left \
                 out.\n      {}",
                missing.join(", "),
                crate::mpi::INSTALL
            );
            return Ok(());
        }
        format!("workbook-benches-{chapter}")
    } else {
        "workbook-benches".to_string()
    };
    let place = |cmd: &mut Command| match &own {
        Some(dir) => crate::mpi::bench_in(cmd, root, dir),
        None => {
            cmd.current_dir(root);
        }
    };

    // 0. Build first: compiling is not measuring, and it would make the
    // machine look busy to the quiet check that follows.
    let mut build = Command::new(&cargo);
    place(&mut build);
    build.args(["bench", "--no-run", "-p", &package, "--bench", chapter]);
    eprintln!("bench: building {build:?}");
    let built = build
        .status()
        .map_err(|e| format!("could not run cargo bench --no-run: {e}"))?;
    if !built.success() {
        return Err(format!("the bench did not build ({built})"));
    }
    let quiet = wait_for_quiet(opts.force)?;
    let started = SystemTime::now();

    // 1. The criterion bench.
    let mut cmd = Command::new(cargo);
    place(&mut cmd);
    cmd.args(["bench", "-p", &package, "--bench", chapter, "--"]);
    if opts.quick {
        cmd.args(QUICK_ARGS);
        notes.push("Measured with `--quick` (short runs): rougher numbers.".to_string());
    }
    cmd.args(&opts.criterion_args);
    if !opts.criterion_args.is_empty() {
        notes.push(format!(
            "Run with criterion arguments `{}`: only the benchmarks they select are shown.",
            opts.criterion_args.join(" ")
        ));
    }
    eprintln!("bench: running {cmd:?}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not run cargo bench: {e}"))?;
    if !status.success() {
        return Err(format!("cargo bench failed ({status})"));
    }

    // 2. The Python counterpart, if there is one.
    let script = root.join(format!("benches/python/{chapter}.py"));
    let python = if script.exists() {
        eprintln!("bench: running python3 {}", script.display());
        // Its output is read at the end; until then a spinner (on a
        // terminal only) shows it is still running.
        let spinner = indicatif::ProgressBar::new_spinner();
        spinner.set_message("the Python side runs (up to a minute) ...");
        spinner.enable_steady_tick(std::time::Duration::from_millis(200));
        let ran = run_python(root, &script, "python3");
        spinner.finish_and_clear();
        match ran {
            Ok(report) => Some(report),
            Err(e) => {
                eprintln!("bench: {e}");
                notes.push(format!("Python results missing: {e}."));
                None
            }
        }
    } else {
        None
    };

    // 3. Collect what this run wrote.
    let criterion_dir = crate::util::target_dir(root).join("criterion");
    let mut results = collect_criterion(&criterion_dir, chapter, Some(started))?;
    if results.is_empty() {
        return Err(format!(
            "no results for groups named \"{chapter}: ...\" were written to {} by this run.\n\
             Do the bench's group names start with \"{chapter}: \"?",
            criterion_dir.display()
        ));
    }
    sort_results(&mut results);
    compute_speedups(&mut results);
    let mut python = python;
    if let Some(p) = python.as_mut() {
        compute_python_speedups(&mut p.results);
    }

    // 4. Write the results.
    let mut machine = Machine::detect(python.as_ref().map(|p| p.python.clone()), quiet);
    machine.load_after = load_average();
    let report = Report {
        chapter: chapter.to_string(),
        machine,
        quick: opts.quick,
        results,
        python,
        notes,
    };
    let dir = root.join("benches/results");
    fs::create_dir_all(&dir).map_err(|e| format!("could not create {}: {e}", dir.display()))?;
    let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n";
    let path = dir.join(format!("{chapter}.json"));
    fs::write(&path, json).map_err(|e| format!("could not write {}: {e}", path.display()))?;
    eprintln!("bench: wrote {}", path.display());
    write_markdown(root, &report)
}

/// `--render`: the page again from the saved measurement.
fn render_saved(root: &Path, chapter: &str) -> Result<(), String> {
    let path = root.join(format!("benches/results/{chapter}.json"));
    let text = fs::read_to_string(&path).map_err(|e| {
        format!(
            "could not read {} ({e}): run `cargo workbook bench {chapter}` first",
            path.display()
        )
    })?;
    let report: Report = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not a saved measurement: {e}", path.display()))?;
    write_markdown(root, &report)
}

fn write_markdown(root: &Path, report: &Report) -> Result<(), String> {
    let md = render_markdown(report);
    let path = root.join(format!("benches/results/{}.md", report.chapter));
    fs::write(&path, &md).map_err(|e| format!("could not write {}: {e}", path.display()))?;
    eprintln!("bench: wrote {}", path.display());
    println!("{md}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_sort_by_the_number_they_stand_for() {
        assert!(param_value("4 KiB") < param_value("16 KiB"));
        assert!(param_value("1024 KiB") < param_value("2 MiB"));
        assert!(param_value("2") < param_value("10"));
        assert_eq!(param_value("many"), f64::MAX);
    }

    #[test]
    fn throughput_is_shown_per_second() {
        let bytes = serde_json::json!({"Bytes": 1024 * 1024 * 1024});
        assert_eq!(
            fmt_throughput(Some(&bytes), 500e6).as_deref(),
            Some("2.00 GiB/s")
        );
        let elements = serde_json::json!({"Elements": 1_000_000});
        assert_eq!(
            fmt_throughput(Some(&elements), 1e9).as_deref(),
            Some("1.00 M/s")
        );
        assert_eq!(fmt_throughput(None, 1.0), None);
    }

    const BENCHMARK: &str = r#"{"group_id":"processes: count primes","function_id":"threads",
        "value_str":"2","throughput":{"Elements":1500000},"full_id":"processes: count primes/threads/2",
        "directory_name":"processes_ count primes/threads/2","title":"processes: count primes/threads/2"}"#;

    fn estimates(median_ns: f64) -> String {
        let est = |v: f64| {
            format!(
                r#"{{"confidence_interval":{{"confidence_level":0.95,"lower_bound":{},"upper_bound":{}}},
                "point_estimate":{v},"standard_error":1.0}}"#,
                v * 0.9,
                v * 1.1
            )
        };
        format!(
            r#"{{"mean":{m},"median":{m},"median_abs_dev":{m},"slope":null,"std_dev":{m}}}"#,
            m = est(median_ns)
        )
    }

    fn measured(group: &str, function: &str, param: Option<&str>, median_ns: f64) -> Measured {
        Measured {
            group: group.into(),
            function: function.into(),
            parameter: param.map(str::to_string),
            median_ns,
            ci_lower_ns: median_ns * 0.9,
            ci_upper_ns: median_ns * 1.1,
            confidence_level: 0.95,
            throughput: None,
            speedup_vs_serial: None,
        }
    }

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    support::isolated_tests! {
        /// A criterion result is read from its two JSON files.
        fn parses_criterion_fixture() {
            let m = parse_criterion(BENCHMARK, &estimates(80e6)).expect("the fixture parses");
            assert_eq!(m.group, "processes: count primes");
            assert_eq!(m.function, "threads");
            assert_eq!(m.parameter.as_deref(), Some("2"));
            assert_eq!(m.median_ns, 80e6);
            assert!((m.ci_lower_ns - 72e6).abs() < 1.0 && (m.ci_upper_ns - 88e6).abs() < 1.0);
            assert_eq!(m.confidence_level, 0.95);
            assert_eq!(m.throughput, Some(serde_json::json!({"Elements": 1_500_000})));
        }

        /// Garbled or incomplete files are errors, not panics.
        fn rejects_garbled_criterion_files() {
            assert!(parse_criterion("{", &estimates(1.0)).is_err());
            assert!(parse_criterion(BENCHMARK, r#"{"mean":{}}"#).is_err());
            assert!(parse_criterion(BENCHMARK, &estimates(0.0)).is_err());
        }

        /// Only the chapter's groups, and only files written by this run.
        fn collects_only_this_chapters_fresh_results() {
            let dir = std::env::temp_dir().join(format!("workbook-bench-test-{}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            let write = |sub: &str, bench: &str| {
                let new = dir.join(sub).join("new");
                fs::create_dir_all(&new).unwrap();
                fs::write(new.join("benchmark.json"), bench).unwrap();
                fs::write(new.join("estimates.json"), estimates(5e6)).unwrap();
                // The previous run, which must be ignored.
                let base = dir.join(sub).join("base");
                fs::create_dir_all(&base).unwrap();
                fs::write(base.join("benchmark.json"), bench).unwrap();
                fs::write(base.join("estimates.json"), estimates(9e6)).unwrap();
            };
            write("processes_ count primes/threads/2", BENCHMARK);
            write(
                "pipes_ round trip/pipe",
                r#"{"group_id":"pipes: round trip","function_id":"pipe","value_str":null,"throughput":null}"#,
            );
            write(
                "processesx/other",
                r#"{"group_id":"processesx","function_id":null,"value_str":null,"throughput":null}"#,
            );
            let found = collect_criterion(&dir, "processes", None).unwrap();
            assert_eq!(found.len(), 1, "only the processes group, only new/: {found:?}");
            assert_eq!(found[0].median_ns, 5e6, "read from new/, not base/");

            let later = SystemTime::now() + std::time::Duration::from_secs(3600);
            let stale = collect_criterion(&dir, "processes", Some(later)).unwrap();
            assert!(stale.is_empty(), "results older than the run are skipped: {stale:?}");
            fs::remove_dir_all(&dir).unwrap();
        }

        /// Speedup = serial time / this time; the 1-worker serial run is the
        /// baseline of every worker count; groups without serial get none.
        fn computes_speedups_against_serial() {
            let g = "processes: count primes";
            let mut rs = vec![
                measured(g, "threads", Some("2"), 50.0),
                measured(g, "processes", Some("2"), 40.0),
                measured(g, "serial", Some("1"), 100.0),
                measured(g, "threads", Some("1"), 125.0),
                measured("processes: start and finish", "fork + waitpid", None, 9.0),
                measured("processes: start and finish", "thread spawn + join", None, 3.0),
            ];
            sort_results(&mut rs);
            compute_speedups(&mut rs);
            let order: Vec<(&str, Option<&str>)> =
                rs.iter().map(|m| (m.function.as_str(), m.parameter.as_deref())).collect();
            assert_eq!(
                order,
                [
                    ("serial", Some("1")),
                    ("threads", Some("1")),
                    ("processes", Some("2")),
                    ("threads", Some("2")),
                    ("thread spawn + join", None),
                    ("fork + waitpid", None),
                ]
            );
            let speedups: Vec<Option<f64>> = rs.iter().map(|m| m.speedup_vs_serial).collect();
            assert_eq!(speedups, [Some(1.0), Some(0.8), Some(2.5), Some(2.0), None, None]);
        }

        /// The Python JSON is parsed, checked, and gets speedups too.
        fn parses_python_output() {
            let text = r#"{"python": "3.11.7", "results": [
                {"group": "processes: count primes", "name": "serial", "value": 0.9, "unit": "s", "note": "n = 400000"},
                {"group": "processes: count primes", "name": "Pool(2) processes", "value": 0.5, "unit": "s", "note": ""},
                {"group": "processes: start and finish", "name": "Process start + join (spawn)", "value": 0.07, "unit": "s"}
            ]}"#;
            let mut p = parse_python(text).expect("the fixture parses");
            compute_python_speedups(&mut p.results);
            assert_eq!(p.python, "3.11.7");
            assert_eq!(p.results[0].speedup_vs_serial, Some(1.0));
            assert_eq!(p.results[1].speedup_vs_serial, Some(1.8));
            assert_eq!(p.results[2].speedup_vs_serial, None);
            assert!(parse_python("not json").is_err());
            assert!(parse_python(r#"{"python": "3", "results": [{"group": "g", "name": "n", "value": 1, "unit": "ms"}]}"#).is_err());
            assert!(parse_python(r#"{"python": "3", "results": [{"group": "g", "name": "n", "value": 0.42, "unit": "fraction"}]}"#).is_ok());
            assert!(parse_python(r#"{"python": "3", "results": [{"group": "g", "name": "n", "value": 1.5, "unit": "fraction"}]}"#).is_err());
            assert!(parse_python(r#"{"python": "3", "results": [{"group": "g", "name": "n", "value": -1, "unit": "s"}]}"#).is_err());
        }

        /// The markdown has the machine line, a table per group with the
        /// speedup column only where there is a serial, the Python table and
        /// the regenerate line.
        fn renders_markdown_tables() {
            let g = "processes: count primes";
            let mut results = vec![
                measured(g, "serial", Some("1"), 150e6),
                measured(g, "threads", Some("2"), 75e6),
                measured("processes: start and finish", "thread spawn + join", None, 25e3),
                measured("processes: start and finish", "a | b", None, 1e6),
            ];
            compute_speedups(&mut results);
            let mut python = parse_python(
                r#"{"python": "3.11.7", "results": [{"group": "processes: start and finish",
                   "name": "Process start + join (spawn)", "value": 0.0665, "unit": "s", "note": "median of 10"}]}"#,
            )
            .unwrap();
            compute_python_speedups(&mut python.results);
            let report = Report {
                chapter: "processes".into(),
                machine: Machine {
                    cpu: "Test CPU".into(),
                    cores: 2,
                    memory_gib: 23.4,
                    kernel: "Linux 6.1".into(),
                    rustc: "rustc 1.95.0".into(),
                    python: Some("3.11.7".into()),
                    load_average: Some(0.25),
                    load_after: Some(1.5),
                    cpu_busy_before: None,
                    date: "2026-05-01".into(),
                },
                quick: false,
                results,
                python: Some(python),
                notes: vec![],
            };
            let md = render_markdown(&report);
            assert!(!md.contains("busy machine"), "a quiet run gets no warning:\n{md}");
            let mut busy = report.clone();
            busy.machine.load_average = Some(1.8);
            assert!(
                render_markdown(&busy).contains("> **Measured on a busy machine**: when the run began, the load average was 1.80 (quiet is below 0.50) on 2 cores"),
                "{}",
                render_markdown(&busy)
            );
            for expected in [
                "*Measured on Test CPU, 2 cores, 23.4 GiB RAM, Linux 6.1, rustc 1.95.0, Python 3.11.7, on 2026-05-01. Load average: 0.25 when the run began, 1.50 when it ended.*",
                "*How the numbers were taken: each Rust row is criterion's median",
                "#### Rust — processes: count primes",
                "| Benchmark | Workers | Speedup vs serial | Median | 95% CI of the median |",
                "| serial | 1 | 1.00× | 150 ms | 135 ms – 165 ms |",
                "| threads | 2 | 2.00× | 75.0 ms | 67.5 ms – 82.5 ms |",
                "| Benchmark | Median | 95% CI of the median |\n",
                "| thread spawn + join | 25.0 µs | 22.5 µs – 27.5 µs |",
                "| a \\| b | 1.00 ms | 900 µs – 1.10 ms |",
                // No Python row has a `serial` to compare with: no speedup column.
                "| processes: start and finish | Process start + join (spawn) | 66.5 ms | median of 10 |",
                "Regenerate with `cargo workbook bench processes`.",
            ] {
                assert!(md.contains(expected), "expected the markdown to contain\n{expected}\ngot:\n{md}");
            }
            // `bench --render` reads the saved JSON back: the same page again.
            let saved = serde_json::to_string(&report).expect("serialize");
            let back: Report = serde_json::from_str(&saved).expect("read back");
            assert_eq!(render_markdown(&back), md);
        }

        /// A group with a bandwidth row gets a column: each row's share of
        /// the fastest bandwidth row (same amount of data) as a percentage.
        fn renders_shares_of_the_bandwidth() {
            let g = "array-sum: sum of 10^7 u64";
            let bytes = Some(serde_json::json!({"Bytes": 80_000_000}));
            let mut results = vec![
                measured(g, "serial", Some("1"), 10e6),
                measured(g, "memory bandwidth (streaming read)", Some("1"), 10e6),
                measured(g, "memory bandwidth (streaming read)", Some("2"), 8e6),
                measured(g, "processes", Some("2"), 16e6),
                measured(g, "no throughput", Some("2"), 16e6),
            ];
            for r in &mut results[..4] {
                r.throughput = bytes.clone();
            }
            compute_speedups(&mut results);
            let rows: Vec<&Measured> = results.iter().collect();
            let shares = bandwidth_shares(&rows).expect("a bandwidth row");
            assert_eq!(shares, [Some(0.8), Some(0.8), Some(1.0), Some(0.5), None]);
            let none: Vec<&Measured> = results.iter().filter(|x| x.function == "serial").collect();
            assert_eq!(bandwidth_shares(&none), None);
        }

        /// A missing interpreter is a clear note, not a failure of the run.
        fn missing_python_is_reported() {
            let err = run_python(Path::new("."), Path::new("x.py"), "python3-not-installed-here")
                .unwrap_err();
            assert!(err.contains("not installed"), "got: {err}");
        }

        /// The parameter's column says what the parameter is: workers by
        /// default, else what the names (or a `name=value`) say.
        fn labels_the_parameter_column() {
            let heading = |group: &str, function: &str, params: &[&str]| {
                let rows: Vec<Measured> =
                    params.iter().map(|p| measured(group, function, Some(p), 1e6)).collect();
                parameter_heading(group, &rows.iter().collect::<Vec<_>>())
            };
            assert_eq!(heading("threads: count primes", "threads", &["1", "2"]), "Workers");
            assert_eq!(
                heading("pools: chunksize sweep, 200 tasks", "process-pool-2-chunksize", &["1", "25"]),
                "Chunksize"
            );
            assert_eq!(
                heading("queues: 262,144 items of 8 bytes, batched", "processes, pipe", &["1", "64"]),
                "Batch size"
            );
            assert_eq!(heading("pipes: bulk throughput", "pipe, write size", &["4 KiB"]), "Size");
            assert_eq!(heading("x: messages", "ring", &["64 B"]), "Parameter");
            assert_eq!(heading("x: a sweep", "pool", &["depth=2", "depth=8"]), "Depth");
            assert_eq!(parameter_value("depth=8"), "8");
            assert!(param_value("depth=8") < param_value("depth=16"));
        }

        fn formats_times_and_dates() {
            assert_eq!(fmt_time(512.0), "512 ns");
            assert_eq!(fmt_time(25_300.0), "25.3 µs");
            assert_eq!(fmt_time(2_184_286.0), "2.18 ms");
            assert_eq!(fmt_time(1.5e9), "1.50 s");
        }

        fn parses_arguments() {
            assert_eq!(parse_args(&[]).unwrap(), Options::default());
            let o = parse_args(&args(&["processes", "--quick", "--", "--noplot", "primes"])).unwrap();
            assert_eq!(o.chapter.as_deref(), Some("processes"));
            assert!(o.quick);
            assert_eq!(o.criterion_args, args(&["--noplot", "primes"]));
            assert!(parse_args(&args(&["--quick"])).is_err(), "--quick needs a chapter");
            assert!(parse_args(&args(&["a", "b"])).is_err());
            assert!(parse_args(&args(&["processes", "--fast"])).is_err());
        }

        /// The chapters are the bench targets in benches/benches/.
        fn lists_bench_chapters() {
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
            let chapters = bench_chapters(&root);
            assert!(chapters.contains(&"processes".to_string()), "got {chapters:?}");
        }
    }
}
