//! `lab export <DIR>` (a student copy) and `lab results` (autograding).

use std::fs;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

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
    // The files as committed, never the teacher's working copy: a stub the
    // teacher (or the last student) edited must not reach the next student.
    let uncommitted = committed_tree(root, dir)?;
    if !uncommitted.is_empty() {
        notes.push(format!(
            "these files have uncommitted changes, and the copy has them as committed \
             (in git's HEAD):\n    {}",
            uncommitted.join("\n    ")
        ));
    }
    for left_out in LEFT_OUT {
        let p = dir.join(left_out);
        if p.is_dir() {
            fs::remove_dir_all(&p).map_err(|e| format!("cannot remove {}: {e}", p.display()))?;
        }
    }
    // Teacher notes (answers, common mistakes) are not for students.
    let teachers = dir.join("book").join("src").join("teachers");
    if teachers.is_dir() {
        fs::remove_dir_all(&teachers).map_err(|e| e.to_string())?;
    }
    let _ = fs::remove_file(dir.join("book").join("src").join("teachers.md"));
    let summary = dir.join("book").join("src").join("SUMMARY.md");
    if let Ok(text) = fs::read_to_string(&summary) {
        fs::write(&summary, without_teachers(&text)).map_err(|e| e.to_string())?;
    }

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
    // Benches that are workspaces of their own (the MPI chapter's) and
    // measure the solutions cannot build without them: they are left out.
    if let Ok(entries) = fs::read_dir(dir.join("benches")) {
        for e in entries.flatten() {
            let own = e.path().join("Cargo.toml");
            if fs::read_to_string(&own).is_ok_and(|t| t.contains("solutions/")) {
                fs::remove_dir_all(e.path()).map_err(|e| e.to_string())?;
                notes.push(format!(
                    "benches/{} measures the solutions, so it is left out of the student copy",
                    e.file_name().to_string_lossy()
                ));
            }
        }
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

/// Writes the tree of git's HEAD under `root` into `dir` (`git archive`,
/// unpacked by `tar`), and returns the files under `root` whose working copy
/// differs from HEAD (those are not copied as they are now).
fn committed_tree(root: &Path, dir: &Path) -> Result<Vec<String>, String> {
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .map_err(|e| format!("could not run git: {e}"))
    };
    let prefix = git(&["rev-parse", "--show-prefix"])?;
    if !prefix.status.success() {
        return Err(format!(
            "{} is not a git checkout. lab export copies the workbook as committed \
             (so no edited stub reaches a student): run it in the teacher's git clone.",
            root.display()
        ));
    }
    let prefix = String::from_utf8_lossy(&prefix.stdout).trim().to_string();
    let status = git(&["status", "--porcelain", "--untracked-files=no", "--", "."])?;
    let uncommitted: Vec<String> = String::from_utf8_lossy(&status.stdout)
        .lines()
        .filter_map(|l| l.get(3..))
        .map(str::to_string)
        .collect();
    let tree = format!("HEAD:{prefix}");
    let mut archive = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["archive", "--format=tar", &tree])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run git archive: {e}"))?;
    let untar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(dir)
        .stdin(archive.stdout.take().expect("piped"))
        .status()
        .map_err(|e| format!("could not run tar: {e}"))?;
    let archived = archive.wait().map_err(|e| e.to_string())?;
    if !archived.success() || !untar.success() {
        return Err(format!(
            "git archive {tree} | tar -x failed ({archived}, {untar})"
        ));
    }
    Ok(uncommitted)
}

/// SUMMARY.md without the teachers' part (`# For teachers` up to the next
/// part) and without any entry that links to a teachers' page.
pub fn without_teachers(summary: &str) -> String {
    let mut out = Vec::new();
    let mut in_teachers_part = false;
    for line in summary.lines() {
        let t = line.trim_start();
        if let Some(title) = t.strip_prefix("# ") {
            in_teachers_part = title.trim().to_lowercase().starts_with("for teachers");
            if in_teachers_part {
                continue;
            }
        }
        if in_teachers_part || t.contains("(teachers.md)") || t.contains("(teachers/") {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out.join("\n") + "\n"
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
    fn the_teachers_part_leaves_the_summary() {
        let summary = "# Summary\n\n- [Processes](processes/index.md)\n\n# Reference\n\n\
            - [Name map](name-map.md)\n[For teachers: running a lab](teachers.md)\n\n\
            # For teachers\n\n- [Running a lab](teachers.md)\n    - [Processes](teachers/processes.md)\n";
        let s = without_teachers(summary);
        assert!(!s.contains("teachers"), "{s}");
        assert!(s.contains("- [Name map](name-map.md)\n"));
        assert!(s.contains("# Reference"));
        assert!(s.ends_with("(name-map.md)\n"), "{s:?}");
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
