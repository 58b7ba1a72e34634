//! The tests of case study 1, Listing a directory tree. Written once; they
//! run against the exercise crate (`cargo test -p tree-walk-exercise`) and
//! the solution (`cargo test -p tree-walk-solution`), both of which build
//! `tree_walk`.
//!
//! None of them measures time. Every tree lives in a temporary folder that
//! is removed when the test ends. Where a test needs two workers reading at
//! once, it meets them at a barrier; where it needs a thread asleep in
//! `pop`, it watches the thread's state in `/proc`; where it needs a folder
//! to vanish in the middle of a walk, it removes it from the walker's own
//! `on_dir` report, just before the walker reads it.

mod ex1_serial;
mod ex2_queue;
mod ex3_parallel;
mod ex4_processes;

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use support::require;
use tree_walk::given::{Listing, OnDir, byte_order, quiet};

/// A walker under test: `walk_serial`, or a parallel one with its threads
/// fixed.
pub type Walker = fn(&Path, OnDir) -> io::Result<Listing>;

/// A tree in a temporary folder (removed on drop), and what a walk of it
/// must list.
pub struct Tree {
    dir: tempfile::TempDir,
    expected: Vec<PathBuf>,
}

/// The tree most tests walk: two folders with a folder each, files, an
/// empty folder, and a file directly under the root.
pub const SMALL: &[&str] = &[
    "a/",
    "a/a1.txt",
    "a/a2.txt",
    "a/deep/",
    "a/deep/d1.txt",
    "a/deep/d2.txt",
    "a-b.txt",
    "b/",
    "b/b1.txt",
    "b/sub/",
    "top.txt",
];

impl Tree {
    /// Makes `entries` (relative paths; a folder ends in `/`) under a new
    /// temporary folder.
    pub fn new(entries: &[&str]) -> Tree {
        let dir = tempfile::Builder::new()
            .prefix("workbook-tree-")
            .tempdir()
            .expect("a temporary folder");
        let mut tree = Tree {
            expected: vec![dir.path().to_path_buf()],
            dir,
        };
        for e in entries {
            if let Some(folder) = e.strip_suffix('/') {
                tree.add_dir(folder);
            } else {
                tree.add_file(OsStr::new(e));
            }
        }
        tree
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn add_dir(&mut self, rel: &str) {
        fs::create_dir(self.path(rel)).expect("a folder in the test tree");
        self.expected.push(self.path(rel));
    }

    pub fn add_file(&mut self, rel: &OsStr) {
        fs::write(self.path(rel), b"x").expect("a file in the test tree");
        self.expected.push(self.path(rel));
    }

    /// A symbolic link at `rel` pointing to `target` (listed, never entered).
    pub fn add_link(&mut self, rel: &str, target: &str) {
        std::os::unix::fs::symlink(target, self.path(rel)).expect("a symbolic link");
        self.expected.push(self.path(rel));
    }

    /// What a walk must list, in byte order; `without` drops everything at
    /// or under these relative paths (folders that could not be read lose
    /// what is inside them, but are themselves listed by their parent).
    pub fn expected(&self, without_inside: &[&str]) -> Vec<PathBuf> {
        let mut want: Vec<PathBuf> = self
            .expected
            .iter()
            .filter(|p| {
                !without_inside
                    .iter()
                    .any(|w| p.starts_with(self.path(w)) && **p != self.path(w))
            })
            .cloned()
            .collect();
        want.sort_by(|a, b| byte_order(a, b));
        want
    }

    /// `paths` relative to the root, for messages.
    pub fn show(&self, paths: &[PathBuf]) -> String {
        let rel: Vec<String> = paths
            .iter()
            .map(|p| match p.strip_prefix(self.root()) {
                Ok(r) if r.as_os_str().is_empty() => "<root>".to_string(),
                Ok(r) => r.to_string_lossy().into_owned(),
                Err(_) => p.to_string_lossy().into_owned(),
            })
            .collect();
        format!("[{}]", rel.join(", "))
    }

    /// What `got` lists that `want` does not, and the other way round.
    pub fn difference(&self, got: &[PathBuf], want: &[PathBuf]) -> String {
        let extra: Vec<PathBuf> = got.iter().filter(|p| !want.contains(p)).cloned().collect();
        let missing: Vec<PathBuf> = want.iter().filter(|p| !got.contains(p)).cloned().collect();
        let mut twice: Vec<PathBuf> = got
            .iter()
            .filter(|p| got.iter().filter(|q| q == p).count() > 1)
            .cloned()
            .collect();
        twice.dedup();
        let mut parts = vec![format!("{} paths", got.len())];
        if !extra.is_empty() {
            parts.push(format!(
                "not expected: {}",
                self.show(&extra[..extra.len().min(8)])
            ));
        }
        if !missing.is_empty() {
            parts.push(format!("missing: {}", self.show(&missing)));
        }
        if !twice.is_empty() {
            parts.push(format!(
                "listed more than once: {}",
                self.show(&twice[..twice.len().min(8)])
            ));
        }
        if got.windows(2).any(|w| byte_order(&w[0], &w[1]).is_gt()) {
            parts.push("not in byte order".to_string());
        }
        parts.join("; ")
    }
}

/// Runs `walk` on `tree` and fails with `look_at` if it returns an error.
pub fn walk_ok(walk: Walker, root: &Path, on_dir: OnDir, look_at: &str) -> Listing {
    match walk(root, on_dir) {
        Ok(listing) => listing,
        Err(e) => support::fail(
            "the walk to finish and return its listing (errors inside the tree are \
             entries in `errors`, not a reason to stop)",
            format!("Err({e}) from the whole walk"),
            format!(
                "{look_at}: which `?` or early return gives up on the whole walk when a \
                 single folder cannot be read?"
            ),
        ),
    }
}

/// The whole small tree, nothing missing, nothing twice, no errors.
pub fn lists_the_small_tree(walk: Walker, look_at: &str) {
    let tree = Tree::new(SMALL);
    let got = walk_ok(walk, tree.root(), &quiet, look_at);
    let want = tree.expected(&[]);
    require!(got.paths == want && got.errors.is_empty(),
        expected: format!("the root and all {} entries under it, each once, in byte order, and \
                           no errors: {}", want.len() - 1, tree.show(&want)),
        got: format!("{}; errors: {:?}", tree.difference(&got.paths, &want), got.errors),
        look_at: format!("{look_at}: is every entry listed when it is found, every folder read \
                          once, and the listing sorted at the end (Listing::sort)?"));
}

/// A root that does not exist is an error of the whole walk, of kind
/// NotFound.
pub fn a_missing_root_is_an_error(walk: Walker, look_at: &str) {
    let tree = Tree::new(&[]);
    let missing = tree.path("no-such-folder");
    let got = walk(&missing, &quiet);
    require!(matches!(&got, Err(e) if e.kind() == io::ErrorKind::NotFound),
        expected: "Err(..) of kind NotFound for a root that does not exist",
        got: match &got {
            Ok(l) => format!("Ok with {} paths and errors {:?}", l.paths.len(), l.errors),
            Err(e) => format!("Err of kind {:?}: {e}", e.kind()),
        },
        look_at: format!("{look_at}: what does it do first with the root? \
                          fs::symlink_metadata(root)? fails for a missing one"));
}

/// A link back to the root: listed once, never entered.
pub fn a_symlink_loop_is_listed_once(walk: Walker, look_at: &str) {
    let mut tree = Tree::new(SMALL);
    tree.add_link("b/self", ".");
    tree.add_link("a/to-top", "../top.txt");
    tree.add_link("a/nowhere", "missing");
    let got = walk_ok(walk, tree.root(), &quiet, look_at);
    let want = tree.expected(&[]);
    require!(got.paths == want,
        expected: format!("the links b/self (-> .), a/to-top (-> ../top.txt) and a/nowhere \
                           (-> missing) listed once each, and nothing listed through them: {}",
                          tree.show(&want)),
        got: tree.difference(&got.paths, &want),
        look_at: format!("{look_at}: how does it decide to walk into an entry? Path::is_dir \
                          follows symbolic links; what does DirEntry::file_type say about a link?"));
}

/// A name that is not UTF-8 comes out as the very bytes the kernel gave.
pub fn a_non_utf8_name_is_kept(walk: Walker, look_at: &str) {
    let mut tree = Tree::new(SMALL);
    tree.add_dir("latin1");
    let name = OsStr::from_bytes(b"latin1/caf\xe9.txt");
    tree.add_file(name);
    let got = walk_ok(walk, tree.root(), &quiet, look_at);
    let want = tree.expected(&[]);
    let mut file = Vec::new();
    got.write_to(&mut file).expect("writing to a Vec");
    let mut line = tree.path(name).as_os_str().as_bytes().to_vec();
    line.push(b'\n');
    require!(got.paths == want && file.windows(line.len()).any(|w| w == line),
        expected: "the file latin1/caf\\xe9.txt (a Latin-1 name, not UTF-8) listed with its \
                   own bytes, and the rest of the tree as usual",
        got: tree.difference(&got.paths, &want),
        look_at: format!("{look_at}: does a name go through a String (to_string_lossy, \
                          to_str) on its way to the listing? A PathBuf keeps any bytes"));
}

/// Makes `folder` unreadable for this process, and gives it back on drop
/// (so that the temporary tree can be removed).
pub struct Locked(PathBuf);

impl Drop for Locked {
    fn drop(&mut self) {
        let _ = fs::set_permissions(&self.0, fs::Permissions::from_mode(0o755));
    }
}

/// Takes the read permission of `folder` away. Root reads any folder
/// whatever its permissions, and these tests run as root in the workbook's
/// sandbox; so when this process is root, it first hands the whole tree to
/// the user `nobody` (65534) and becomes `nobody` itself, for good: the
/// test runs in a process of its own, which ends with the test. Returns
/// `false` if the folder can still be read afterwards (no way to lock it
/// here; the caller then expects a full listing).
pub fn lock(tree: &Tree, folder: &str) -> (Locked, bool) {
    // SAFETY: geteuid takes nothing and cannot fail.
    if unsafe { libc::geteuid() } == 0 {
        become_nobody(tree.root());
    }
    let path = tree.path(folder);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).expect("chmod 000");
    let denied = fs::read_dir(&path).is_err();
    if !denied {
        eprintln!("note: {folder} is still readable here; the walk is expected to list it");
    }
    (Locked(path), denied)
}

fn become_nobody(root: &Path) {
    const NOBODY: u32 = 65534;
    let mut stack = vec![root.to_path_buf()];
    while let Some(p) = stack.pop() {
        std::os::unix::fs::lchown(&p, Some(NOBODY), Some(NOBODY)).expect("chown to nobody");
        if fs::symlink_metadata(&p).is_ok_and(|m| m.is_dir()) {
            for e in fs::read_dir(&p).expect("the test tree").flatten() {
                stack.push(e.path());
            }
        }
    }
    // SAFETY: plain system calls with no pointers (setgroups gets an empty
    // list); glibc applies each to every thread of the process.
    let ok = unsafe {
        libc::setgroups(0, std::ptr::null()) == 0
            && libc::setresgid(NOBODY, NOBODY, NOBODY) == 0
            && libc::setresuid(NOBODY, NOBODY, NOBODY) == 0
    };
    if !ok {
        eprintln!(
            "note: could not become nobody: {}",
            io::Error::last_os_error()
        );
    }
}

/// A folder without read permission: an error line, everything else listed.
pub fn an_unreadable_folder_is_an_error(walk: Walker, look_at: &str, if_stuck: &str) {
    let mut tree = Tree::new(SMALL);
    tree.add_dir("b/locked");
    tree.add_file(OsStr::new("b/locked/secret.txt"));
    let (_locked, denied) = lock(&tree, "b/locked");
    support::step(
        "walking a tree in which one folder cannot be read",
        if_stuck,
    );
    let got = walk_ok(walk, tree.root(), &quiet, look_at);
    let (want, errors) = if denied {
        (tree.expected(&["b/locked"]), vec![tree.path("b/locked")])
    } else {
        (tree.expected(&[]), vec![])
    };
    let error_paths: Vec<PathBuf> = got.errors.iter().map(|e| e.path.clone()).collect();
    require!(got.paths == want && error_paths == errors
                 && got.errors.iter().all(|e| e.message.contains("os error 13")),
        expected: format!("b/locked listed (its parent can read it), one error for b/locked \
                           (Permission denied, os error 13), and the rest of the tree: {}",
                          tree.show(&want)),
        got: format!("{}; errors: {:?}", tree.difference(&got.paths, &want), got.errors),
        look_at: format!("{look_at}: what happens when fs::read_dir fails for one folder? \
                          It should become a WalkError, and the walk go on"));
}

/// A folder removed just before it is read: an error line, the rest listed.
pub fn a_folder_removed_mid_walk_is_an_error(walk: Walker, look_at: &str, if_stuck: &str) {
    let tree = Tree::new(SMALL);
    let doomed = tree.path("a/deep");
    let remove = |dir: &Path| {
        if dir == doomed {
            fs::remove_dir_all(dir).expect("removing a/deep");
        }
    };
    support::step(
        "walking a tree in which a folder is removed just before it is read",
        if_stuck,
    );
    let got = walk_ok(walk, tree.root(), &remove, look_at);
    let want = tree.expected(&["a/deep"]);
    let error_paths: Vec<PathBuf> = got.errors.iter().map(|e| e.path.clone()).collect();
    require!(got.paths == want && error_paths == [doomed.clone()]
                 && got.errors[0].message.contains("os error 2"),
        expected: format!("a/deep listed (it was there when a/ was read), one error for a/deep \
                           (No such file or directory, os error 2), and the rest: {}",
                          tree.show(&want)),
        got: format!("{}; errors: {:?}", tree.difference(&got.paths, &want), got.errors),
        look_at: format!("{look_at}: is on_dir called just before each folder is read, and \
                          does a failed fs::read_dir become a WalkError while the walk goes on?"));
}

/// Watching threads in `/proc` (the same helpers as the Synchronization
/// chapter's tests).
pub mod waiter {
    /// The calling thread's kernel id.
    pub fn my_tid() -> u32 {
        let link = std::fs::read_link("/proc/thread-self").expect("Linux /proc/thread-self");
        link.file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.parse().ok())
            .expect("/proc/thread-self ends in a thread id")
    }

    /// What became of a watched thread.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Seen {
        /// It sleeps in the kernel: blocked in a wait.
        Blocked,
        /// It has ended.
        Ended,
    }

    /// Watches thread `tid` of this process until it blocks or ends.
    pub fn until_blocked(tid: u32, doing: &str, if_stuck: &str) -> Seen {
        support::step(doing, if_stuck);
        loop {
            match state(tid) {
                None | Some('Z' | 'X') => return Seen::Ended,
                Some('S' | 'D') => return Seen::Blocked,
                Some(_) => std::thread::yield_now(),
            }
        }
    }

    fn state(tid: u32) -> Option<char> {
        let stat = std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")).ok()?;
        stat.rsplit_once(')')?.1.trim_start().chars().next()
    }
}
