//! `book`: build the mdBook, check its includes, and serve it on loopback.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use crate::util::{fail, files_under};

/// Builds `book/` into `book/html`.
///
/// The build reads a staged copy, not the tree itself: the student edits the
/// exercise stubs that the exercise pages include, and the pages must keep
/// showing the original stubs. So `book/` and every file its pages include
/// are copied to a temporary folder, the stubs (`exercises/*/src/*`) as git
/// has them at `HEAD` (the working tree's copy when there is no git or the
/// file is not committed), and mdBook builds that copy into `book/html`.
pub fn build(root: &Path) -> Result<PathBuf, String> {
    let staging = std::env::temp_dir().join(format!("workbook-book-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    let built = stage(root, &staging).and_then(|()| {
        let mut book =
            mdbook_driver::MDBook::load(staging.join("book")).map_err(|e| format!("{e:#}"))?;
        book.config.build.build_dir = root.join("book").join("html");
        book.build().map_err(|e| format!("{e:#}"))
    });
    let _ = fs::remove_dir_all(&staging);
    built?;
    Ok(root.join("book").join("html").join("index.html"))
}

/// Copies `book/` (without its output) and every included file to `to`,
/// keeping their paths relative to the root.
fn stage(root: &Path, to: &Path) -> Result<(), String> {
    let book = root.join("book");
    let copy_err = |p: &Path, e: std::io::Error| format!("cannot stage {}: {e}", p.display());
    for file in files_under(&book, &|p| !p.starts_with(book.join("html"))) {
        let rel = file.strip_prefix(root).unwrap_or(&file);
        let dest = to.join(rel);
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir).map_err(|e| copy_err(dir, e))?;
        }
        fs::copy(&file, &dest).map_err(|e| copy_err(&file, e))?;
    }
    for (inc, _) in check_includes(root) {
        let page_dir = inc.page.parent().unwrap_or(root);
        let Some(rel) = normalize(page_dir.strip_prefix(root).unwrap_or(page_dir), &inc.path)
        else {
            continue;
        };
        let dest = to.join(&rel);
        if dest.exists() {
            continue;
        }
        let bytes = if is_stub(&rel) {
            committed(root, &rel)
        } else {
            None
        };
        let Some(bytes) = bytes.or_else(|| fs::read(root.join(&rel)).ok()) else {
            continue; // mdBook reports the missing file itself
        };
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir).map_err(|e| copy_err(dir, e))?;
        }
        fs::write(&dest, bytes).map_err(|e| copy_err(&dest, e))?;
    }
    inline_anchors(&to.join("book").join("src"))
}

/// Replaces each `{{#include path:anchor}}` in the staged pages with the
/// anchored lines themselves, their common indentation removed: an excerpt
/// from inside a function would otherwise start four or eight columns to the
/// right and scroll sideways sooner. Anything else is left to mdBook.
fn inline_anchors(staged_src: &Path) -> Result<(), String> {
    const OPEN: &str = "{{#include ";
    for page in files_under(staged_src, &|p| p.extension().is_some_and(|x| x == "md")) {
        let text = fs::read_to_string(&page).map_err(|e| format!("{}: {e}", page.display()))?;
        let dir = page.parent().unwrap_or(staged_src);
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(i) = rest.find(OPEN) {
            let Some(len) = rest[i..].find("}}") else {
                break;
            };
            let directive = &rest[i..i + len + 2];
            let escaped = i > 0 && rest.as_bytes()[i - 1] == b'\\';
            let arg = directive[OPEN.len()..directive.len() - 2].trim();
            out.push_str(&rest[..i]);
            match (!escaped).then(|| anchored(dir, arg)).flatten() {
                Some(lines) => out.push_str(&lines),
                None => out.push_str(directive),
            }
            rest = &rest[i + len + 2..];
        }
        out.push_str(rest);
        if out != text {
            fs::write(&page, out).map_err(|e| format!("{}: {e}", page.display()))?;
        }
    }
    Ok(())
}

/// The lines of `path:anchor` (relative to `dir`), dedented; `None` when the
/// argument has no named anchor or the anchor is not there.
fn anchored(dir: &Path, arg: &str) -> Option<String> {
    let (path, anchor) = arg.split_once(':')?;
    if anchor.is_empty() || anchor.contains(':') || anchor.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let text = fs::read_to_string(dir.join(path)).ok()?;
    Some(dedent(&anchor_lines(&text, anchor)?))
}

/// Whether `line` has `marker` (`ANCHOR:` or `ANCHOR_END:`) followed by `name`.
fn has_marker(line: &str, marker: &str, name: &str) -> bool {
    line.split(marker).nth(1).is_some_and(|r| {
        r.trim_start()
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .next()
            == Some(name)
    })
}

/// The lines between `ANCHOR: name` and `ANCHOR_END: name`, without the
/// lines of other anchors' markers (what mdBook shows).
fn anchor_lines<'a>(text: &'a str, name: &str) -> Option<Vec<&'a str>> {
    let mut lines = text.lines();
    lines.by_ref().find(|l| has_marker(l, "ANCHOR:", name))?;
    let mut out = Vec::new();
    for line in lines {
        if has_marker(line, "ANCHOR_END:", name) {
            return Some(out);
        }
        if !line.contains("ANCHOR:") && !line.contains("ANCHOR_END:") {
            out.push(line);
        }
    }
    None
}

/// `lines` joined, with the indentation they all share removed.
fn dedent(lines: &[&str]) -> String {
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let cut: Vec<&str> = lines
        .iter()
        .map(|l| l.get(indent..).unwrap_or(""))
        .collect();
    cut.join("\n")
}

/// `dir/path` with `.` and `..` resolved, as a path relative to the root;
/// `None` if it leaves the root.
fn normalize(dir: &Path, path: &str) -> Option<PathBuf> {
    let joined = dir.join(path);
    let mut out: Vec<&std::ffi::OsStr> = Vec::new();
    for comp in joined.components() {
        match comp {
            Component::Normal(c) => out.push(c),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop()?;
            }
            _ => return None,
        }
    }
    Some(out.iter().collect())
}

/// Whether `rel` is an exercise stub, a file the student edits.
fn is_stub(rel: &Path) -> bool {
    let parts: Vec<_> = rel.components().collect();
    parts.len() >= 4
        && parts[0] == Component::Normal("exercises".as_ref())
        && parts[2] == Component::Normal("src".as_ref())
}

/// The file as committed at `HEAD`, if git knows it.
fn committed(root: &Path, rel: &Path) -> Option<Vec<u8>> {
    let spec = format!("HEAD:{}", rel.to_str()?);
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["show", &spec])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout)
}

/// Builds the book and says where to find it (used after the progress view).
pub fn build_and_tell(root: &Path) {
    match build(root) {
        Ok(index) => {
            println!("The book: file://{}", index.display());
            println!(
                "  or serve it: cargo workbook book --serve   (then open http://127.0.0.1:3000/)"
            );
        }
        Err(e) => println!("The book could not be built: {e}"),
    }
}

/// `cargo workbook book [--serve [PORT]]`.
pub fn cmd_book(root: &Path, args: &[String]) -> ExitCode {
    let serve = args.first().map(String::as_str) == Some("--serve");
    let port = match (serve, args.get(1)) {
        (_, None) => 3000,
        (true, Some(p)) => match p.parse::<u16>() {
            Ok(p) => p,
            Err(_) => return fail(&format!("`{p}` is not a port number")),
        },
        (false, Some(_)) => return fail("usage: cargo workbook book [--serve [PORT]]"),
    };
    if !serve && !args.is_empty() {
        return fail("usage: cargo workbook book [--serve [PORT]]");
    }
    eprintln!("building the book ...");
    match build(root) {
        Ok(index) => println!("Built: file://{}", index.display()),
        Err(e) => return fail(&format!("the book could not be built: {e}")),
    }
    if serve {
        if let Err(e) = serve_dir(&root.join("book").join("html"), port) {
            return fail(&e);
        }
    }
    ExitCode::SUCCESS
}

/// Serves `dir` on 127.0.0.1:`port` until the process is stopped.
fn serve_dir(dir: &Path, port: u16) -> Result<(), String> {
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
        format!("cannot listen on 127.0.0.1:{port}: {e} (try another port: --serve 3001)")
    })?;
    println!(
        "Serving the book at http://127.0.0.1:{port}/ (only this computer can see it). Ctrl-C stops."
    );
    for stream in listener.incoming().flatten() {
        let dir = dir.to_path_buf();
        std::thread::spawn(move || {
            let _ = answer(stream, &dir);
        });
    }
    Ok(())
}

fn answer(mut stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    let mut first = String::new();
    let mut reader = BufReader::new(stream.try_clone()?);
    reader.read_line(&mut first)?;
    // Read (and ignore) the headers, up to the blank line.
    let mut line = String::new();
    for _ in 0..100 {
        line.clear();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
    }
    let mut parts = first.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let (status, ctype, body) = if method != "GET" {
        (
            "405 Method Not Allowed",
            "text/plain",
            b"only GET\n".to_vec(),
        )
    } else {
        match resolve(dir, target) {
            None => ("403 Forbidden", "text/plain", b"forbidden\n".to_vec()),
            Some(path) => match fs::read(&path) {
                Ok(bytes) => ("200 OK", content_type(&path), bytes),
                Err(_) => ("404 Not Found", "text/plain", b"not found\n".to_vec()),
            },
        }
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)
}

/// Maps a request target to a file under `dir`; `None` for anything that
/// would leave it (`..`, absolute paths, bad escapes).
pub fn resolve(dir: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    let decoded = percent_decode(path)?;
    if !decoded.starts_with('/') {
        return None;
    }
    let mut out = dir.to_path_buf();
    for comp in Path::new(decoded.trim_start_matches('/')).components() {
        match comp {
            Component::Normal(c) => out.push(c),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if decoded.ends_with('/') || out.is_dir() {
        out.push("index.html");
    }
    Some(out)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let s = String::from_utf8(out).ok()?;
    (!s.contains('\0') && !s.contains('\\')).then_some(s)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

// ------------------------------------------------------------- includes

/// One `{{#include ...}}` found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    pub page: PathBuf,
    pub line: usize,
    /// The path as written, relative to the page's folder.
    pub path: String,
    pub anchor: Option<String>,
}

/// Finds every `{{#include}}` / `{{#rustdoc_include}}` in `text` (escaped
/// `\{{#include}}` forms are skipped).
pub fn find_includes(page: &Path, text: &str) -> Vec<Include> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut pos = 0;
        while let Some(i) = line[pos..].find("{{#") {
            let at = pos + i;
            let escaped = at > 0 && line.as_bytes()[at - 1] == b'\\';
            let after = &line[at + 3..];
            let Some(end) = after.find("}}") else { break };
            let inner = after[..end].trim();
            let (kind, arg) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
            if !escaped && (kind == "include" || kind == "rustdoc_include") {
                let arg = arg.trim();
                let (path, spec) = match arg.split_once(':') {
                    Some((p, s)) => (p, Some(s)),
                    None => (arg, None),
                };
                let anchor = spec.and_then(|s| {
                    let first = s.split(':').next().unwrap_or("");
                    let is_range = first.is_empty() || first.chars().all(|c| c.is_ascii_digit());
                    (!is_range).then(|| first.to_string())
                });
                found.push(Include {
                    page: page.to_path_buf(),
                    line: n + 1,
                    path: path.to_string(),
                    anchor,
                });
            }
            pos = at + 3 + end + 2;
        }
    }
    found
}

/// Whether `text` has `ANCHOR: name` and `ANCHOR_END: name` markers.
pub fn anchor_problem(text: &str, name: &str) -> Option<String> {
    let has = |marker: &str| text.lines().any(|l| has_marker(l, marker, name));
    match (has("ANCHOR:"), has("ANCHOR_END:")) {
        (true, true) => None,
        (false, _) => Some(format!("has no `ANCHOR: {name}`")),
        (true, false) => Some(format!("has `ANCHOR: {name}` but no `ANCHOR_END: {name}`")),
    }
}

/// Every include of every page under `book/src`, each with the problem it
/// has (`None`: fine).
pub fn check_includes(root: &Path) -> Vec<(Include, Option<String>)> {
    let mut pages = pages(root);
    pages.sort();
    let mut out = Vec::new();
    for page in pages {
        let Ok(text) = fs::read_to_string(&page) else {
            continue;
        };
        for inc in find_includes(&page, &text) {
            let target = page.parent().unwrap_or(root).join(&inc.path);
            let problem = if inc.path.is_empty() {
                Some("an include without a file name (to show the directive as text, write `\\{{#include ...}}`)".to_string())
            } else {
                match fs::read_to_string(&target) {
                    Err(e) => Some(format!("{} cannot be read: {e}", inc.path)),
                    Ok(t) => inc
                        .anchor
                        .as_ref()
                        .and_then(|a| anchor_problem(&t, a))
                        .map(|p| format!("{} {p}", inc.path)),
                }
            };
            out.push((inc, problem));
        }
    }
    out
}

/// Every page (`.md` file) under `root/book/src`, at any depth, unsorted.
pub fn pages(root: &Path) -> Vec<PathBuf> {
    files_under(&root.join("book").join("src"), &|p| {
        p.extension().is_some_and(|x| x == "md")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_include_form() {
        let text = "\
intro {{#include ../../../exercises/01-processes/src/ex1_start.rs:stub}} and
```rust
{{#rustdoc_include ../x.rs:10:20}}
{{#include ../y.py}}
{{#include ../z.rs::5}}
{{#include ../w.rs:3}}
\\{{#include not/real.rs}}
{{#title Not an include}}
```";
        let inc = find_includes(Path::new("book/src/p/index.md"), text);
        let got: Vec<(usize, &str, Option<&str>)> = inc
            .iter()
            .map(|i| (i.line, i.path.as_str(), i.anchor.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    1,
                    "../../../exercises/01-processes/src/ex1_start.rs",
                    Some("stub")
                ),
                (3, "../x.rs", None),
                (4, "../y.py", None),
                (5, "../z.rs", None),
                (6, "../w.rs", None),
            ]
        );
    }

    #[test]
    fn stubs_are_the_files_students_edit() {
        let page = Path::new("book/src/pipes");
        let rel = normalize(page, "../../../exercises/02-pipes/src/ex1_eof.rs").unwrap();
        assert_eq!(rel, PathBuf::from("exercises/02-pipes/src/ex1_eof.rs"));
        assert!(is_stub(&rel));
        let py = normalize(page, "../../../exercises/02-pipes/python/capture.py").unwrap();
        assert!(!is_stub(&py));
        let sol = normalize(page, "../../../solutions/02-pipes/src/ex1_eof.rs").unwrap();
        assert!(!is_stub(&sol));
        assert!(!is_stub(Path::new("exercises/02-pipes/src")));
        assert_eq!(normalize(page, "../../../../etc/passwd"), None);
    }

    #[test]
    fn excerpts_lose_their_common_indent() {
        let src = "fn main() {\n    // ANCHOR: body\n    let x = 1;\n\n    if x > 0 {\n        // ANCHOR: inner\n        f(x);\n        // ANCHOR_END: inner\n    }\n    // ANCHOR_END: body\n}\n";
        let body = anchor_lines(src, "body").unwrap();
        assert_eq!(dedent(&body), "let x = 1;\n\nif x > 0 {\n    f(x);\n}");
        assert_eq!(dedent(&anchor_lines(src, "inner").unwrap()), "f(x);");
        assert_eq!(anchor_lines(src, "missing"), None);
        assert_eq!(anchor_lines("// ANCHOR: open\nx\n", "open"), None);
    }

    #[test]
    fn anchors_must_open_and_close() {
        let src = "// ANCHOR: stub\nfn f() {}\n// ANCHOR_END: stub\n# ANCHOR: py_only\n";
        assert_eq!(anchor_problem(src, "stub"), None);
        assert!(
            anchor_problem(src, "stu")
                .unwrap()
                .contains("no `ANCHOR: stu`")
        );
        assert!(
            anchor_problem(src, "py_only")
                .unwrap()
                .contains("no `ANCHOR_END")
        );
    }

    #[test]
    fn the_server_refuses_to_leave_its_folder() {
        let dir = Path::new("/srv/book");
        assert_eq!(
            resolve(dir, "/ch/a.html?x=1"),
            Some(PathBuf::from("/srv/book/ch/a.html"))
        );
        assert_eq!(
            resolve(dir, "/"),
            Some(PathBuf::from("/srv/book/index.html"))
        );
        assert_eq!(
            resolve(dir, "/a%20b.css"),
            Some(PathBuf::from("/srv/book/a b.css"))
        );
        assert_eq!(resolve(dir, "/../etc/passwd"), None);
        assert_eq!(resolve(dir, "/%2e%2e/etc/passwd"), None);
        assert_eq!(resolve(dir, "/a/%2e%2e/%2e%2e/x"), None);
        assert_eq!(resolve(dir, "/..%5c..%5cx"), None);
        assert_eq!(resolve(dir, "http://evil/x"), None);
        assert_eq!(resolve(dir, "/%zz"), None);
        assert_eq!(content_type(Path::new("a.svg")), "image/svg+xml");
        assert_eq!(content_type(Path::new("f.woff2")), "font/woff2");
    }
}
