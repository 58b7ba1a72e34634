//! Reading the process table (`/proc`) — the evidence tests use.
//!
//! Tests prove that work happened in another process by looking at facts the
//! student's code cannot fake: a pid that differs from the test's own, a
//! parent pid, the state letter the kernel reports (`Z` for a zombie).

use std::fs;

use nix::unistd::Pid;

/// What the kernel says about one process, read from `/proc/<pid>/stat`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcInfo {
    pub pid: i32,
    /// The command name (at most 15 bytes, set by `prctl(PR_SET_NAME)` or exec).
    pub comm: String,
    /// One letter: `R` running, `S` sleeping, `Z` zombie, `T` stopped, ...
    pub state: char,
    pub ppid: i32,
    pub pgid: i32,
}

impl ProcInfo {
    /// A zombie has exited, but its parent has not yet waited for it.
    pub fn is_zombie(&self) -> bool {
        self.state == 'Z'
    }

    /// A phrase a learner can read: "pid 42 (sleep), still running".
    pub fn describe(&self) -> String {
        let what = match self.state {
            'Z' => "a zombie: it exited but nobody waited for it",
            'T' | 't' => "stopped",
            _ => "still running",
        };
        format!("pid {} ({}), {}", self.pid, self.comm, what)
    }
}

/// Reads `/proc/<pid>/stat`; `None` if the process no longer exists.
pub fn info(pid: i32) -> Option<ProcInfo> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may itself contain spaces or
    // parentheses, so split at the *last* closing parenthesis.
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let comm = stat.get(open + 1..close)?.to_string();
    let mut rest = stat.get(close + 1..)?.split_whitespace();
    let state = rest.next()?.chars().next()?;
    let ppid = rest.next()?.parse().ok()?;
    let pgid = rest.next()?.parse().ok()?;
    Some(ProcInfo {
        pid,
        comm,
        state,
        ppid,
        pgid,
    })
}

/// The direct children of `pid`, zombies included.
///
/// Uses `/proc/<pid>/task/<tid>/children` (one list per thread, because a
/// child belongs to the thread that forked it), and falls back to scanning
/// every `/proc/<n>/stat` for a matching parent pid.
pub fn children(pid: i32) -> Vec<i32> {
    let mut kids = Vec::new();
    let mut listed = false;
    if let Ok(tasks) = fs::read_dir(format!("/proc/{pid}/task")) {
        for task in tasks.flatten() {
            if let Ok(text) = fs::read_to_string(task.path().join("children")) {
                listed = true;
                kids.extend(
                    text.split_whitespace()
                        .filter_map(|s| s.parse::<i32>().ok()),
                );
            }
        }
    }
    if !listed {
        kids = all_pids()
            .into_iter()
            .filter(|&p| info(p).is_some_and(|i| i.ppid == pid))
            .collect();
    }
    kids.sort_unstable();
    kids.dedup();
    kids
}

/// Every descendant of `pid` (children, grandchildren, ...), parents first.
pub fn descendants(pid: i32) -> Vec<i32> {
    let mut out = Vec::new();
    let mut frontier = children(pid);
    while let Some(p) = frontier.pop() {
        if !out.contains(&p) {
            out.push(p);
            frontier.extend(children(p));
        }
    }
    out
}

/// Every pid in `/proc`.
pub fn all_pids() -> Vec<i32> {
    fs::read_dir("/proc")
        .map(|dir| {
            dir.flatten()
                .filter_map(|e| e.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// The pid of the calling process, as an `i32`.
pub fn own_pid() -> i32 {
    Pid::this().as_raw()
}
