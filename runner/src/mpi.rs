//! Chapters with a workspace of their own: the MPI chapter (11).
//!
//! Its crates need Open MPI (and libclang, for the `mpi` crate's bindings)
//! to build, so they are left out of the main workspace (`exclude` in the
//! root `Cargo.toml`): a machine with only a Rust toolchain builds and
//! tests every other chapter as before. Each of its crates is a workspace
//! of its own, with its own `Cargo.lock`.
//!
//! The rest of the runner needs two things from here:
//!
//! * [`keep`]: whether a chapter can be worked on here. A chapter whose
//!   crates use the `mpi` crate is left out, with a note said once, where
//!   Open MPI or libclang is missing (or `WORKBOOK_NO_MPI` is set).
//! * [`in_workspace`]: where to run cargo for a package: the root for the
//!   main workspace's packages, the package's own folder for the others
//!   (with the root's target folder, so nothing is built twice and no
//!   `target/` appears inside the chapter).
//! * [`own_benches`] and [`bench_in`]: the chapter's benchmark, also a
//!   workspace of its own (`benches/mpi/`), which `bench` runs and
//!   `verify` runs once, where Open MPI is installed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Once;

use crate::chapters::Chapter;

/// Set (to anything) to leave the MPI chapter out even where Open MPI is
/// installed.
pub const NO_MPI_VAR: &str = "WORKBOOK_NO_MPI";

/// What to install, said once when Open MPI is missing.
pub const INSTALL: &str = "On Debian or Ubuntu: sudo apt-get install libopenmpi-dev openmpi-bin \
     libclang-dev (and, for the mpi4py versions, python3 -m pip install mpi4py). \
     On Fedora: sudo dnf install openmpi-devel clang-devel, then `module load mpi`. \
     On macOS: brew install open-mpi llvm.";

/// The folder of `package` if it is a workspace of its own
/// (`exercises/*/` or `solutions/*/` with a `[workspace]` table).
pub fn own_workspace(root: &Path, package: &str) -> Option<PathBuf> {
    ["exercises", "solutions"].iter().find_map(|top| {
        let entries = std::fs::read_dir(root.join(top)).ok()?;
        entries.flatten().map(|e| e.path()).find(|dir| {
            manifest(dir).is_some_and(|m| {
                m.contains_key("workspace")
                    && m.get("package")
                        .and_then(|p| p.get("name"))
                        .and_then(|n| n.as_str())
                        == Some(package)
            })
        })
    })
}

fn manifest(dir: &Path) -> Option<toml::Table> {
    let text = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
    toml::from_str(&text).ok()
}

/// Points `cmd` (a cargo command) at the workspace that holds `package`.
pub fn in_workspace(cmd: &mut Command, root: &Path, package: &str) {
    match own_workspace(root, package) {
        Some(dir) => {
            cmd.current_dir(dir);
            if std::env::var_os("CARGO_TARGET_DIR").is_none() {
                cmd.env("CARGO_TARGET_DIR", root.join("target"));
            }
        }
        None => {
            cmd.current_dir(root);
        }
    }
}

/// The benchmarks that are workspaces of their own: `(chapter, folder)`
/// for every `benches/<chapter>/Cargo.toml` with a `[workspace]` table.
pub fn own_benches(root: &Path) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(root.join("benches"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|dir| manifest(dir).is_some_and(|m| m.contains_key("workspace")))
        .filter_map(|dir| Some((dir.file_name()?.to_str()?.to_string(), dir)))
        .collect();
    out.sort();
    out
}

/// Points `cmd` (a cargo command) at the benchmark workspace `dir`, with
/// the root's target folder (where the runner reads criterion's results).
pub fn bench_in(cmd: &mut Command, root: &Path, dir: &Path) {
    cmd.current_dir(dir);
    if std::env::var_os("CARGO_TARGET_DIR").is_none() {
        cmd.env("CARGO_TARGET_DIR", root.join("target"));
    }
}

/// Does the chapter's exercise crate use the `mpi` crate?
fn needs_mpi(root: &Path, ch: &Chapter) -> bool {
    manifest(&root.join(ch.exercise_dir())).is_some_and(|m| {
        m.get("dependencies")
            .and_then(|d| d.as_table())
            .is_some_and(|d| d.contains_key("mpi"))
    })
}

/// Can `ch` be built and checked here? Says once why not, and how to fix it.
pub fn keep(root: &Path, ch: &Chapter) -> bool {
    if !needs_mpi(root, ch) {
        return true;
    }
    let missing = missing();
    if missing.is_empty() {
        return true;
    }
    static NOTE: Once = Once::new();
    NOTE.call_once(|| {
        eprintln!(
            "note: the chapter `{}` ({}) needs Open MPI, and {} here, so it is left out \
             (every other chapter works as usual).\n      {INSTALL}",
            ch.name,
            ch.title,
            missing.join(", ")
        );
    });
    false
}

/// What is missing for the MPI chapter, in words (empty: nothing).
pub fn missing() -> Vec<String> {
    if std::env::var_os(NO_MPI_VAR).is_some() {
        return vec![format!("{NO_MPI_VAR} is set")];
    }
    let mut out = Vec::new();
    for program in ["mpirun", "mpicc"] {
        if !on_path(program) {
            out.push(format!("`{program}` is not on the PATH"));
        }
    }
    if !has_libclang() {
        out.push("libclang (for the `mpi` crate's bindings) was not found".to_string());
    }
    out
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            let f = dir.join(program);
            std::fs::metadata(&f).is_ok_and(|m| {
                use std::os::unix::fs::PermissionsExt;
                m.is_file() && m.permissions().mode() & 0o111 != 0
            })
        })
    })
}

/// libclang where the `clang-sys` crate looks for it: `$LIBCLANG_PATH`, the
/// LLVM installs and the usual library folders.
fn has_libclang() -> bool {
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(p) = std::env::var_os("LIBCLANG_PATH") {
        dirs.push(PathBuf::from(p));
    }
    for parent in [
        "/usr/lib",
        "/usr/local/opt",
        "/opt/homebrew/opt",
        "/usr/lib64",
    ] {
        if let Ok(entries) = std::fs::read_dir(parent) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with("llvm") {
                    dirs.push(e.path().join("lib"));
                }
                if name.ends_with("-linux-gnu") {
                    dirs.push(e.path());
                }
            }
        }
        dirs.push(PathBuf::from(parent));
    }
    dirs.push(PathBuf::from("/usr/local/lib"));
    dirs.iter().any(|d| {
        std::fs::read_dir(d).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.starts_with("libclang")
                    && (name.contains(".so") || name.ends_with(".dylib"))
                    && !name.starts_with("libclang-cpp")
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    #[test]
    fn the_mpi_crates_are_workspaces_of_their_own_and_the_others_are_not() {
        let root = root();
        assert_eq!(
            own_workspace(&root, "mpi-solution"),
            Some(root.join("solutions").join("11-mpi"))
        );
        assert!(own_workspace(&root, "mpi-exercise").is_some());
        assert_eq!(own_workspace(&root, "threads-solution"), None);
        let mut cmd = Command::new("cargo");
        in_workspace(&mut cmd, &root, "threads-solution");
        assert_eq!(cmd.get_current_dir(), Some(root.as_path()));
        let benches = own_benches(&root);
        assert_eq!(
            benches,
            [("mpi".to_string(), root.join("benches").join("mpi"))]
        );
    }

    #[test]
    fn only_the_mpi_chapter_needs_open_mpi() {
        let root = root();
        let chapters = crate::chapters::discover(&root).unwrap();
        assert!(chapters.iter().any(|c| c.name == "threads"));
        let threads = chapters.iter().find(|c| c.name == "threads").unwrap();
        assert!(!needs_mpi(&root, threads));
        assert!(keep(&root, threads));
        let text = std::fs::read_to_string(root.join("exercises/11-mpi/chapter.toml")).unwrap();
        let mpi = crate::chapters::parse_manifest(&text, "11-mpi").unwrap();
        assert!(needs_mpi(&root, &mpi));
        assert_eq!(keep(&root, &mpi), missing().is_empty());
    }

    #[test]
    fn the_install_note_names_the_debian_packages() {
        for p in ["libopenmpi-dev", "openmpi-bin", "libclang-dev"] {
            assert!(INSTALL.contains(p), "{p}");
        }
        assert!(on_path("sh"));
        assert!(!on_path("no-such-program-here"));
    }
}
