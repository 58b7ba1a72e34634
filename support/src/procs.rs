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

/// One thread of a process, read from `/proc/<pid>/task/<tid>/stat`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskInfo {
    pub tid: i32,
    /// The thread's name (`thread::Builder::name`, at most 15 bytes).
    pub name: String,
    /// One letter, as in [`ProcInfo::state`].
    pub state: char,
    /// CPU time used so far (user + system), in clock ticks.
    pub cpu_ticks: u64,
}

/// Every thread of `pid`, with the CPU time each has used.
pub fn tasks(pid: i32) -> Vec<TaskInfo> {
    let Ok(dir) = fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    let mut out: Vec<TaskInfo> = dir
        .flatten()
        .filter_map(|e| {
            let tid: i32 = e.file_name().to_str()?.parse().ok()?;
            let stat = fs::read_to_string(e.path().join("stat")).ok()?;
            let close = stat.rfind(')')?;
            let name = stat.get(stat.find('(')? + 1..close)?.to_string();
            let fields: Vec<&str> = stat.get(close + 1..)?.split_whitespace().collect();
            // After the name: state is field 3 of stat(5), utime 14, stime 15.
            let state = fields.first()?.chars().next()?;
            let utime: u64 = fields.get(11)?.parse().ok()?;
            let stime: u64 = fields.get(12)?.parse().ok()?;
            Some(TaskInfo {
                tid,
                name,
                state,
                cpu_ticks: utime + stime,
            })
        })
        .collect();
    out.sort_by_key(|t| t.tid);
    out
}

/// Clock ticks per second, the unit of [`TaskInfo::cpu_ticks`].
pub fn ticks_per_second() -> u64 {
    // SAFETY: sysconf takes no pointers.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 { t as u64 } else { 100 }
}

/// What a sleeping thread waits for, in words ("blocked in read on a
/// pipe"), from the system call it is in (`/proc/<pid>/task/<tid>/syscall`)
/// or, failing that, the kernel function it sleeps in (`wchan`). `None`
/// when the kernel does not say.
pub fn blocked_in(pid: i32, tid: i32) -> Option<String> {
    let base = format!("/proc/{pid}/task/{tid}");
    let syscall = fs::read_to_string(format!("{base}/syscall")).unwrap_or_default();
    let mut parts = syscall.split_whitespace();
    let nr: Option<i64> = parts.next().and_then(|s| s.parse().ok());
    let fd = parts
        .next()
        .and_then(|a| i64::from_str_radix(a.trim_start_matches("0x"), 16).ok());
    let on = |fd: Option<i64>| match fd {
        Some(fd) => {
            let target = fs::read_link(format!("/proc/{pid}/fd/{fd}"))
                .map(|p| p.to_string_lossy().into_owned())
                .unwrap_or_default();
            let kind = if target.starts_with("pipe:") {
                "a pipe".to_string()
            } else if target.starts_with("socket:") {
                "a socket".to_string()
            } else if target.is_empty() {
                "a file".to_string()
            } else {
                target
            };
            format!("{kind} (fd {fd})")
        }
        None => "a file".to_string(),
    };
    if let Some(nr) = nr {
        if let Some(words) = syscall_words(nr, || on(fd)) {
            return Some(words);
        }
    }
    let wchan = fs::read_to_string(format!("{base}/wchan")).unwrap_or_default();
    let wchan = wchan.trim();
    let words = if wchan.contains("pipe_read") {
        "blocked in read on a pipe".to_string()
    } else if wchan.contains("pipe_write") {
        "blocked writing into a full pipe".to_string()
    } else if wchan.contains("futex") {
        FUTEX.to_string()
    } else if wchan.contains("do_wait") {
        "waiting for a child to end (wait4/waitid)".to_string()
    } else if wchan.contains("nanosleep") {
        "sleeping (sleep)".to_string()
    } else if wchan.contains("poll") || wchan.contains("select") {
        "waiting in poll/select".to_string()
    } else if wchan.is_empty() || wchan == "0" {
        return None;
    } else {
        format!("blocked in the kernel ({wchan})")
    };
    Some(words)
}

const FUTEX: &str = "waiting on a futex (a lock, a condition variable, a channel or a join)";

#[cfg(target_arch = "x86_64")]
fn syscall_words(nr: i64, on: impl Fn() -> String) -> Option<String> {
    Some(match nr {
        0 | 17 | 19 | 295 => format!("blocked in read on {}", on()),
        1 | 18 | 20 | 296 => format!("blocked in write to {}", on()),
        202 => FUTEX.to_string(),
        61 | 247 => "waiting for a child to end (wait4/waitid)".to_string(),
        35 | 230 => "sleeping (sleep)".to_string(),
        7 | 23 | 232 | 270 | 271 | 281 => "waiting in poll/select".to_string(),
        43 | 288 => format!("waiting in accept on {}", on()),
        34 => "waiting for a signal (pause)".to_string(),
        _ => return None,
    })
}

#[cfg(not(target_arch = "x86_64"))]
fn syscall_words(_nr: i64, _on: impl Fn() -> String) -> Option<String> {
    None
}
