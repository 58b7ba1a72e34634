//! The built runner, run as students run it.

use std::process::Command;

fn workbook(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_workbook"))
        .args(args)
        .output()
        .expect("run the workbook binary")
}

#[test]
fn help_lists_every_command_with_examples() {
    let out = workbook(&["--help"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for cmd in [
        "check",
        "hint",
        "watch",
        "reset",
        "verify",
        "book",
        "lab export",
        "lab results",
        "bench",
    ] {
        assert!(text.contains(cmd), "--help should mention `{cmd}`:\n{text}");
    }
    assert!(
        text.contains("EXAMPLES"),
        "--help should show examples:\n{text}"
    );
}

#[test]
fn every_command_has_its_own_help() {
    for cmd in ["check", "hint", "watch", "reset", "book", "verify", "lab"] {
        let out = workbook(&["help", cmd]);
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.starts_with(&format!("cargo workbook {cmd}")),
            "`help {cmd}` should start with its usage line:\n{text}"
        );
        let again = workbook(&[cmd, "--help"]);
        assert_eq!(
            again.stdout, out.stdout,
            "`{cmd} --help` should say the same as `help {cmd}`"
        );
    }
}

#[test]
fn an_unknown_chapter_is_refused_clearly() {
    let out = workbook(&["check", "no-such-chapter-or-exercise"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`no-such-chapter-or-exercise` is neither a chapter nor an exercise"),
        "{err}"
    );
}

#[test]
fn an_unknown_command_is_refused_clearly() {
    let out = workbook(&["frobnicate"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown command `frobnicate`"));
}
