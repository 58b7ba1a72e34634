//! Tree-walk case study: list every folder and file under a root into one
//! sorted file, serially, with a shared work queue on threads, with rayon,
//! with one process per top-level folder, with jwalk, and with `find`.
//!
//! The walkers are the case study's designs in their shortest form (the
//! benches must build without `solutions/`): no `on_dir` report, and errors
//! only counted. Every one returns the same sorted list of paths, the root
//! included, which `save` writes as `find ROOT | LC_ALL=C sort` would.

use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Condvar, Mutex};
use std::thread;

use nix::libc;
use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, fork, pipe};
use rayon::prelude::*;

/// The generated tree: `fanout` folders, each with `fanout` folders, each
/// with `fanout` leaf folders of `files` empty files. With 10 and 99 that
/// is 1 110 folders and 99 000 files: 100 110 entries under the root.
pub fn make_tree(root: &Path, fanout: usize, files: usize) -> io::Result<usize> {
    let mut made = 0;
    for i in 0..fanout {
        for j in 0..fanout {
            for k in 0..fanout {
                let leaf = root.join(format!("d{i}/d{j}/d{k}"));
                fs::create_dir_all(&leaf)?;
                for f in 0..files {
                    File::create(leaf.join(format!("f{f}.txt")))?;
                }
                made += files + 1;
            }
            made += 1;
        }
        made += 1;
    }
    Ok(made)
}

fn sort_bytes(paths: &mut [PathBuf]) {
    paths.sort_unstable_by(|a, b| a.as_os_str().as_bytes().cmp(b.as_os_str().as_bytes()));
}

/// Writes `paths` one a line, as bytes.
pub fn save(paths: &[PathBuf], to: &Path) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 16, File::create(to)?);
    for p in paths {
        out.write_all(p.as_os_str().as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// Lists `dir`'s entries into `paths`, and its folders into `folders`.
/// Returns false if the folder could not be read.
fn read_one(dir: &Path, paths: &mut Vec<PathBuf>, folders: &mut Vec<PathBuf>) -> bool {
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            folders.push(path.clone());
        }
        paths.push(path);
    }
    true
}

/// One thread, a stack of folders.
pub fn serial(root: &Path) -> Vec<PathBuf> {
    let mut paths = vec![root.to_path_buf()];
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        read_one(&dir, &mut paths, &mut stack);
    }
    sort_bytes(&mut paths);
    paths
}

/// Exercise 2's queue: items, and how many are in progress.
struct Queue {
    state: Mutex<(Vec<PathBuf>, usize)>,
    changed: Condvar,
}

impl Queue {
    fn pop(&self) -> Option<PathBuf> {
        let mut s = self.state.lock().unwrap();
        loop {
            if let Some(dir) = s.0.pop() {
                s.1 += 1;
                return Some(dir);
            }
            if s.1 == 0 {
                return None;
            }
            s = self.changed.wait(s).unwrap();
        }
    }

    fn done(&self, found: Vec<PathBuf>) {
        let mut s = self.state.lock().unwrap();
        s.0.extend(found);
        s.1 -= 1;
        if s.1 == 0 || !s.0.is_empty() {
            self.changed.notify_all();
        }
    }
}

/// `threads` workers sharing exercise 2's queue (pushing a folder's
/// sub-folders in one lock, with its `done`).
pub fn queue_threads(root: &Path, threads: usize) -> Vec<PathBuf> {
    let queue = Queue {
        state: Mutex::new((vec![root.to_path_buf()], 0)),
        changed: Condvar::new(),
    };
    let mut paths = vec![root.to_path_buf()];
    thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    while let Some(dir) = queue.pop() {
                        let mut found = Vec::new();
                        read_one(&dir, &mut mine, &mut found);
                        queue.done(found);
                    }
                    mine
                })
            })
            .collect();
        for w in workers {
            paths.extend(w.join().unwrap());
        }
    });
    sort_bytes(&mut paths);
    paths
}

fn rayon_below(dir: &Path) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    let mut folders = Vec::new();
    read_one(dir, &mut paths, &mut folders);
    let below: Vec<Vec<PathBuf>> = folders.par_iter().map(|f| rayon_below(f)).collect();
    paths.extend(below.into_iter().flatten());
    paths
}

/// The example's walk: each folder's sub-folders as rayon tasks, in `pool`.
pub fn rayon_walk(pool: &rayon::ThreadPool, root: &Path) -> Vec<PathBuf> {
    let mut paths = pool.install(|| rayon_below(root));
    paths.push(root.to_path_buf());
    sort_bytes(&mut paths);
    paths
}

/// Exercise 4: the parent lists the root; one forked child per top-level
/// folder walks it serially and sends its paths, newline-separated, through
/// a pipe; the parent merges and sorts. (The generated tree has no newline
/// in a name; exercise 4 frames each path instead.)
pub fn processes(root: &Path) -> Vec<PathBuf> {
    let mut paths = vec![root.to_path_buf()];
    let mut folders = Vec::new();
    read_one(root, &mut paths, &mut folders);
    // Each walker lists its own folder: the parent must not list it too.
    paths.retain(|p| !folders.contains(p));
    let mut children = Vec::new();
    for folder in &folders {
        let (r, w) = pipe().expect("a pipe");
        // SAFETY: the child walks, writes to its pipe and calls _exit; it
        // never returns into criterion's code.
        match unsafe { fork() }.expect("fork") {
            ForkResult::Child => {
                drop(r);
                let mine = serial(folder);
                let mut bytes = Vec::new();
                for p in &mine {
                    bytes.extend_from_slice(p.as_os_str().as_bytes());
                    bytes.push(b'\n');
                }
                let ok = File::from(w).write_all(&bytes).is_ok();
                // SAFETY: ends the child at once, no destructors or atexit.
                unsafe { libc::_exit(if ok { 0 } else { 1 }) }
            }
            ForkResult::Parent { child } => {
                drop(w);
                children.push((child, File::from(r)));
            }
        }
    }
    for (child, mut from) in children {
        let mut bytes = Vec::new();
        from.read_to_end(&mut bytes).expect("a walker's paths");
        waitpid(child, None).expect("reaping a walker");
        paths.extend(
            bytes
                .split(|&b| b == b'\n')
                .filter(|l| !l.is_empty())
                .map(|l| PathBuf::from(std::ffi::OsString::from_vec(l.to_vec()))),
        );
    }
    sort_bytes(&mut paths);
    paths
}

/// jwalk (rayon inside) on `threads` threads of a pool of its own; no
/// sorting by jwalk, hidden files included, links not followed.
pub fn jwalk_walk(root: &Path, threads: usize) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = jwalk::WalkDir::new(root)
        .skip_hidden(false)
        .follow_links(false)
        .parallelism(jwalk::Parallelism::RayonNewPool(threads))
        .into_iter()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    sort_bytes(&mut paths);
    paths
}

/// `find ROOT | LC_ALL=C sort > OUT`: the same file, made by the shell's
/// tools (`sort` runs beside `find`, on the other core).
pub fn find_sorted(root: &Path, out: &Path) -> io::Result<()> {
    shell(r#"find "$1" | LC_ALL=C sort > "$2""#, root, out)
}

/// `find ROOT > OUT`: the outside anchor, unsorted (the order the file
/// system gives).
pub fn find_unsorted(root: &Path, out: &Path) -> io::Result<()> {
    shell(r#"find "$1" > "$2""#, root, out)
}

fn shell(script: &str, root: &Path, out: &Path) -> io::Result<()> {
    let status = Command::new("sh")
        .args(["-c", script, "sh"])
        .arg(root)
        .arg(out)
        .status()?;
    if status.success() {
        Ok(())
    } else {
        Err(io::Error::other(format!("{script}: {status}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_walker_lists_the_same_sorted_paths_as_find_and_sort() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("tree");
        fs::create_dir(&root).unwrap();
        let made = make_tree(&root, 3, 4).unwrap();
        assert_eq!(made, 3 * 3 * 3 * 5 + 3 * 3 + 3);
        let want = serial(&root);
        assert_eq!(want.len(), made + 1);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        assert_eq!(queue_threads(&root, 2), want);
        assert_eq!(rayon_walk(&pool, &root), want);
        assert_eq!(processes(&root), want);
        assert_eq!(jwalk_walk(&root, 2), want);
        let (ours, theirs) = (dir.path().join("ours"), dir.path().join("theirs"));
        save(&want, &ours).unwrap();
        find_sorted(&root, &theirs).unwrap();
        assert_eq!(fs::read(&ours).unwrap(), fs::read(&theirs).unwrap());
        find_unsorted(&root, &theirs).unwrap();
        assert_eq!(
            fs::read(&theirs).unwrap().len(),
            fs::read(&ours).unwrap().len()
        );
    }
}
