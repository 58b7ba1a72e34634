//! Results for people (text, coloured on a terminal) and for machines
//! (JSON and JUnit XML, for autograders and CI).

use std::io::IsTerminal;

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

/// Escapes text for XML content and attributes, dropping characters XML
/// cannot hold at all.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML: one `<testsuite>` per suite (chapter or step), one
/// `<testcase>` per case.
pub fn junit(cases: &[Case], name: &str) -> String {
    let mut suites: Vec<&str> = Vec::new();
    for c in cases {
        if !suites.contains(&c.suite.as_str()) {
            suites.push(&c.suite);
        }
    }
    let count = |cs: &[&Case], o: Outcome| cs.iter().filter(|c| c.outcome == o).count();
    let all: Vec<&Case> = cases.iter().collect();
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str(&format!(
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n",
        xml_escape(name),
        all.len(),
        count(&all, Outcome::Fail),
        count(&all, Outcome::Skip)
    ));
    for s in suites {
        let cs: Vec<&Case> = cases.iter().filter(|c| c.suite == s).collect();
        x.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n",
            xml_escape(s),
            cs.len(),
            count(&cs, Outcome::Fail),
            count(&cs, Outcome::Skip)
        ));
        for c in cs {
            let open = format!(
                "    <testcase classname=\"{}\" name=\"{}\"",
                xml_escape(&format!("{}.{}", c.suite, c.group)),
                xml_escape(&c.name)
            );
            match c.outcome {
                Outcome::Pass => x.push_str(&format!("{open}/>\n")),
                Outcome::Fail | Outcome::Skip => {
                    let tag = if c.outcome == Outcome::Fail {
                        "failure"
                    } else {
                        "skipped"
                    };
                    let first = c.message.lines().next().unwrap_or("");
                    x.push_str(&format!(
                        "{open}>\n      <{tag} message=\"{}\">{}</{tag}>\n    </testcase>\n",
                        xml_escape(first),
                        xml_escape(&c.message)
                    ));
                }
            }
        }
        x.push_str("  </testsuite>\n");
    }
    x.push_str("</testsuites>\n");
    x
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
            x.contains("<testsuites name=\"workbook\" tests=\"3\" failures=\"1\" skipped=\"1\">")
        );
        assert!(
            x.contains("<testsuite name=\"processes\" tests=\"2\" failures=\"1\" skipped=\"0\">")
        );
        assert!(x.contains("name=\"reaps &lt;child&gt; &amp; &quot;more&quot;\""));
        assert!(x.contains("<failure message=\"Expected: 1 &lt; 2\">"));
        assert!(x.contains("&#10;     Got: \u{FFFD}[31m&apos;x&apos;</failure>"));
        assert!(x.contains("<skipped message=\"python3 is not installed\">"));
        assert!(!x.contains('\u{1b}'));
        // Every opened element is closed.
        assert_eq!(
            x.matches("<testsuite ").count(),
            x.matches("</testsuite>").count()
        );
        assert_eq!(x.matches("<testcase ").count(), 3);
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
