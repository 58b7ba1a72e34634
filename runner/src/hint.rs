//! `hint <exercise> [--all]`: hints one at a time, gentle first.
//!
//! How many hints were shown is kept in `.workbook/hints.json` at the root
//! (git-ignored), keyed by `chapter::exercise`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::chapters;

fn state_file(root: &Path) -> PathBuf {
    root.join(".workbook").join("hints.json")
}

/// Reads the counts; a missing or damaged file counts as "none shown".
pub fn load(root: &Path) -> BTreeMap<String, usize> {
    fs::read_to_string(state_file(root))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

fn save(root: &Path, shown: &BTreeMap<String, usize>) -> Result<(), String> {
    let path = state_file(root);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let text = serde_json::to_string_pretty(shown).map_err(|e| e.to_string())?;
    fs::write(&path, text + "\n").map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// How many hints to show now (the first ones, 1-based up to this), when
/// `shown` were shown before. Hints shown before are shown again above the
/// new one, so the student sees them together.
pub fn next_count(shown: usize, total: usize, all: bool) -> usize {
    if all { total } else { (shown + 1).min(total) }
}

pub fn cmd_hint(root: &Path, args: &[String]) -> ExitCode {
    let all = args.iter().any(|a| a == "--all");
    let words: Vec<&String> = args.iter().filter(|a| *a != "--all").collect();
    let [what] = words.as_slice() else {
        return crate::util::fail(
            "usage: cargo workbook hint <exercise> [--all]   (e.g. `hint ex2_fork`)",
        );
    };
    let (ch, ex) = match chapters::find_exercise(
        root,
        what,
        "hints are per exercise: name one, e.g. `cargo workbook hint ex2_fork`",
    ) {
        Ok(found) => found,
        Err(e) => return crate::util::fail(&e),
    };
    if ex.hints.is_empty() {
        println!(
            "{} has no hints. Its page in the book: book/src/{}",
            ex.name,
            ch.exercises_page()
        );
        return ExitCode::SUCCESS;
    }
    let key = format!("{}::{}", ch.name, ex.name);
    let mut shown = load(root);
    let before = shown.get(&key).copied().unwrap_or(0);
    let upto = next_count(before, ex.hints.len(), all);
    println!("Hints for {} — {}:", ex.name, ex.title);
    for (i, h) in ex.hints.iter().enumerate().take(upto) {
        let new = if i + 1 > before {
            ""
        } else {
            " (shown before)"
        };
        println!("\n  Hint {} of {}{new}:", i + 1, ex.hints.len());
        println!("{}", crate::report::indent(h, 4));
    }
    println!();
    if upto < ex.hints.len() {
        println!(
            "Still stuck? Run `cargo workbook hint {}::{}` again for the next hint.",
            ch.name, ex.name
        );
    } else {
        println!(
            "That was the last hint. The solutions page in the book explains a reference answer \
             (book/src/{}).",
            ch.exercises_page().replace("exercises.md", "solutions.md")
        );
    }
    shown.insert(key, upto.max(before));
    if let Err(e) = save(root, &shown) {
        eprintln!("(could not remember which hints were shown: {e})");
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_come_one_at_a_time_then_stay_at_the_last() {
        assert_eq!(next_count(0, 3, false), 1);
        assert_eq!(next_count(1, 3, false), 2);
        assert_eq!(next_count(3, 3, false), 3);
        assert_eq!(next_count(0, 3, true), 3);
    }
}
