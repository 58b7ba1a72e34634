//! `lab export` copies the workbook as committed: a stub edited after the
//! last commit does not reach the student copy, nor do the solutions or the
//! teachers' pages.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn git(root: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "user.name=t", "-c", "user.email=t@localhost"])
        .args(args)
        .status()
        .unwrap()
        .success();
    assert!(ok, "git {args:?} failed");
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("workbook-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    d
}

const STUB: &str = "pub fn answer() -> u32 {\n    todo!()\n}\n";

#[test]
fn export_copies_the_committed_stubs_without_solutions_or_teacher_notes() {
    let root = scratch("teacher");
    write(
        &root,
        "Cargo.toml",
        "[workspace]\nresolver = \"3\"\nmembers = [\n    \"exercises/*\",\n    \"solutions/*\",\n]\n\
         default-members = [\n    \"solutions/*\",\n]\n",
    );
    write(&root, "exercises/01-x/src/ex1_answer.rs", STUB);
    write(
        &root,
        "solutions/01-x/src/ex1_answer.rs",
        "pub fn answer() -> u32 { 42 }\n",
    );
    write(
        &root,
        "book/src/SUMMARY.md",
        "# Summary\n\n- [X](x/index.md)\n\n# For teachers\n\n- [Running a lab](teachers.md)\n    - [X](teachers/x.md)\n",
    );
    write(&root, "book/src/teachers.md", "# Running a lab\n");
    write(
        &root,
        "book/src/teachers/x.md",
        "# X: common mistakes and answers\n",
    );
    git(&root, &["init", "-q"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "workbook"]);
    // A student (or the teacher) works on the exercise in this tree.
    write(
        &root,
        "exercises/01-x/src/ex1_answer.rs",
        "pub fn answer() -> u32 { 42 }\n",
    );

    let copy = scratch("student");
    let out = Command::new(env!("CARGO_BIN_EXE_workbook"))
        .current_dir(&root)
        .args(["lab", "export"])
        .arg(&copy)
        .output()
        .unwrap();
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "lab export failed:\n{said}");
    assert_eq!(
        fs::read_to_string(copy.join("exercises/01-x/src/ex1_answer.rs")).unwrap(),
        STUB,
        "the copy must have the stub as committed, not the edited one"
    );
    assert!(
        said.contains("exercises/01-x/src/ex1_answer.rs"),
        "export should name the file with uncommitted changes:\n{said}"
    );
    assert!(
        !copy.join("solutions").exists(),
        "the solutions must stay out"
    );
    assert!(
        !copy.join("book/src/teachers").exists(),
        "teacher notes must stay out"
    );
    assert!(!copy.join("book/src/teachers.md").exists());
    let summary = fs::read_to_string(copy.join("book/src/SUMMARY.md")).unwrap();
    assert!(!summary.contains("teachers"), "{summary}");
    assert!(summary.contains("- [X](x/index.md)"), "{summary}");
    let manifest = fs::read_to_string(copy.join("Cargo.toml")).unwrap();
    assert!(!manifest.contains("solutions/*"), "{manifest}");
    assert!(
        copy.join(".git").is_dir(),
        "the copy gets its own git repository"
    );
    let _ = fs::remove_dir_all(&root);
    let _ = fs::remove_dir_all(&copy);
}

#[test]
fn export_refuses_outside_git() {
    let root = scratch("nogit");
    write(&root, "Cargo.toml", "[workspace]\nmembers = []\n");
    let copy = scratch("nogit-copy");
    let out = Command::new(env!("CARGO_BIN_EXE_workbook"))
        .current_dir(&root)
        .env("GIT_CEILING_DIRECTORIES", root.parent().unwrap())
        .args(["lab", "export"])
        .arg(&copy)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a git checkout"), "{err}");
    let _ = fs::remove_dir_all(&root);
    let _ = fs::remove_dir_all(&copy);
}
