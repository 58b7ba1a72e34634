//! The tests of the downloads case study. Written once; they run against
//! the exercise crate (`cargo test -p downloads-exercise`) and the solution
//! (`cargo test -p downloads-solution`), both of which build `downloads`.
//!
//! Every test starts its own file server on the loopback address
//! (`downloads::given::Server`) and downloads into a temporary folder of
//! its own; both are gone when the test ends. None of them measures time:
//! the server has no delay here. Concurrency is proved by the server's
//! gate, which answers nothing until `k` requests are in flight at once,
//! and an order of completion by a file the server answers only after all
//! the others.

mod ex1_one;
mod ex2_retry;
mod ex3_threads;
mod ex4_async;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use downloads::given::{self, DownloadError, Fault, Outcome, Server, ServerConfig};

/// The size of every file the tests download.
pub const SIZE: usize = 20_000;

/// A folder under the system's temporary folder, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn create() -> TempDir {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!("{PREFIX}{}-{nanos}", std::process::id());
        let path = std::env::temp_dir().join(name);
        fs::create_dir_all(&path).expect("a temporary folder can be made");
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// The names of the files in the folder, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(&self.0)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }
}

/// The start of every test folder's name.
const PREFIX: &str = "workbook-downloads-";

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A server of `files` files of [`SIZE`] bytes, with these faults.
pub fn server(files: usize, faults: &[(usize, Fault)]) -> Server {
    server_with(ServerConfig {
        files,
        size: SIZE,
        faults: faults.to_vec(),
        ..ServerConfig::default()
    })
}

pub fn server_with(config: ServerConfig) -> Server {
    Server::start(config).expect("the test's file server starts on 127.0.0.1")
}

/// An agent whose calls give up after 2 s (no test waits that long unless
/// something is wrong).
pub fn agent() -> ureq::Agent {
    given::agent(Duration::from_secs(2))
}

/// Is file `i` saved in `dir`, whole and with the right bytes?
pub fn saved_whole(dir: &Path, i: usize) -> bool {
    fs::read(dir.join(format!("file-{i}.bin"))).is_ok_and(|b| b == given::content(i, SIZE))
}

/// The names `file-<i>.bin` for each `i`, sorted as `TempDir::names` sorts.
pub fn names_of(files: &[usize]) -> Vec<String> {
    let mut names: Vec<String> = files.iter().map(|i| format!("file-{i}.bin")).collect();
    names.sort();
    names
}

/// A short picture of outcomes: `ok` for a whole file, else the error's kind.
pub fn kinds(outcomes: &[Outcome]) -> Vec<String> {
    outcomes.iter().map(kind).collect()
}

pub fn kind(outcome: &Outcome) -> String {
    match outcome {
        Ok(n) if *n == SIZE as u64 => "ok".to_string(),
        Ok(n) => format!("ok with {n} bytes"),
        Err(DownloadError::Status(s)) => format!("status {s}"),
        Err(DownloadError::Timeout) => "timeout".to_string(),
        Err(DownloadError::Broken(_)) => "broken".to_string(),
        Err(DownloadError::Save(_)) => "save failed".to_string(),
    }
}
