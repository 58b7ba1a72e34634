//! `watch [chapter | chapter::exercise]` (notify, not polling) and
//! `reset <exercise>`.

use std::fs;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind};
use notify::{RecursiveMode, Watcher};

use crate::chapters::{self, Selection};
use crate::check;
use crate::report::Paint;

/// What wakes the watcher up.
enum Wake {
    /// Files changed (a debounced batch of notify events).
    Saved(Vec<PathBuf>),
    /// Enter on the terminal.
    Enter,
}

/// How long a burst of events must be quiet before it counts as one save.
const DEBOUNCE: Duration = Duration::from_millis(300);

/// Whether an event changed a file (written, created, renamed, removed),
/// not merely read it.
pub fn is_a_save(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any)
            | EventKind::Access(AccessKind::Close(AccessMode::Write))
    )
}

/// The exercise (chapter index, exercise name) whose stub `path` is:
/// `<root>/exercises/<folder>/src/<exercise>.rs`.
pub fn exercise_of_path(
    root: &Path,
    chapters: &[chapters::Chapter],
    path: &Path,
) -> Option<(usize, String)> {
    let rel = path
        .strip_prefix(root)
        .ok()
        .or_else(|| path.strip_prefix(root.canonicalize().ok()?).ok())?;
    chapters.iter().enumerate().find_map(|(i, ch)| {
        ch.exercises
            .iter()
            .find(|e| rel == ch.exercise_file(e))
            .map(|e| (i, e.name.clone()))
    })
}

/// `cargo workbook watch [chapter | chapter::exercise | exercise]`.
pub fn cmd_watch(root: &Path, args: &[String]) -> ExitCode {
    if args.len() > 1 {
        return crate::util::fail("usage: cargo workbook watch [chapter | chapter::exercise]");
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
    // `watch processes::ex2_fork` stays on that exercise.
    let fixed = match scope.as_slice() {
        [
            Selection {
                chapter,
                exercise: Some(e),
            },
        ] => Some((*chapter, e.clone())),
        _ => None,
    };
    let (tx, rx) = mpsc::channel();
    // Enter on the terminal re-checks too.
    let enter = tx.clone();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            if line.is_err() || enter.send(Wake::Enter).is_err() {
                break;
            }
        }
    });
    // notify (inotify on Linux) reports what happens under exercises/. Only
    // writes, creations and renames count: an editor that saves by writing
    // a new file and renaming it over the old one shows up as a create or a
    // rename of the same path. Reads do not count (the compiler and the
    // tests read the sources on every check, which would check again
    // forever).
    let saved = tx;
    let watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(event) = res else { return };
        if is_a_save(&event.kind) {
            let _ = saved.send(Wake::Saved(event.paths));
        }
    });
    let mut watcher = match watcher {
        Ok(w) => w,
        Err(e) => return crate::util::fail(&format!("cannot watch files: {e}")),
    };
    let watched = root.join("exercises");
    if let Err(e) = watcher.watch(&watched, RecursiveMode::Recursive) {
        return crate::util::fail(&format!("cannot watch {}: {e}", watched.display()));
    }
    let paint = Paint::stdout();
    let mut focus = fixed.clone();
    loop {
        focus = check_once(root, &chapters, &scope, focus, fixed.is_some(), paint);
        println!(
            "\n{}",
            paint.bold(
                "Watching exercises/: save a file to check again, press Enter to check now, \
                 Ctrl-C to quit."
            )
        );
        loop {
            match rx.recv() {
                Ok(Wake::Enter) => break,
                Ok(Wake::Saved(mut paths)) => {
                    // One save is several events (write, close, rename):
                    // take them all, until 300 ms pass without one.
                    while let Ok(w) = rx.recv_timeout(DEBOUNCE) {
                        if let Wake::Saved(more) = w {
                            paths.extend(more);
                        }
                    }
                    let relevant: Vec<&PathBuf> = paths
                        .iter()
                        .filter(|p| {
                            !p.components().any(|c| c.as_os_str() == "target")
                                && p.extension()
                                    .is_some_and(|x| x == "rs" || x == "toml" || x == "py")
                        })
                        .collect();
                    if relevant.is_empty() {
                        continue;
                    }
                    // Follow the exercise whose file was saved last.
                    if fixed.is_none() {
                        if let Some(f) = relevant
                            .iter()
                            .rev()
                            .find_map(|p| exercise_of_path(root, &chapters, p))
                            .filter(|(c, _)| scope.iter().any(|s| s.chapter == *c))
                        {
                            focus = Some(f);
                        }
                    }
                    break;
                }
                Err(_) => return ExitCode::SUCCESS,
            }
        }
        println!("\n{}", "-".repeat(60));
    }
}

/// Checks the exercise in focus (or the first unfinished one in `scope`),
/// says whether it passes and which comes next, and returns the exercise to
/// follow from now on.
fn check_once(
    root: &Path,
    chapters: &[chapters::Chapter],
    scope: &[Selection],
    focus: Option<(usize, String)>,
    fixed: bool,
    paint: Paint,
) -> Option<(usize, String)> {
    let stamp = jiff::Zoned::now().strftime("%H:%M:%S").to_string();
    let mut order: Vec<usize> = Vec::new();
    if let Some((c, _)) = &focus {
        order.push(*c);
    }
    for s in scope {
        if !order.contains(&s.chapter) {
            order.push(s.chapter);
        }
    }
    for ci in order {
        let ch = &chapters[ci];
        println!("{}", paint.bold(&format!("[{stamp}] checking {}", ch.name)));
        let sel = Selection {
            chapter: ci,
            exercise: None,
        };
        let checked = check::run_selection(root, chapters, std::slice::from_ref(&sel), false);
        let wanted = focus
            .as_ref()
            .filter(|(c, _)| *c == ci)
            .map(|(_, e)| e.clone());
        let next = check::next_unfinished(&checked).map(|(_, e)| e.to_string());
        let Some(ex) = wanted.clone().or_else(|| next.clone()) else {
            continue; // every exercise of this chapter passes
        };
        let run = checked[0].run.clone();
        let one = check::Checked {
            chapter: ch,
            exercise: Some(ex.clone()),
            run,
        };
        let done = one.exercises().first().is_some_and(|e| e.done());
        let e = ch.exercise(&ex).expect("listed");
        if done {
            match next.as_deref().and_then(|n| ch.exercise(n)) {
                Some(n) => println!(
                    "{}",
                    paint.green(&format!(
                        "✔ {} passes — next: {} ({}, in {})",
                        e.name,
                        n.name,
                        n.title,
                        ch.exercise_file(n).display()
                    ))
                ),
                None => println!(
                    "{}",
                    paint.green(&format!(
                        "✔ {} passes — every exercise of {} is done",
                        e.name, ch.name
                    ))
                ),
            }
            if fixed {
                println!(
                    "(watching {}::{} only; `cargo workbook watch {}` follows the whole chapter)",
                    ch.name, e.name, ch.name
                );
                return focus;
            }
            return next.map(|n| (ci, n));
        }
        check::print_text(&one, paint);
        println!(
            "\nNow working on: {} — {} ({})",
            e.name,
            e.title,
            ch.exercise_file(e).display()
        );
        println!("Stuck? cargo workbook hint {}::{}", ch.name, e.name);
        return Some((ci, ex));
    }
    println!("{}", paint.green("Every exercise here is done. Well done!"));
    None
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_stub_names_its_exercise() {
        let ch = chapters::parse_manifest(
            "name = \"pipes\"\ntitle = \"Pipes\"\nbook = \"pipes/index.md\"\n\
             [[exercise]]\nname = \"ex1_eof\"\ntitle = \"t\"\n\
             [[exercise]]\nname = \"ex2_capture\"\ntitle = \"t\"\n",
            "02-pipes",
        )
        .unwrap();
        let chs = [ch];
        let root = Path::new("/w");
        assert_eq!(
            exercise_of_path(
                root,
                &chs,
                Path::new("/w/exercises/02-pipes/src/ex2_capture.rs")
            ),
            Some((0, "ex2_capture".to_string()))
        );
        assert_eq!(
            exercise_of_path(root, &chs, Path::new("/w/exercises/02-pipes/src/given.rs")),
            None
        );
        assert_eq!(
            exercise_of_path(root, &chs, Path::new("/elsewhere/ex1_eof.rs")),
            None
        );
    }

    #[test]
    fn reading_a_file_is_not_saving_it() {
        use notify::event::{CreateKind, DataChange, RenameMode};
        assert!(is_a_save(&EventKind::Modify(ModifyKind::Data(
            DataChange::Content
        ))));
        assert!(is_a_save(&EventKind::Modify(ModifyKind::Name(
            RenameMode::To
        ))));
        assert!(is_a_save(&EventKind::Create(CreateKind::File)));
        assert!(is_a_save(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(!is_a_save(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_a_save(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!is_a_save(&EventKind::Access(AccessKind::Read)));
    }
}
