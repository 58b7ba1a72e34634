//! Criterion's side: reading `target/criterion/**/new/*.json`, ordering
//! the rows, speedups against `serial`.

use std::fs;
use std::path::Path;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::*;

/// One criterion benchmark: its identity and the median with its interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Measured {
    pub(super) group: String,
    pub(super) function: String,
    pub(super) parameter: Option<String>,
    /// Median time of one iteration, in nanoseconds.
    pub(super) median_ns: f64,
    /// The confidence interval of the median, in nanoseconds.
    pub(super) ci_lower_ns: f64,
    pub(super) ci_upper_ns: f64,
    pub(super) confidence_level: f64,
    /// Criterion's throughput setting, as it wrote it (e.g. `{"Elements": 1500000}`).
    pub(super) throughput: Option<Value>,
    pub(super) speedup_vs_serial: Option<f64>,
}

#[derive(Deserialize)]
pub(super) struct BenchmarkJson {
    pub(super) group_id: String,
    pub(super) function_id: Option<String>,
    pub(super) value_str: Option<String>,
    pub(super) throughput: Option<Value>,
}

#[derive(Deserialize)]
pub(super) struct EstimatesJson {
    pub(super) median: EstimateJson,
}

#[derive(Deserialize)]
pub(super) struct EstimateJson {
    pub(super) confidence_interval: IntervalJson,
    pub(super) point_estimate: f64,
}

#[derive(Deserialize)]
pub(super) struct IntervalJson {
    pub(super) confidence_level: f64,
    pub(super) lower_bound: f64,
    pub(super) upper_bound: f64,
}

/// Reads one benchmark from the text of its `benchmark.json` and
/// `estimates.json`.
pub(super) fn parse_criterion(benchmark: &str, estimates: &str) -> Result<Measured, String> {
    let b: BenchmarkJson =
        serde_json::from_str(benchmark).map_err(|e| format!("benchmark.json: {e}"))?;
    let e: EstimatesJson =
        serde_json::from_str(estimates).map_err(|e| format!("estimates.json: {e}"))?;
    let m = e.median;
    if !(m.point_estimate.is_finite() && m.point_estimate > 0.0) {
        return Err(format!("estimates.json: median {}", m.point_estimate));
    }
    Ok(Measured {
        function: b.function_id.unwrap_or_else(|| b.group_id.clone()),
        group: b.group_id,
        parameter: b.value_str,
        median_ns: m.point_estimate,
        ci_lower_ns: m.confidence_interval.lower_bound,
        ci_upper_ns: m.confidence_interval.upper_bound,
        confidence_level: m.confidence_interval.confidence_level,
        throughput: b.throughput,
        speedup_vs_serial: None,
    })
}

/// Every benchmark under `dir` (criterion's output folder) whose group is
/// `"<chapter>: ..."`, written at or after `since` if given.
pub(super) fn collect_criterion(
    dir: &Path,
    chapter: &str,
    since: Option<SystemTime>,
) -> Result<Vec<Measured>, String> {
    let prefix = format!("{chapter}: ");
    let files = crate::util::files_under(dir, &is_new_benchmark);
    let mut results = Vec::new();
    for bench_file in files {
        if let Some(since) = since {
            let written = fs::metadata(&bench_file).and_then(|m| m.modified());
            if written.map_or(true, |t| t < since) {
                continue;
            }
        }
        let read = |p: &Path| {
            fs::read_to_string(p).map_err(|e| format!("could not read {}: {e}", p.display()))
        };
        let benchmark = read(&bench_file)?;
        let estimates = read(&bench_file.with_file_name("estimates.json"))?;
        let measured = parse_criterion(&benchmark, &estimates)
            .map_err(|e| format!("{}: {e}", bench_file.display()))?;
        if measured.group.starts_with(&prefix) {
            results.push(measured);
        }
    }
    Ok(results)
}

/// Is `path` a `new/benchmark.json`? (Criterion keeps the previous run in
/// `base/`, which we ignore.)
pub(super) fn is_new_benchmark(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "benchmark.json")
        && path
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|n| n == "new")
}

/// Orders results for the tables: groups by name; in a group `serial` first,
/// then by parameter (numbers numerically), then fastest first.
pub(super) fn sort_results(results: &mut [Measured]) {
    let param = |m: &Measured| m.parameter.as_deref().map_or(0.0, param_value);
    results.sort_by(|a, b| {
        a.group
            .cmp(&b.group)
            .then((a.function != BASELINE).cmp(&(b.function != BASELINE)))
            .then(param(a).total_cmp(&param(b)))
            .then(a.parameter.cmp(&b.parameter))
            .then(a.median_ns.total_cmp(&b.median_ns))
            .then(a.function.cmp(&b.function))
    });
}

/// The number a parameter stands for, so that `4 KiB` sorts before `16 KiB`
/// and `2` before `10`; one that is not a number sorts last.
pub(super) fn param_value(p: &str) -> f64 {
    let p = super::page::parameter_value(p).trim();
    let end = p
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(p.len());
    let Ok(number) = p[..end].parse::<f64>() else {
        return f64::MAX;
    };
    let scale = match p[end..].trim().chars().next() {
        Some('K' | 'k') => 1024.0,
        Some('M') => 1024.0 * 1024.0,
        Some('G') => 1024.0 * 1024.0 * 1024.0,
        _ => 1.0,
    };
    number * scale
}

/// Items per second from criterion's throughput setting and a median time:
/// `2.41 GiB/s` for bytes, `11.1 M/s` for elements.
pub(super) fn fmt_throughput(throughput: Option<&Value>, median_ns: f64) -> Option<String> {
    let t = throughput?.as_object()?;
    let (kind, amount) = t.iter().next()?;
    let per_second = amount.as_f64()? / (median_ns / 1e9);
    Some(match kind.as_str() {
        "Bytes" | "BytesDecimal" => {
            let (v, unit) = if per_second >= 1024.0 * 1024.0 * 1024.0 {
                (per_second / (1024.0 * 1024.0 * 1024.0), "GiB/s")
            } else {
                (per_second / (1024.0 * 1024.0), "MiB/s")
            };
            format!("{v:.2} {unit}")
        }
        _ => format!("{:.2} M/s", per_second / 1e6),
    })
}

/// Speedup of each result against its group's `serial`: the one with the
/// same parameter, or else parameter `1`, or else no parameter.
pub(super) fn compute_speedups(results: &mut [Measured]) {
    let serial: Vec<(String, Option<String>, f64)> = results
        .iter()
        .filter(|m| m.function == BASELINE)
        .map(|m| (m.group.clone(), m.parameter.clone(), m.median_ns))
        .collect();
    let find = |group: &str, param: Option<&str>| {
        serial
            .iter()
            .find(|(g, p, _)| g == group && p.as_deref() == param)
            .map(|(_, _, t)| *t)
    };
    for m in results.iter_mut() {
        let base = find(&m.group, m.parameter.as_deref())
            .or_else(|| find(&m.group, Some("1")))
            .or_else(|| find(&m.group, None));
        m.speedup_vs_serial = base.map(|b| b / m.median_ns);
    }
}
