//! `watch [chapter]` and `reset <exercise>`.

use std::collections::BTreeMap;
use std::fs;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use crate::chapters::{self, Selection};
use crate::check;
use crate::report::Paint;

/// Modification times of every file under `dir` (skipping `target`).
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, SystemTime> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let Ok(meta) = e.metadata() else { continue };
            if meta.is_dir() {
                if e.file_name() != "target" && !e.file_name().to_string_lossy().starts_with('.') {
                    stack.push(p);
                }
            } else if let Ok(m) = meta.modified() {
                out.insert(p, m);
            }
        }
    }
    out
}

/// `cargo workbook watch [chapter]`.
pub fn cmd_watch(root: &Path, args: &[String]) -> ExitCode {
    if args.len() > 1 {
        return crate::util::fail("usage: cargo workbook watch [chapter]");
    }
    let chapters = match chapters::discover(root) {
        Ok(c) => c,
        Err(e) => return crate::util::fail(&e),
    };
    let scope = match chapters::select(&chapters, args.first().map(String::as_str)) {
        Ok(s) => s,
        Err(e) => return crate::util::fail(&e),
    };
    if scope.is_empty() {
        return crate::util::fail("no chapters found (no exercises/*/chapter.toml)");
    }
    // Enter on the terminal re-checks too: a fallback for editors whose
    // saves the polling misses.
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            if line.is_err() || tx.send(()).is_err() {
                break;
            }
        }
    });
    let paint = Paint::stdout();
    let watched = root.join("exercises");
    loop {
        let before = snapshot(&watched);
        check_current(root, &chapters, &scope, paint);
        println!(
            "\n{}",
            paint.bold("Watching exercises/ for changes (checked once a second). Press Enter to re-check now, Ctrl-C to quit.")
        );
        loop {
            match rx.recv_timeout(Duration::from_secs(1)) {
                Ok(()) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if snapshot(&watched) != before {
                        break;
                    }
                }
                // stdin closed (not a terminal): keep polling only.
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    std::thread::sleep(Duration::from_secs(1));
                    if snapshot(&watched) != before {
                        break;
                    }
                }
            }
        }
        println!("\n{}", "-".repeat(60));
    }
}

/// Checks the first unfinished exercise in `scope` (the whole chapter is
/// run, so finishing one moves on to the next at once).
fn check_current(root: &Path, chapters: &[chapters::Chapter], scope: &[Selection], paint: Paint) {
    for sel in scope {
        let checked = check::run_selection(root, chapters, std::slice::from_ref(sel), false);
        let Some((ch, ex)) = check::next_unfinished(&checked) else {
            continue;
        };
        let one = check::Checked {
            chapter: ch,
            exercise: Some(ex.to_string()),
            run: checked[0].run.clone(),
        };
        check::print_text(&one, paint);
        let e = ch.exercise(ex).expect("listed");
        println!(
            "\nNow working on: {} — {} ({})",
            e.name,
            e.title,
            ch.exercise_file(e).display()
        );
        println!("Stuck? cargo workbook hint {}", e.name);
        return;
    }
    println!("{}", paint.green("Every exercise here is done. Well done!"));
}

/// `cargo workbook reset <exercise>`: the stub back from git, the current
/// file kept in `.workbook/backup/`.
pub fn cmd_reset(root: &Path, args: &[String]) -> ExitCode {
    let [what] = args else {
        return crate::util::fail(
            "usage: cargo workbook reset <exercise>   (e.g. `reset ex2_fork`)",
        );
    };
    let (ch, ex) = match chapters::find_exercise(
        root,
        what,
        "reset works on one exercise: name it, e.g. `cargo workbook reset ex2_fork`",
    ) {
        Ok(found) => found,
        Err(e) => return crate::util::fail(&e),
    };
    let rel = ch.exercise_file(&ex);
    let in_git = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !in_git {
        return crate::util::fail(&format!(
            "this folder is not a git checkout, so the original stub of {} cannot be restored from here.\n\
             Get it back from the original workbook (the same path in a fresh copy), or ask your teacher \
             for a new copy (`cargo workbook lab export` makes one with git set up).",
            rel.display()
        ));
    }
    let full = root.join(&rel);
    if full.is_file() {
        let backup = root.join(".workbook").join("backup").join(format!(
            "{}.{}.rs",
            ex.name,
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
        ));
        let saved = backup
            .parent()
            .map(fs::create_dir_all)
            .unwrap_or(Ok(()))
            .and_then(|_| fs::copy(&full, &backup));
        match saved {
            Ok(_) => println!(
                "Your version is kept in {}.",
                backup.strip_prefix(root).unwrap_or(&backup).display()
            ),
            Err(e) => {
                return crate::util::fail(&format!(
                    "could not keep a backup of {}: {e}; nothing was reset",
                    rel.display()
                ));
            }
        }
    }
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["checkout", "HEAD", "--"])
        .arg(&rel)
        .output();
    match out {
        Ok(o) if o.status.success() => {
            println!("{} is back to its original stub.", rel.display());
            ExitCode::SUCCESS
        }
        Ok(o) => crate::util::fail(&format!(
            "git could not restore {}: {}",
            rel.display(),
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Err(e) => crate::util::fail(&format!("could not run git: {e}")),
    }
}
