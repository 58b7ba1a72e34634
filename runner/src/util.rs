//! Small helpers every command shares: error exit, walking a folder,
//! where cargo puts its build output, the time now, and the small files of
//! per-chapter records (`<target>/workbook/*.json`) that `verify` shows.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;
use serde::de::DeserializeOwned;

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

/// Cargo's target directory: `$CARGO_TARGET_DIR`, or `<root>/target`.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// The time now, UTC, `YYYY-MM-DD HH:MM UTC`.
pub fn now_utc() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%d %H:%M UTC")
        .to_string()
}

/// `<target>/workbook/<name>`, where the last results of the slow commands
/// (`mutants`, `mistakes`) are kept for `verify`'s summary.
pub fn record_file(root: &Path, name: &str) -> PathBuf {
    target_dir(root).join("workbook").join(name)
}

/// The records in `path`, by chapter (empty if there is no readable file).
pub fn load_records<T: DeserializeOwned>(path: &Path) -> BTreeMap<String, T> {
    fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// Replaces `chapter`'s record in `path`, keeping the other chapters'.
pub fn save_record<T: Serialize + DeserializeOwned>(
    path: &Path,
    chapter: &str,
    record: T,
) -> Result<(), String> {
    let mut all: BTreeMap<String, T> = load_records(path);
    all.insert(chapter.to_string(), record);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let text = serde_json::to_string_pretty(&all).map_err(|e| e.to_string())?;
    fs::write(path, text + "\n").map_err(|e| format!("cannot write {}: {e}", path.display()))
}
