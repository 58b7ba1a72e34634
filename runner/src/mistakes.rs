//! `mistakes [chapter]`: every planted mistake is caught (invariant 2).
//!
//! Each `[[mistake]]` of a chapter's `chapter.toml` is a feature of the
//! solution crate that swaps one module for a realistic wrong answer. This
//! command builds the chapter's tests once per mistake (and per feature
//! set), runs only the tests the manifest names, and checks that each of
//! them fails with the message it names. One build per mistake makes it the
//! slowest check after mutation testing, so it is a command of its own, run
//! by CI after `verify`; its last result per chapter is kept in
//! `<target>/workbook/mistakes.json`, where `verify`'s summary shows it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::{Deserialize, Serialize};

use crate::cargo_test::{self, Status};
use crate::chapters::{self, Chapter};
use crate::report::{self, Outcome};
use crate::util::{fail, load_records, now_utc, record_file, save_record};
use crate::verify::{self, Verifier};

/// One chapter's last `mistakes` run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub caught: usize,
    /// The mistakes that got through (or did not build).
    pub missed: Vec<String>,
    /// Seconds the chapter took.
    pub seconds: f64,
    /// When it ran (UTC, `YYYY-MM-DD HH:MM UTC`).
    pub when: String,
}

impl Record {
    /// `13 of 13 caught (41 s, on 2026-11-29 03:10 UTC)`, and the missed.
    pub fn line(&self) -> String {
        let total = self.caught + self.missed.len();
        let mut line = format!(
            "{} of {total} caught ({:.0} s, on {})",
            self.caught, self.seconds, self.when
        );
        if !self.missed.is_empty() {
            line.push_str(&format!("; missed: {}", self.missed.join(", ")));
        }
        line
    }
}

/// `<target>/workbook/mistakes.json`.
pub fn records_file(root: &Path) -> PathBuf {
    record_file(root, "mistakes.json")
}

/// Lines for `verify`'s summary: one per chapter, its last recorded run.
pub fn summary_lines(root: &Path, chapters: &[&Chapter]) -> Vec<String> {
    let records: std::collections::BTreeMap<String, Record> = load_records(&records_file(root));
    chapters
        .iter()
        .map(|ch| match records.get(&ch.name) {
            _ if ch.mistakes.is_empty() => format!("{}: no planted mistakes", ch.name),
            Some(r) => format!("{}: {}", ch.name, r.line()),
            None => format!(
                "{}: not run yet: cargo workbook mistakes {}",
                ch.name, ch.name
            ),
        })
        .collect()
}

pub fn cmd_mistakes(root: &Path, args: &[String]) -> ExitCode {
    let usage = "usage: cargo workbook mistakes [chapter] [--format text|json|junit]";
    let (format, chapter) = match verify::suite_args(args, usage) {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    let all = match chapters::discover(root) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let chosen = match verify::choose(&all, chapter.as_ref()) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    if !root.join("solutions").is_dir() {
        return fail(
            "the planted mistakes live in the reference solutions, and this copy of the \
             workbook has none (a student copy made by `cargo workbook lab export`).",
        );
    }
    let chosen: Vec<&Chapter> = chosen
        .into_iter()
        .filter(|ch| root.join(ch.solution_dir()).is_dir())
        .collect();
    let mut v = Verifier::start(format);
    let units: Vec<cargo_test::Unit> = chosen
        .iter()
        .flat_map(|ch| {
            ch.mistakes.iter().flat_map(|m| {
                let feature = format!("mistake-{}", m.name);
                verify::chapter_units(ch, ch.solution_package(), Some(&feature))
            })
        })
        .collect();
    v.bar.set_length(units.len() as u64);
    let pipeline = cargo_test::Pipeline::start(root, units);
    let title = "1. every planted mistake is caught by the tests its manifest names";
    v.step(title);
    let mut records = Vec::new();
    for ch in &chosen {
        let started = std::time::Instant::now();
        let mut record = check_chapter(&mut v, ch, &pipeline);
        record.seconds = started.elapsed().as_secs_f64();
        record.when = now_utc();
        records.push((ch.name.clone(), record));
    }
    v.last_step("2. nothing left behind");
    let mut saved = Vec::new();
    for (name, record) in records {
        if let Err(e) = save_record(&records_file(root), &name, record) {
            saved.push(format!("not recorded: {e}"));
        }
    }
    if saved.is_empty() {
        saved.push(format!(
            "(recorded in {}, for verify's summary)",
            records_file(root).display()
        ));
    }
    v.finish("mistakes", &[(String::new(), saved)])
}

/// Runs each of the chapter's mistakes and adds a case per catching test.
fn check_chapter(v: &mut Verifier, ch: &Chapter, pipeline: &cargo_test::Pipeline) -> Record {
    let mut record = Record::default();
    for m in &ch.mistakes {
        let feature = format!("mistake-{}", m.name);
        v.bar
            .set_message(format!("mistakes — {}: {}", ch.name, m.name));
        let run = cargo_test::run_chapter_prebuilt(
            pipeline,
            ch,
            &ch.solution_package(),
            Some(&feature),
            &m.caught_by,
        );
        v.bar
            .inc(cargo_test::feature_sets(ch, Some(&feature)).len() as u64);
        let subject = format!("{}: mistake {}", ch.name, m.name);
        let failures_before = failures(v);
        judge(v, &subject, m, &run);
        if failures(v) == failures_before {
            record.caught += 1;
        } else {
            record.missed.push(m.name.clone());
        }
    }
    record
}

fn failures(v: &Verifier) -> usize {
    v.cases()
        .iter()
        .filter(|c| c.outcome == Outcome::Fail)
        .count()
}

/// The cases for one mistake's run: it built, and every test it names
/// failed with the message it names.
fn judge(v: &mut Verifier, subject: &str, m: &chapters::Mistake, run: &cargo_test::Run) {
    if let Some(p) = &run.problem {
        v.case(subject, "builds and runs", Outcome::Fail, p.clone());
        if run.tests.is_empty() {
            return;
        }
    }
    if m.caught_by.is_empty() {
        v.case(
            subject,
            "names the tests that catch it",
            Outcome::Fail,
            "caught_by is empty",
        );
    }
    for t in &m.caught_by {
        let name = format!("caught by {t}");
        match run.get(t) {
            None => v.case(
                subject,
                &name,
                Outcome::Fail,
                format!("no test named {t} ran (is the name right?)"),
            ),
            Some(r) if r.status != Status::Failed => v.case(
                subject,
                &name,
                Outcome::Fail,
                format!("{t} passed with the mistake in place: the test does not catch it"),
            ),
            Some(r) if !r.message.contains(&m.message_contains) => v.case(
                subject,
                &name,
                Outcome::Fail,
                format!(
                    "{t} failed, but its message does not contain {:?}:\n{}",
                    m.message_contains,
                    report::indent(&r.message, 2)
                ),
            ),
            Some(_) => v.case(subject, &name, Outcome::Pass, ""),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_says_what_got_through() {
        let r = Record {
            caught: 11,
            missed: vec!["round-robin".into()],
            seconds: 40.6,
            when: "2026-11-29 03:10 UTC".into(),
        };
        assert_eq!(
            r.line(),
            "11 of 12 caught (41 s, on 2026-11-29 03:10 UTC); missed: round-robin"
        );
    }

    #[test]
    fn records_round_trip_through_their_file() {
        let dir = std::env::temp_dir().join(format!("workbook-mistakes-{}", std::process::id()));
        let path = dir.join("mistakes.json");
        let r = Record {
            caught: 3,
            ..Record::default()
        };
        save_record(&path, "pipes", r.clone()).unwrap();
        save_record(&path, "threads", Record::default()).unwrap();
        let back: std::collections::BTreeMap<String, Record> = load_records(&path);
        assert_eq!(back["pipes"], r);
        assert_eq!(back.len(), 2);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
