//! The results page (`benches/results/<chapter>.md`) and its number formats.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::*;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Report {
    pub(super) chapter: String,
    pub(super) machine: Machine,
    pub(super) quick: bool,
    pub(super) results: Vec<Measured>,
    pub(super) python: Option<PythonReport>,
    pub(super) notes: Vec<String>,
}

/// A time in nanoseconds, with three significant digits and a fitting unit.
pub(super) fn fmt_time(ns: f64) -> String {
    let (value, unit) = if ns < 1e3 {
        (ns, "ns")
    } else if ns < 1e6 {
        (ns / 1e3, "µs")
    } else if ns < 1e9 {
        (ns / 1e6, "ms")
    } else {
        (ns / 1e9, "s")
    };
    let decimals = if value < 10.0 {
        2
    } else if value < 100.0 {
        1
    } else {
        0
    };
    format!("{value:.decimals$} {unit}")
}

/// Text for a table cell: a `|` would end the cell, a newline the table.
pub(super) fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub(super) fn fmt_speedup(s: Option<f64>) -> String {
    s.map_or_else(|| "—".to_string(), |s| format!("{s:.2}×"))
}

/// What a row measuring the machine's memory bandwidth has in its name.
pub(super) const BANDWIDTH: &str = "bandwidth";

/// In a group with a row named like [`BANDWIDTH`] (a streaming read, the
/// fastest the machine reads memory), each row's throughput as a share of
/// the best such row's: how close a job that mostly reads memory comes to
/// the ceiling. `None` for the group if it has no such row; `None` for a
/// row whose throughput is not the same amount of data.
pub(super) fn bandwidth_shares(rows: &[&Measured]) -> Option<Vec<Option<f64>>> {
    let best = rows
        .iter()
        .filter(|x| x.function.contains(BANDWIDTH) && x.throughput.is_some())
        .min_by(|a, b| a.median_ns.total_cmp(&b.median_ns))?;
    Some(
        rows.iter()
            .map(|x| {
                (x.throughput.is_some() && x.throughput == best.throughput)
                    .then(|| best.median_ns / x.median_ns)
            })
            .collect(),
    )
}

/// What a group's parameter stands for, as its column's heading. By the
/// benches' convention a whole number is the number of workers. Otherwise:
/// a parameter written `name=value` names itself (`chunksize=25`:
/// "Chunksize"); else a benchmark or group name that says what is swept
/// names it (`process-pool-2-chunksize`: "Chunksize"; `..., batched`:
/// "Batch size"; `pipe, write size`: "Size"); else "Parameter".
pub(super) fn parameter_heading(group: &str, rows: &[&Measured]) -> String {
    let params: Vec<&str> = rows.iter().filter_map(|x| x.parameter.as_deref()).collect();
    let keys: Vec<&str> = params
        .iter()
        .filter_map(|p| p.split_once('=').map(|(k, _)| k.trim()))
        .collect();
    if let Some(first) = keys.first().filter(|k| !k.is_empty()) {
        if keys.len() == params.len() && keys.iter().all(|k| k == first) {
            let mut chars = first.chars();
            return chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
        }
    }
    let names: Vec<String> = rows
        .iter()
        .filter(|x| x.parameter.is_some())
        .map(|x| x.function.to_lowercase())
        .chain([group.to_lowercase()])
        .collect();
    for (word, heading) in [
        ("chunksize", "Chunksize"),
        ("batch", "Batch size"),
        ("size", "Size"),
    ] {
        if names.iter().any(|n| n.contains(word)) {
            return heading.to_string();
        }
    }
    if params.iter().all(|p| p.parse::<u64>().is_ok()) {
        "Workers".to_string()
    } else {
        "Parameter".to_string()
    }
}

/// A parameter as its column shows it: `chunksize=25` is `25` under the
/// heading "Chunksize".
pub(super) fn parameter_value(p: &str) -> &str {
    p.split_once('=').map_or(p, |(_, v)| v.trim())
}

/// Markdown for the book: the machine, one table per group, the Python
/// table, and how to regenerate it all.
pub(super) fn render_markdown(r: &Report) -> String {
    let m = &r.machine;
    let mut md = String::new();
    let python = m
        .python
        .as_deref()
        .map_or(String::new(), |v| format!(", Python {v}"));
    let load = match (m.load_average, m.load_after) {
        (Some(b), Some(a)) => {
            format!(" Load average: {b:.2} when the run began, {a:.2} when it ended.")
        }
        (Some(b), None) => format!(" Load average when the run began: {b:.2}."),
        _ => String::new(),
    };
    let cpu = m.cpu_busy_before.map_or(String::new(), |busy| {
        format!(
            " The CPUs were {:.0} % busy in the {} s before it began.",
            busy * 100.0,
            SAMPLE.as_secs()
        )
    });
    let _ = writeln!(
        md,
        "*Measured on {}, {} cores, {:.1} GiB RAM, {}, {}{}, on {}.{load}{cpu}*\n",
        m.cpu, m.cores, m.memory_gib, m.kernel, m.rustc, python, m.date
    );
    let quiet = Quiet {
        load_average: m.load_average,
        cpu_busy: m.cpu_busy_before,
    };
    if quiet.is_busy(m.cores) {
        let _ = writeln!(
            md,
            "> [!WARNING]\n> **Measured on a busy machine**: when the run began, {} on {} \
             cores. Other programs competed for the cores, so these numbers are slower and \
             noisier than this machine can do; measure again on a quiet machine \
             (`cargo workbook bench {}`).\n",
            quiet.describe(m.cores),
            m.cores,
            r.chapter
        );
    }
    let _ = writeln!(
        md,
        "*How the numbers were taken: each Rust row is criterion's median time of one \
         iteration over its samples, with the 95% confidence interval of that median; each Python row is the value the script reports \
         (its note says how it was taken).*\n"
    );
    for note in &r.notes {
        let _ = writeln!(md, "> {note}\n");
    }

    let mut groups: Vec<&str> = r.results.iter().map(|x| x.group.as_str()).collect();
    groups.dedup();
    for group in groups {
        let rows: Vec<&Measured> = r.results.iter().filter(|x| x.group == group).collect();
        let has_param = rows.iter().any(|x| x.parameter.is_some());
        let has_speedup = rows.iter().any(|x| x.speedup_vs_serial.is_some());
        let has_throughput = rows.iter().any(|x| x.throughput.is_some());
        let shares = bandwidth_shares(&rows);
        let param_head = parameter_heading(group, &rows);
        let _ = writeln!(md, "#### Rust — {group}\n");
        let mut head = vec!["Benchmark"];
        if has_param {
            head.push(&param_head);
        }
        // What matters first (a phone shows the left-hand columns): the
        // speedup, then the median; the confidence interval last.
        if has_speedup {
            head.push("Speedup vs serial");
        }
        if shares.is_some() {
            head.push("Share of bandwidth");
        }
        head.push("Median");
        if has_throughput {
            head.push("Throughput");
        }
        head.push("95% CI of the median");
        let _ = writeln!(md, "| {} |", head.join(" | "));
        let align: Vec<&str> = head
            .iter()
            .enumerate()
            .map(|(i, _)| if i == 0 { "---" } else { "---:" })
            .collect();
        let _ = writeln!(md, "| {} |", align.join(" | "));
        for (i, x) in rows.iter().enumerate() {
            let mut cells = vec![cell(&x.function)];
            if has_param {
                cells.push(cell(x.parameter.as_deref().map_or("", parameter_value)));
            }
            if has_speedup {
                cells.push(fmt_speedup(x.speedup_vs_serial));
            }
            if let Some(shares) = &shares {
                cells.push(
                    shares[i].map_or_else(|| "—".to_string(), |s| format!("{:.0} %", s * 100.0)),
                );
            }
            cells.push(fmt_time(x.median_ns));
            if has_throughput {
                cells.push(
                    fmt_throughput(x.throughput.as_ref(), x.median_ns)
                        .unwrap_or_else(|| "—".to_string()),
                );
            }
            cells.push(format!(
                "{} – {}",
                fmt_time(x.ci_lower_ns),
                fmt_time(x.ci_upper_ns)
            ));
            let _ = writeln!(md, "| {} |", cells.join(" | "));
        }
        md.push('\n');
    }

    if let Some(p) = &r.python {
        let _ = writeln!(md, "#### Python {} — the same questions\n", p.python);
        let has_speedup = p.results.iter().any(|x| x.speedup_vs_serial.is_some());
        let speedup_head = if has_speedup {
            " Speedup vs serial |"
        } else {
            ""
        };
        // "Result", not "Median": each script says in its note which
        // statistic it reports (best of N, one run, a share).
        let _ = writeln!(md, "| Group | What |{speedup_head} Result | Note |");
        // A `fraction` (a share, such as updates lost) shows as a percentage.
        let value = |x: &PythonResult| match x.unit.as_str() {
            "fraction" => format!("{:.1} %", x.value * 100.0),
            _ => fmt_time(x.value * 1e9),
        };
        let speedup_align = if has_speedup { "---:|" } else { "" };
        let _ = writeln!(md, "|---|---|{speedup_align}---:|---|");
        for x in &p.results {
            let speedup = if has_speedup {
                format!(" {} |", fmt_speedup(x.speedup_vs_serial))
            } else {
                String::new()
            };
            let _ = writeln!(
                md,
                "| {} | {} |{speedup} {} | {} |",
                cell(&x.group),
                cell(&x.name),
                value(x),
                cell(&x.note)
            );
        }
        md.push('\n');
    }
    let _ = writeln!(md, "Regenerate with `cargo workbook bench {}`.", r.chapter);
    md
}
