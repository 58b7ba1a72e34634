//! `lab export <DIR>` (a student copy) and `lab results` (autograding).

use std::fs;
use std::path::Path;
use std::process::{Command, ExitCode};

use crate::book;

/// Top-level (or nested) paths, relative to the root, that a student copy
/// leaves out.
const LEFT_OUT: &[&str] = &[
    "target",
    "solutions",
    "benches/results",
    "book/html",
    ".workbook",
];

pub fn export(root: &Path, dir: &Path) -> ExitCode {
    if dir.exists()
        && fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return crate::util::fail(&format!(
            "{} exists and is not empty; choose a new folder",
            dir.display()
        ));
    }
    match write_copy(root, dir) {
        Ok(notes) => {
            for n in notes {
                println!("note: {n}");
            }
            println!("The student copy is in {}.", dir.display());
            println!(
                "Students run, inside it:  cargo workbook        (progress, next exercise, the book)"
            );
            println!(
                "Collect results with:     cargo workbook lab results --format junit > results.xml"
            );
            ExitCode::SUCCESS
        }
        Err(e) => crate::util::fail(&format!("lab export failed: {e}")),
    }
}

fn write_copy(root: &Path, dir: &Path) -> Result<Vec<String>, String> {
    let mut notes = Vec::new();
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    copy_tree(root, dir, Path::new("")).map_err(|e| format!("copying: {e}"))?;

    // The workspace without the solutions.
    let manifest = fs::read_to_string(dir.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let benches_need_solutions = fs::read_to_string(root.join("benches/Cargo.toml"))
        .map(|t| t.contains("solutions/"))
        .unwrap_or(false);
    let mut members = vec!["support", "runner", "benches", "exercises/*"];
    if benches_need_solutions {
        members.retain(|m| *m != "benches");
        notes.push(
            "the benches depend on the solutions, so they are left out of the student workspace"
                .into(),
        );
    }
    let manifest = student_manifest(&manifest, &members, &["support", "runner", "exercises/*"])?;
    fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;

    // The book's measured pages include results the students make themselves.
    let results = root.join("benches").join("results");
    if let Ok(entries) = fs::read_dir(&results) {
        let out = dir.join("benches").join("results");
        fs::create_dir_all(&out).map_err(|e| e.to_string())?;
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            if let Some(chapter) = name.strip_suffix(".md") {
                let text = format!(
                    "*Not measured on this machine yet. Run `cargo workbook bench {chapter}` \
                     and rebuild the book (`cargo workbook book`) to see your own numbers here.*\n"
                );
                fs::write(out.join(&name), text).map_err(|e| e.to_string())?;
            }
        }
    }

    // Pages that show the solutions say they are not in this copy.
    for page in book::pages(dir) {
        let Ok(text) = fs::read_to_string(&page) else {
            continue;
        };
        if let Some(new) = without_solutions(&page, &text) {
            fs::write(&page, new).map_err(|e| e.to_string())?;
        }
    }

    // Let cargo drop the solutions from Cargo.lock now, so the students'
    // first build does not show the lock file as changed.
    let _ = crate::exec::run(
        {
            let mut c = crate::exec::cargo();
            c.current_dir(dir)
                .args(["metadata", "--offline", "--format-version", "1"]);
            c
        },
        crate::exec::CARGO_LIMIT,
    );

    // A git repository, so `cargo workbook reset` can restore stubs.
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    };
    let ok = git(&["init", "-q"])
        && git(&["add", "-A"])
        && git(&[
            "-c",
            "user.name=workbook",
            "-c",
            "user.email=workbook@localhost",
            "commit",
            "-q",
            "-m",
            "The workbook, as handed out",
        ]);
    if !ok {
        notes.push(
            "git init/commit failed (is git installed?): `cargo workbook reset` will not work in this copy".into(),
        );
    }
    Ok(notes)
}

fn copy_tree(from_root: &Path, to_root: &Path, rel: &Path) -> std::io::Result<()> {
    for e in fs::read_dir(from_root.join(rel))? {
        let e = e?;
        let name = e.file_name();
        let r = rel.join(&name);
        let r_str = r.to_string_lossy();
        if name == ".git" || LEFT_OUT.iter().any(|x| r_str == *x) {
            continue;
        }
        let ty = e.file_type()?;
        if ty.is_dir() {
            fs::create_dir_all(to_root.join(&r))?;
            copy_tree(from_root, to_root, &r)?;
        } else if ty.is_file() {
            fs::copy(e.path(), to_root.join(&r))?;
        }
    }
    Ok(())
}

/// The workspace manifest with `members` and `default-members` replaced
/// (the rest, comments included, kept as it is).
pub fn student_manifest(text: &str, members: &[&str], defaults: &[&str]) -> Result<String, String> {
    let text = replace_array(text, "members", members)?.replacen(
        "\nmembers = [",
        "\n# Student copy (made by `cargo workbook lab export`): no solutions, and a\n\
         # plain `cargo test` tests the exercises.\nmembers = [",
        1,
    );
    let text = replace_array(&text, "default-members", defaults)?;
    let table: toml::Table = toml::from_str(&text)
        .map_err(|e| format!("the adjusted Cargo.toml does not parse: {e}"))?;
    if !table.contains_key("workspace") {
        return Err("the adjusted Cargo.toml lost its [workspace] table".into());
    }
    Ok(text)
}

fn replace_array(text: &str, key: &str, values: &[&str]) -> Result<String, String> {
    let start = text
        .lines()
        .scan(0usize, |pos, line| {
            let at = *pos;
            *pos += line.len() + 1;
            Some((at, line))
        })
        .find(|(_, line)| {
            line.trim_start()
                .strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map(|(at, _)| at)
        .ok_or_else(|| format!("Cargo.toml has no `{key} = [...]`"))?;
    let open = start + text[start..].find('[').ok_or("no [ after the key")?;
    let close = open + text[open..].find(']').ok_or("no ] after the key")?;
    let list: Vec<String> = values.iter().map(|v| format!("    \"{v}\",")).collect();
    Ok(format!(
        "{}{key} = [\n{}\n]{}",
        &text[..start],
        list.join("\n"),
        &text[close + 1..]
    ))
}

/// The page without the solutions: a `solutions.md` page becomes a note;
/// elsewhere an include of a file under `solutions/` becomes a comment.
/// `None` if the page needs no change.
pub fn without_solutions(page: &Path, text: &str) -> Option<String> {
    if page.file_name().is_some_and(|n| n == "solutions.md") {
        let title = text
            .lines()
            .find(|l| l.starts_with('#'))
            .unwrap_or("# Solutions")
            .to_string();
        return Some(format!(
            "{title}\n\nThe reference solutions are not part of this copy of the workbook. \
             Your teacher has them; `cargo workbook hint <exercise>` gives hints.\n"
        ));
    }
    let includes = book::find_includes(page, text);
    let bad: Vec<_> = includes
        .iter()
        .filter(|i| i.path.starts_with("solutions/") || i.path.contains("/solutions/"))
        .collect();
    if bad.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if bad.iter().any(|i| i.line == n + 1) {
            out.push(
                "// (The reference solution is not part of this copy of the workbook.)".to_string(),
            );
        } else {
            out.push(line.to_string());
        }
    }
    Some(out.join("\n") + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "\
[workspace]
resolver = \"3\"
# comment kept
members = [
    \"support\",
    \"runner\",
    \"benches\",
    \"exercises/*\",
    \"solutions/*\",
]
default-members = [
    \"support\",
    \"solutions/*\",
]

[workspace.package]
edition = \"2024\"
";

    #[test]
    fn the_student_manifest_has_no_solutions() {
        let m = student_manifest(
            MANIFEST,
            &["support", "runner", "benches", "exercises/*"],
            &["support", "runner", "exercises/*"],
        )
        .unwrap();
        assert!(!m.contains("\"solutions/*\""), "{m}");
        assert!(m.contains("# comment kept"));
        let t: toml::Table = toml::from_str(&m).unwrap();
        let ws = t["workspace"].as_table().unwrap();
        assert_eq!(ws["members"].as_array().unwrap().len(), 4);
        assert_eq!(
            ws["default-members"].as_array().unwrap()[2].as_str(),
            Some("exercises/*")
        );
        assert_eq!(ws["package"]["edition"].as_str(), Some("2024"));
    }

    #[test]
    fn solution_pages_become_notes() {
        let page = Path::new("book/src/processes/solutions.md");
        let new = without_solutions(page, "# Processes — solutions\n{{#include ../../../solutions/01-processes/src/ex1.rs:all}}\n").unwrap();
        assert!(new.starts_with("# Processes — solutions\n"));
        assert!(!new.contains("{{#include"));
        let other = Path::new("book/src/processes/index.md");
        let text = "a\n```rust\n{{#include ../../../solutions/01-processes/src/ex1.rs:x}}\n```\n{{#include ../../../exercises/01-processes/examples/a.rs}}\n";
        let new = without_solutions(other, text).unwrap();
        assert!(!new.contains("solutions/01"));
        assert!(new.contains("exercises/01-processes/examples/a.rs"));
        assert_eq!(without_solutions(other, "no includes\n"), None);
    }
}
