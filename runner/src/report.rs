//! Results for people (text, coloured on a terminal) and for machines
//! (JSON and JUnit XML, for autograders and CI).

use std::io::IsTerminal;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use serde_json::{Map, Value, json};

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Junit,
}

impl Format {
    pub fn parse(s: &str) -> Result<Format, String> {
        match s {
            "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            "junit" | "xml" => Ok(Format::Junit),
            _ => Err(format!("unknown format `{s}`: use text, json or junit")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Fail,
    Skip,
}

impl Outcome {
    pub fn word(self) -> &'static str {
        match self {
            Outcome::Pass => "passed",
            Outcome::Fail => "failed",
            Outcome::Skip => "skipped",
        }
    }
}

/// One result: a test (suite = chapter, group = exercise) or a verify case
/// (suite = step, group = what it is about).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub suite: String,
    pub group: String,
    pub name: String,
    pub outcome: Outcome,
    pub message: String,
}

/// The JSON key names for suite, group and name.
pub type Keys = [&'static str; 3];
pub const TEST_KEYS: Keys = ["chapter", "exercise", "test"];
pub const VERIFY_KEYS: Keys = ["step", "subject", "case"];

/// A JSON array, one object per case.
pub fn json(cases: &[Case], keys: Keys, status_words: fn(Outcome) -> &'static str) -> String {
    let list: Vec<Value> = cases
        .iter()
        .map(|c| {
            let mut o = Map::new();
            o.insert(keys[0].into(), json!(c.suite));
            o.insert(keys[1].into(), json!(c.group));
            o.insert(keys[2].into(), json!(c.name));
            o.insert("status".into(), json!(status_words(c.outcome)));
            o.insert("message".into(), json!(c.message));
            Value::Object(o)
        })
        .collect();
    serde_json::to_string_pretty(&Value::Array(list)).unwrap_or_else(|_| "[]".into())
}

/// JUnit XML (written by quick-junit, the writer cargo-nextest uses): one
/// `<testsuite>` per suite (chapter or step), one `<testcase>` per case, a
/// failure's first line as its message and the whole text as its body.
pub fn junit(cases: &[Case], name: &str) -> String {
    let mut report = Report::new(name);
    let mut suites: Vec<&str> = Vec::new();
    for c in cases {
        if !suites.contains(&c.suite.as_str()) {
            suites.push(&c.suite);
        }
    }
    for s in suites {
        let mut suite = TestSuite::new(s);
        for c in cases.iter().filter(|c| c.suite == s) {
            let first = c.message.lines().next().unwrap_or("").to_string();
            let status = match c.outcome {
                Outcome::Pass => TestCaseStatus::success(),
                Outcome::Fail => {
                    let mut st = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    st.set_message(first).set_description(c.message.as_str());
                    st
                }
                Outcome::Skip => {
                    let mut st = TestCaseStatus::skipped();
                    st.set_message(first).set_description(c.message.as_str());
                    st
                }
            };
            let mut case = TestCase::new(c.name.as_str(), status);
            case.set_classname(format!("{}.{}", c.suite, c.group));
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    report.to_string().unwrap_or_else(|e| {
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- could not write JUnit XML: {e} -->\n<testsuites/>\n")
    })
}

/// Colours for a terminal; plain text otherwise (or with `NO_COLOR`).
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    on: bool,
}

impl Paint {
    pub fn stdout() -> Paint {
        Paint {
            on: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }
    fn wrap(self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    pub fn green(self, s: &str) -> String {
        self.wrap("32", s)
    }
    pub fn red(self, s: &str) -> String {
        self.wrap("31", s)
    }
    pub fn yellow(self, s: &str) -> String {
        self.wrap("33", s)
    }
    pub fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }
}

/// `[#######.............]` for `done` of `total`.
pub fn bar(done: usize, total: usize, width: usize) -> String {
    let filled = if total == 0 {
        0
    } else {
        (done * width).div_ceil(total).min(width)
    };
    let filled = if done < total {
        filled.min(width - 1)
    } else {
        filled
    };
    format!("[{}{}]", "#".repeat(filled), ".".repeat(width - filled))
}

/// Indents every line of `text` by `n` spaces.
pub fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    text.lines()
        .map(|l| format!("{pad}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `N passed, N failed` (`, N skipped` if any).
pub fn tally(cases: &[Case]) -> String {
    let n = |o| cases.iter().filter(|c| c.outcome == o).count();
    let mut s = format!("{} passed, {} failed", n(Outcome::Pass), n(Outcome::Fail));
    if n(Outcome::Skip) > 0 {
        s.push_str(&format!(", {} skipped", n(Outcome::Skip)));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cases() -> Vec<Case> {
        vec![
            Case {
                suite: "processes".into(),
                group: "ex1_start".into(),
                name: "child_has_own_pid".into(),
                outcome: Outcome::Pass,
                message: String::new(),
            },
            Case {
                suite: "processes".into(),
                group: "ex2_wait".into(),
                name: "reaps <child> & \"more\"".into(),
                outcome: Outcome::Fail,
                message: "Expected: 1 < 2\n     Got: \u{1b}[31m'x'".into(),
            },
            Case {
                suite: "pipes".into(),
                group: "python".into(),
                name: "a.py".into(),
                outcome: Outcome::Skip,
                message: "python3 is not installed".into(),
            },
        ]
    }

    #[test]
    fn json_has_one_object_per_test() {
        let text = json(&cases(), TEST_KEYS, Outcome::word);
        let v: Value = serde_json::from_str(&text).unwrap();
        let arr = v.as_array().unwrap();
        assert_eq!(arr.len(), 3);
        assert_eq!(arr[1]["chapter"], "processes");
        assert_eq!(arr[1]["exercise"], "ex2_wait");
        assert_eq!(arr[1]["test"], "reaps <child> & \"more\"");
        assert_eq!(arr[1]["status"], "failed");
        assert!(arr[1]["message"].as_str().unwrap().contains("1 < 2"));
    }

    #[test]
    fn junit_is_escaped_and_grouped_by_suite() {
        let x = junit(&cases(), "workbook");
        assert!(
            x.contains("<testsuites name=\"workbook\" tests=\"3\" failures=\"1\""),
            "{x}"
        );
        assert!(
            x.contains("<testsuite name=\"processes\" tests=\"2\""),
            "{x}"
        );
        assert!(
            x.contains("name=\"reaps &lt;child&gt; &amp; &quot;more&quot;\""),
            "{x}"
        );
        assert!(x.contains("classname=\"processes.ex2_wait\""), "{x}");
        assert!(x.contains("<failure message=\"Expected: 1 &lt; 2\""), "{x}");
        assert!(
            x.contains("<skipped message=\"python3 is not installed\""),
            "{x}"
        );
        assert!(
            !x.contains('\u{1b}'),
            "no raw escape character may reach the XML"
        );
        assert_eq!(x.matches("<testcase ").count(), 3);
    }

    /// The XML parses (Python's own parser, where python3 is installed) and
    /// has the JUnit shape: testsuites > testsuite > testcase.
    #[test]
    fn junit_is_well_formed_xml() {
        let x = junit(&cases(), "workbook");
        let check = "import sys, xml.etree.ElementTree as E\n\
            r = E.fromstring(sys.stdin.buffer.read())\n\
            assert r.tag == 'testsuites', r.tag\n\
            cases = [c for s in r.findall('testsuite') for c in s.findall('testcase')]\n\
            assert len(cases) == 3, len(cases)\n\
            assert cases[1].find('failure').text.startswith('Expected: 1 < 2')\n";
        let child = std::process::Command::new("python3")
            .args(["-c", check])
            .stdin(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn();
        let Ok(mut child) = child else {
            eprintln!("python3 is not installed: skipping the XML parse");
            return;
        };
        use std::io::Write;
        child.stdin.take().unwrap().write_all(x.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}\n{x}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    #[test]
    fn tallies_and_bars() {
        assert_eq!(tally(&cases()), "1 passed, 1 failed, 1 skipped");
        assert_eq!(tally(&cases()[..2]), "1 passed, 1 failed");
        assert_eq!(bar(0, 3, 10), "[..........]");
        assert_eq!(bar(3, 3, 10), "[##########]");
        assert_eq!(bar(2, 3, 10), "[#######...]");
        assert_eq!(bar(0, 0, 4), "[....]");
        assert_eq!(indent("a\nb", 2), "  a\n  b");
    }
}
