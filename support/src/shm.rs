//! `/dev/shm` hygiene: shared-memory segments a test leaves behind.
//!
//! POSIX shared memory (`shm_open`) lives in `/dev/shm` until someone calls
//! `shm_unlink`, even after every process that used it has ended. Chapter
//! code (tests and solutions) must name its segments with [`SHM_PREFIX`],
//! best through [`shm_name`]; after each isolated test the sandbox removes
//! every such entry that appeared during the test, and fails a test that
//! otherwise passed for leaving one behind.
//!
//! Where tests run in a namespace of their own (see
//! [`sandbox`](crate::sandbox)), each test also gets a private `/dev/shm`,
//! so two tests never see each other's segments.

use std::collections::BTreeSet;
use std::fs;
use std::sync::atomic::{AtomicU64, Ordering};

/// The prefix of every shared-memory segment the workbook creates (the name
/// in `/dev/shm`, without the leading `/` that `shm_open` takes).
pub const SHM_PREFIX: &str = "workbook-";

const SHM_DIR: &str = "/dev/shm";

/// A fresh name for `shm_open`: `/workbook-<tag>-<pid>-<random>`, unique in
/// this process and hard to guess (so no other program can open the segment
/// first). `tag` says what it is for, e.g. `"ring"`.
pub fn shm_name(tag: &str) -> String {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let mut random = [0u8; 8];
    // SAFETY: getrandom writes at most `random.len()` bytes into the array.
    let got = unsafe { libc::getrandom(random.as_mut_ptr().cast(), random.len(), 0) };
    let mut r = u64::from_ne_bytes(random);
    if got != random.len() as isize {
        // No kernel randomness: still unique, from the clock and a counter.
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        r = t ^ SEQ.load(Ordering::Relaxed).rotate_left(32);
    }
    let r = r ^ SEQ.fetch_add(1, Ordering::Relaxed);
    format!("/{SHM_PREFIX}{tag}-{}-{r:016x}", std::process::id())
}

/// The workbook's entries in `/dev/shm` now.
pub(crate) fn entries() -> BTreeSet<String> {
    fs::read_dir(SHM_DIR)
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.starts_with(SHM_PREFIX))
                .collect()
        })
        .unwrap_or_default()
}

/// Removes the workbook's entries that were not there `before`, and names
/// them.
pub(crate) fn remove_new(before: &BTreeSet<String>) -> Vec<String> {
    let new: Vec<String> = entries().difference(before).cloned().collect();
    for n in &new {
        let _ = fs::remove_file(format!("{SHM_DIR}/{n}"));
    }
    new
}

pub(crate) fn leftover_message(names: &[String]) -> String {
    let list: Vec<String> = names
        .iter()
        .map(|n| format!("  - left {SHM_DIR}/{n} behind"))
        .collect();
    format!(
        "Every check passed, but the test left shared memory behind:\n{}\n\
         A segment stays in {SHM_DIR} after every process that used it has ended. \
         Who should have called shm_unlink, and when?\n(It has now been removed.)",
        list.join("\n")
    )
}
