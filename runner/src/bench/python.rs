//! The Python side: running `benches/python/<chapter>.py` and reading the
//! JSON it prints.

use std::collections::BTreeMap;
use std::io::ErrorKind;
use std::path::Path;
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};

use super::*;

/// What a chapter's Python script prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct PythonReport {
    pub(super) python: String,
    pub(super) results: Vec<PythonResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct PythonResult {
    pub(super) group: String,
    pub(super) name: String,
    pub(super) value: f64,
    pub(super) unit: String,
    #[serde(default)]
    pub(super) note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) speedup_vs_serial: Option<f64>,
}

/// Runs `interpreter script` in `root` and parses what it prints.
pub(super) fn run_python(
    root: &Path,
    script: &Path,
    interpreter: &str,
) -> Result<PythonReport, String> {
    let out = Command::new(interpreter)
        .arg(script)
        .current_dir(root)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output();
    let out = match out {
        Ok(o) => o,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Err(format!(
                "{interpreter} is not installed, so the Python table was skipped"
            ));
        }
        Err(e) => return Err(format!("could not run python3: {e}")),
    };
    if !out.status.success() {
        return Err(format!("{} failed ({})", script.display(), out.status));
    }
    parse_python(&String::from_utf8_lossy(&out.stdout))
}

/// Parses and checks the Python script's JSON.
pub(super) fn parse_python(text: &str) -> Result<PythonReport, String> {
    let report: PythonReport = serde_json::from_str(text.trim())
        .map_err(|e| format!("the Python script's output is not the expected JSON: {e}"))?;
    for r in &report.results {
        let ok = match r.unit.as_str() {
            "s" => r.value.is_finite() && r.value > 0.0,
            "fraction" => (0.0..=1.0).contains(&r.value),
            _ => {
                return Err(format!(
                    "Python result `{}` has unit `{}`; the units are `s` (a time) \
                     and `fraction` (a share from 0 to 1, e.g. of updates lost)",
                    r.name, r.unit
                ));
            }
        };
        if !ok {
            return Err(format!(
                "Python result `{}` has value {} {}",
                r.name, r.value, r.unit
            ));
        }
    }
    Ok(report)
}

/// Speedup of each Python row against the row named `serial` of its group.
pub(super) fn compute_python_speedups(results: &mut [PythonResult]) {
    let baselines: BTreeMap<String, f64> = results
        .iter()
        .filter(|r| r.name == BASELINE && r.unit == "s")
        .map(|r| (r.group.clone(), r.value))
        .collect();
    for r in results.iter_mut().filter(|r| r.unit == "s") {
        r.speedup_vs_serial = baselines.get(&r.group).map(|base| base / r.value);
    }
}
