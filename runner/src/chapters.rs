//! Finding the workspace root and the chapters in it (`exercises/*/chapter.toml`).

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// One chapter, as its manifest describes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chapter {
    /// What students type: `cargo workbook check processes`.
    pub name: String,
    pub title: String,
    /// The chapter's page, relative to `book/src` (`processes/index.md`).
    pub book: String,
    /// Extra builds of the tests, one per feature set (`[["model"]]`); the
    /// tests always run once without features as well.
    #[serde(default)]
    pub feature_runs: Vec<Vec<String>>,
    #[serde(default, rename = "exercise")]
    pub exercises: Vec<Exercise>,
    #[serde(default, rename = "mistake")]
    pub mistakes: Vec<Mistake>,
    /// The folder name, `01-processes` (not in the file).
    #[serde(skip)]
    pub folder: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// The module name: `src/<name>.rs`, tests `<name>::...`.
    pub name: String,
    pub title: String,
    #[serde(default)]
    pub hints: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mistake {
    /// Feature `mistake-<name>`, file `mistakes/<name>.rs`.
    pub name: String,
    pub exercise: String,
    pub caught_by: Vec<String>,
    pub message_contains: String,
}

impl Chapter {
    pub fn exercise_package(&self) -> String {
        format!("{}-exercise", self.name)
    }
    pub fn solution_package(&self) -> String {
        format!("{}-solution", self.name)
    }
    /// `exercises/01-processes` (relative to the root).
    pub fn exercise_dir(&self) -> PathBuf {
        Path::new("exercises").join(&self.folder)
    }
    /// `solutions/01-processes` (relative to the root).
    pub fn solution_dir(&self) -> PathBuf {
        Path::new("solutions").join(&self.folder)
    }
    /// `exercises/01-processes/src/ex2_fork.rs` (relative to the root).
    pub fn exercise_file(&self, ex: &Exercise) -> PathBuf {
        self.exercise_dir()
            .join("src")
            .join(format!("{}.rs", ex.name))
    }
    /// The exercises page of the chapter, relative to `book/src`
    /// (`processes/exercises.md`, beside the chapter's page).
    pub fn exercises_page(&self) -> String {
        match self.book.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/exercises.md"),
            None => "exercises.md".to_string(),
        }
    }
    pub fn exercise(&self, name: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.name == name)
    }
}

/// The directory holding the workspace's Cargo.toml: the first one with a
/// `[workspace]` table, walking up from `start`.
pub fn find_root(start: &Path) -> Result<PathBuf, String> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        let manifest = d.join("Cargo.toml");
        if let Ok(text) = fs::read_to_string(&manifest) {
            if is_workspace_manifest(&text) {
                return Ok(d.to_path_buf());
            }
        }
        dir = d.parent();
    }
    Err(format!(
        "no workspace found: none of {} and its parent folders has a Cargo.toml with a [workspace] table.\n\
         Run `cargo workbook` from inside the workbook's folder.",
        start.display()
    ))
}

fn is_workspace_manifest(text: &str) -> bool {
    toml::from_str::<toml::Table>(text).is_ok_and(|t| t.contains_key("workspace"))
}

/// Parses one manifest; `folder` is the chapter's folder name.
pub fn parse_manifest(text: &str, folder: &str) -> Result<Chapter, String> {
    let mut ch: Chapter = toml::from_str(text).map_err(|e| e.to_string())?;
    ch.folder = folder.to_string();
    let mut seen = std::collections::HashSet::new();
    for ex in &ch.exercises {
        if !seen.insert(ex.name.as_str()) {
            return Err(format!("exercise `{}` is listed twice", ex.name));
        }
    }
    for m in &ch.mistakes {
        if ch.exercise(&m.exercise).is_none() {
            return Err(format!(
                "mistake `{}` names exercise `{}`, which the manifest does not list",
                m.name, m.exercise
            ));
        }
    }
    Ok(ch)
}

/// Every chapter under `root/exercises`, sorted by folder name. Folders
/// without a `chapter.toml` are skipped; a manifest that does not parse is
/// an error naming the file.
pub fn discover(root: &Path) -> Result<Vec<Chapter>, String> {
    let dir = root.join("exercises");
    let entries = fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut folders: Vec<String> = entries
        .flatten()
        .filter(|e| e.path().join("chapter.toml").is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    folders.sort();
    let mut chapters = Vec::new();
    for folder in folders {
        let path = dir.join(&folder).join("chapter.toml");
        let text = fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let ch = parse_manifest(&text, &folder).map_err(|e| format!("{}: {e}", path.display()))?;
        chapters.push(ch);
    }
    // The MPI chapter only where Open MPI is installed (see mpi.rs).
    chapters.retain(|c| crate::mpi::keep(root, c));
    Ok(chapters)
}

/// What `check` was asked to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Index into the chapter list.
    pub chapter: usize,
    /// One exercise of that chapter, or all of them.
    pub exercise: Option<String>,
}

impl Selection {
    /// The libtest filter for this selection (`ex2_fork::`), if any.
    pub fn filter(&self) -> Option<String> {
        self.exercise.as_ref().map(|e| format!("{e}::"))
    }
}

/// Resolves `chapter`, `chapter::exercise` or `exercise` (no argument: every
/// chapter).
pub fn select(chapters: &[Chapter], what: Option<&str>) -> Result<Vec<Selection>, String> {
    let Some(what) = what else {
        return Ok((0..chapters.len())
            .map(|chapter| Selection {
                chapter,
                exercise: None,
            })
            .collect());
    };
    if let Some(i) = chapters
        .iter()
        .position(|c| c.name == what || c.folder == what)
    {
        return Ok(vec![Selection {
            chapter: i,
            exercise: None,
        }]);
    }
    if let Some((c, e)) = what.split_once("::") {
        if let Some(i) = chapters.iter().position(|ch| ch.name == c) {
            if chapters[i].exercise(e).is_some() {
                return Ok(vec![Selection {
                    chapter: i,
                    exercise: Some(e.to_string()),
                }]);
            }
            return Err(format!(
                "chapter `{c}` has no exercise `{e}`; its exercises are: {}",
                chapters[i]
                    .exercises
                    .iter()
                    .map(|e| e.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    let found: Vec<Selection> = chapters
        .iter()
        .enumerate()
        .filter(|(_, c)| c.exercise(what).is_some())
        .map(|(chapter, _)| Selection {
            chapter,
            exercise: Some(what.to_string()),
        })
        .collect();
    if found.is_empty() {
        // A prefix (`ex5`, `ex2_f`): the exercises whose name starts so.
        let matching: Vec<(usize, &Exercise)> = chapters
            .iter()
            .enumerate()
            .flat_map(|(i, c)| c.exercises.iter().map(move |e| (i, e)))
            .filter(|(_, e)| e.name.starts_with(what))
            .collect();
        match matching.as_slice() {
            [] => {}
            [(chapter, e)] => {
                return Ok(vec![Selection {
                    chapter: *chapter,
                    exercise: Some(e.name.clone()),
                }]);
            }
            many => {
                return Err(format!(
                    "`{what}` matches several exercises; say which:\n{}",
                    many.iter()
                        .map(|(i, e)| format!("  {}::{}  — {}", chapters[*i].name, e.name, e.title))
                        .collect::<Vec<_>>()
                        .join("\n")
                ));
            }
        }
    }
    match found.len() {
        1 => Ok(found),
        0 => Err(format!(
            "`{what}` is neither a chapter nor an exercise.\nChapters: {}\n\
             (An exercise is named like `ex2_fork`, or `processes::ex2_fork`.)",
            chapters
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        _ => Err(format!(
            "several chapters have an exercise `{what}`; say which: {}",
            found
                .iter()
                .map(|s| format!("{}::{what}", chapters[s.chapter].name))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The one exercise `what` names (`ex2_fork` or `processes::ex2_fork`), with
/// its chapter, for the commands that work on a single exercise (`hint`,
/// `reset`). `whole_chapter` is the error when `what` names a chapter.
pub fn find_exercise(
    root: &Path,
    what: &str,
    whole_chapter: &str,
) -> Result<(Chapter, Exercise), String> {
    let mut chapters = discover(root)?;
    let sel = select(&chapters, Some(what))?;
    let Some(ex_name) = sel[0].exercise.as_deref() else {
        return Err(whole_chapter.to_string());
    };
    let ch = chapters.swap_remove(sel[0].chapter);
    let ex = ch
        .exercise(ex_name)
        .expect("select only returns listed exercises")
        .clone();
    Ok((ch, ex))
}

/// The exercise a test belongs to: `ex2_fork::child_runs` → `ex2_fork`.
pub fn exercise_of(test: &str) -> &str {
    test.split_once("::").map_or(test, |(e, _)| e)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"
name = "processes"
title = "Processes"
book = "processes/index.md"
feature_runs = [["model"]]

[[exercise]]
name = "ex1_start"
title = "Start a child"
hints = ["one", "two"]

[[exercise]]
name = "ex2_wait"
title = "Wait"

[[mistake]]
name = "forgets-to-reap"
exercise = "ex2_wait"
caught_by = ["ex2_wait::no_zombie"]
message_contains = "zombie"
"#;

    fn chapters() -> Vec<Chapter> {
        vec![
            parse_manifest(MANIFEST, "01-processes").unwrap(),
            parse_manifest(
                "name = \"pipes\"\ntitle = \"Pipes\"\nbook = \"pipes/index.md\"\n[[exercise]]\nname = \"ex1_start\"\ntitle = \"t\"\n[[exercise]]\nname = \"ex2_pipe\"\ntitle = \"t\"\n",
                "02-pipes",
            )
            .unwrap(),
        ]
    }

    #[test]
    fn parses_the_manifest_format_of_architecture_md() {
        let ch = &chapters()[0];
        assert_eq!(ch.name, "processes");
        assert_eq!(ch.folder, "01-processes");
        assert_eq!(ch.feature_runs, vec![vec!["model".to_string()]]);
        assert_eq!(ch.exercises.len(), 2);
        assert_eq!(ch.exercises[0].hints, vec!["one", "two"]);
        assert!(ch.exercises[1].hints.is_empty());
        assert_eq!(ch.mistakes[0].caught_by, vec!["ex2_wait::no_zombie"]);
        assert_eq!(ch.exercise_package(), "processes-exercise");
        assert_eq!(ch.exercises_page(), "processes/exercises.md");
        assert_eq!(
            ch.exercise_file(&ch.exercises[0]),
            Path::new("exercises/01-processes/src/ex1_start.rs")
        );
    }

    #[test]
    fn rejects_unknown_fields_and_dangling_mistakes() {
        let bad = MANIFEST.replace("hints =", "hintz =");
        assert!(parse_manifest(&bad, "x").unwrap_err().contains("hintz"));
        let bad = MANIFEST.replace("exercise = \"ex2_wait\"", "exercise = \"ex9\"");
        assert!(parse_manifest(&bad, "x").unwrap_err().contains("ex9"));
    }

    #[test]
    fn selects_chapters_and_exercises() {
        let chs = chapters();
        assert_eq!(select(&chs, None).unwrap().len(), 2);
        let s = select(&chs, Some("pipes")).unwrap();
        assert_eq!(
            s,
            vec![Selection {
                chapter: 1,
                exercise: None
            }]
        );
        let s = select(&chs, Some("ex2_wait")).unwrap();
        assert_eq!(s[0].chapter, 0);
        assert_eq!(s[0].filter().as_deref(), Some("ex2_wait::"));
        let s = select(&chs, Some("pipes::ex1_start")).unwrap();
        assert_eq!(s[0].chapter, 1);
        assert!(
            select(&chs, Some("ex1_start"))
                .unwrap_err()
                .contains("processes::ex1_start")
        );
        assert!(select(&chs, Some("nope")).unwrap_err().contains("neither"));
        // A prefix: one match is chosen, several are listed.
        let s = select(&chs, Some("ex2_w")).unwrap();
        assert_eq!(s[0].exercise.as_deref(), Some("ex2_wait"));
        let many = select(&chs, Some("ex1")).unwrap_err();
        assert!(
            many.contains("processes::ex1_start") && many.contains("pipes::ex1_start"),
            "{many}"
        );
        assert!(
            select(&chs, Some("pipes::ex9"))
                .unwrap_err()
                .contains("ex2_pipe")
        );
    }

    #[test]
    fn recognises_a_workspace_manifest() {
        assert!(is_workspace_manifest("[workspace]\nmembers = []\n"));
        assert!(!is_workspace_manifest("[package]\nname = \"x\"\n"));
        assert_eq!(exercise_of("ex1_start::a::b"), "ex1_start");
    }
}
