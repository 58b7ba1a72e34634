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
        "mistakes",
        "book",
        "lab export",
        "lab results",
        "bench",
        "mutants",
        "progress",
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
    for cmd in [
        "progress", "check", "hint", "watch", "reset", "book", "verify", "mistakes", "mutants",
        "lab",
    ] {
        let out = workbook(&["help", cmd]);
        assert!(out.status.success(), "`help {cmd}` failed");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains(&format!("Usage: cargo workbook {cmd}")),
            "`help {cmd}` should show its usage line:\n{text}"
        );
        assert!(
            text.ends_with('\n'),
            "`help {cmd}` should end with a newline"
        );
        let again = workbook(&[cmd, "--help"]);
        assert_eq!(
            again.stdout, out.stdout,
            "`{cmd} --help` should say the same as `help {cmd}`"
        );
    }
}

#[test]
fn help_ends_with_a_newline() {
    let out = workbook(&["--help"]);
    assert!(String::from_utf8_lossy(&out.stdout).ends_with('\n'));
}

#[test]
fn a_typo_gets_a_suggestion() {
    let out = workbook(&["chek"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("'check'"),
        "a typo should suggest `check`:\n{err}"
    );
}

#[test]
fn watch_help_shows_one_exercise() {
    let out = workbook(&["watch", "--help"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("watch processes::ex2_fork"), "{text}");
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
    assert!(String::from_utf8_lossy(&out.stderr).contains("unrecognized subcommand 'frobnicate'"));
}
