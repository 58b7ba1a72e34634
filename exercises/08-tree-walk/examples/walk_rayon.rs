//! The tree walk with rayon: each folder's sub-folders are walked as
//! parallel tasks, and rayon's work stealing balances them. Lists this
//! crate's own folder into a file in a temporary folder, and checks the
//! result against a plain serial walk. Run with
//! `cargo run -p tree-walk-exercise --example walk_rayon`.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

// ANCHOR: rayon
/// Everything under `dir` (not `dir` itself), in no particular order, and
/// the folders that could not be read.
fn walk(dir: &Path) -> (Vec<PathBuf>, Vec<String>) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return (vec![], vec![format!("{}: {e}", dir.display())]),
    };
    let mut paths = Vec::new();
    let mut folders = Vec::new();
    for entry in entries.flatten() {
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            folders.push(entry.path());
        }
        paths.push(entry.path());
    }
    // One task per sub-folder; an idle thread steals the ones not begun.
    let below = folders
        .par_iter()
        .map(|f| walk(f))
        .reduce(Default::default, |mut a, b| {
            a.0.extend(b.0);
            a.1.extend(b.1);
            a
        });
    paths.extend(below.0);
    (paths, below.1)
}
// ANCHOR_END: rayon

fn serial(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        out.push(entry.path());
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            serial(&entry.path(), out);
        }
    }
}

fn main() -> io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // ANCHOR: save
    let (mut paths, errors) = walk(root);
    paths.push(root.to_path_buf());
    paths.sort_by(|a, b| a.as_os_str().as_bytes().cmp(b.as_os_str().as_bytes()));
    let out_dir = tempfile::tempdir()?;
    let mut out = BufWriter::new(File::create(out_dir.path().join("listing.txt"))?);
    for p in &paths {
        out.write_all(p.as_os_str().as_bytes())?;
        out.write_all(b"\n")?;
    }
    for e in &errors {
        writeln!(out, "error: {e}")?;
    }
    out.flush()?;
    // ANCHOR_END: save
    let mut check = vec![root.to_path_buf()];
    serial(root, &mut check);
    check.sort_by(|a, b| a.as_os_str().as_bytes().cmp(b.as_os_str().as_bytes()));
    assert_eq!(paths, check, "rayon and serial walks differ");
    println!("{} paths, {} errors", paths.len(), errors.len());
    Ok(())
}
