//! Evidence, from the kernel, that a thread is blocked.
//!
//! A test that checks "operation X wakes a waiter" must first be sure the
//! waiter is really waiting; otherwise X may run before the waiter even
//! looked, and a forgotten wake-up goes unnoticed. The waiter publishes its
//! kernel thread id ([`my_tid`]) just before it calls the blocking method;
//! [`until_blocked`] (or [`until_blocked_or_done`]) then watches `/proc`
//! until that thread sleeps in the kernel (a `Mutex`, `Condvar` or channel
//! wait puts it in state `S`) or has ended. No sleeping, no timing: only
//! the thread's state.
//!
//! A thread can also sleep for a moment on its way to the wait (on a lock
//! of the allocator, say). So one look is not enough: the thread must be
//! seen asleep [`LOOKS`] times in a row with the same count of voluntary
//! context switches, that is, without waking up in between.
//!
//! The same evidence works for a thread of another process (a forked
//! child): [`until_blocked_in`] waits until it blocks, and
//! [`Blocked::until_blocked_again`] until it has woken up since and blocked
//! once more. When nothing in the test can wake it, that wake-up is the
//! wait's own timeout: a test waits for "the timer ran out, and the waiter
//! went back to waiting" instead of sleeping past the timer.

use std::sync::atomic::{AtomicI32, Ordering};

/// How many looks in a row must find the thread asleep, without a wake-up
/// in between, before it counts as blocked.
pub const LOOKS: u32 = 20;

/// The calling thread's kernel id.
pub fn my_tid() -> i32 {
    // SAFETY: gettid has no arguments and cannot fail.
    unsafe { libc::gettid() }
}

/// The kernel ids of this process's threads right now.
pub fn threads() -> Vec<i32> {
    std::fs::read_dir("/proc/self/task")
        .map(|d| {
            d.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// What became of a watched thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// It sleeps in the kernel: blocked in a wait.
    Blocked,
    /// It has ended (its method returned and the thread finished), or the
    /// caller's `done` said so.
    Ended,
}

/// Watches thread `tid` of this process until it blocks or ends. `doing`
/// and `if_stuck` go into the timeout message (see [`crate::step`]): a
/// thread that never blocks keeps running, which is a spin.
pub fn until_blocked(tid: i32, doing: &str, if_stuck: &str) -> Seen {
    crate::step(doing, if_stuck);
    until_blocked_or_done(&AtomicI32::new(tid), || false)
}

/// Watches the thread whose id is in `tid` (0 until the thread has stored
/// it) until it blocks, ends, or `done()` says it has finished (say,
/// `JoinHandle::is_finished`). The caller names the wait with
/// [`crate::step`] first.
pub fn until_blocked_or_done(tid: &AtomicI32, done: impl Fn() -> bool) -> Seen {
    // The voluntary switch count when the thread was first seen asleep,
    // and how many looks in a row have found it so since.
    let mut asleep: Option<(u64, u32)> = None;
    loop {
        if done() {
            return Seen::Ended;
        }
        let t = tid.load(Ordering::SeqCst);
        if t != 0 {
            match look(t) {
                Look::Gone => return Seen::Ended,
                Look::Running => asleep = None,
                Look::Asleep(switches) => match asleep {
                    Some((s, n)) if s == switches => {
                        if n + 1 >= LOOKS {
                            return Seen::Blocked;
                        }
                        asleep = Some((s, n + 1));
                    }
                    _ => asleep = Some((switches, 1)),
                },
            }
        }
        std::thread::yield_now();
    }
}

/// A thread seen blocked: its process, its kernel id, and its count of
/// voluntary context switches then (one more each time it goes to sleep).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blocked {
    pub pid: i32,
    pub tid: i32,
    pub switches: u64,
}

/// Watches thread `tid` of process `pid` (a forked child's only thread:
/// `tid == pid`) until it blocks (`Some`) or ends (`None`). The caller
/// names the wait with [`crate::step`] first.
pub fn until_blocked_in(pid: i32, tid: i32) -> Option<Blocked> {
    watch(pid, tid, 0)
}

impl Blocked {
    /// Watches the thread until it has woken up since it was seen blocked
    /// (its wait returned) and blocks again (`Some`), or ends (`None`). The
    /// caller names the wait with [`crate::step`] first.
    pub fn until_blocked_again(&self) -> Option<Blocked> {
        watch(self.pid, self.tid, self.switches + 1)
    }
}

/// Until thread `tid` of `pid` is seen asleep [`LOOKS`] times in a row with
/// one count of voluntary switches, at least `switches`; `None` once it
/// has ended.
fn watch(pid: i32, tid: i32, switches: u64) -> Option<Blocked> {
    let status = format!("/proc/{pid}/task/{tid}/status");
    let mut asleep: Option<(u64, u32)> = None;
    loop {
        match std::fs::read_to_string(&status).map_or(Look::Gone, |s| read_status(&s)) {
            Look::Gone => return None,
            Look::Asleep(n) if n >= switches => match asleep {
                Some((s, looks)) if s == n => {
                    if looks + 1 >= LOOKS {
                        return Some(Blocked {
                            pid,
                            tid,
                            switches: n,
                        });
                    }
                    asleep = Some((s, looks + 1));
                }
                _ => asleep = Some((n, 1)),
            },
            Look::Asleep(_) | Look::Running => asleep = None,
        }
        std::thread::yield_now();
    }
}

/// What `/proc` says of one thread of this process.
#[derive(Debug, PartialEq, Eq)]
enum Look {
    Running,
    /// Asleep in the kernel (`S` or `D`), after this many voluntary
    /// context switches.
    Asleep(u64),
    /// Ended (no such thread any more, or a zombie).
    Gone,
}

fn look(tid: i32) -> Look {
    match std::fs::read_to_string(format!("/proc/self/task/{tid}/status")) {
        Ok(status) => read_status(&status),
        Err(_) => Look::Gone,
    }
}

/// Reads `State:` and `voluntary_ctxt_switches:` from a `status` file.
fn read_status(status: &str) -> Look {
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(str::trim)
    };
    match field("State:").and_then(|s| s.chars().next()) {
        Some('S' | 'D') => Look::Asleep(
            field("voluntary_ctxt_switches:")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
        ),
        Some('Z' | 'X') | None => Look::Gone,
        Some(_) => Look::Running,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::mpsc;

    #[test]
    fn reads_state_and_switches() {
        let status = "Name:\tw\nState:\tS (sleeping)\nTgid:\t1\n\
                      voluntary_ctxt_switches:\t12\nnonvoluntary_ctxt_switches:\t3\n";
        assert_eq!(read_status(status), Look::Asleep(12));
        assert_eq!(read_status("State:\tR (running)\n"), Look::Running);
        assert_eq!(read_status("State:\tZ (zombie)\n"), Look::Gone);
        assert_eq!(read_status(""), Look::Gone);
    }

    #[test]
    fn a_thread_waiting_on_a_channel_is_seen_blocked_then_ended() {
        let (tid_tx, tid_rx) = mpsc::channel();
        let (go_tx, go_rx) = mpsc::channel::<()>();
        let t = std::thread::spawn(move || {
            tid_tx.send(my_tid()).unwrap();
            go_rx.recv().unwrap();
        });
        let tid = tid_rx.recv().unwrap();
        assert!(threads().contains(&tid));
        assert_eq!(
            until_blocked(tid, "a thread waiting for go", "it never waits"),
            Seen::Blocked
        );
        go_tx.send(()).unwrap();
        t.join().unwrap();
        assert_eq!(
            until_blocked_or_done(&Arc::new(AtomicI32::new(tid)), || false),
            Seen::Ended
        );
    }

    #[test]
    fn a_thread_that_wakes_and_waits_again_is_seen_blocked_again() {
        let (tid_tx, tid_rx) = mpsc::channel();
        let (go_tx, go_rx) = mpsc::channel::<()>();
        let t = std::thread::spawn(move || {
            tid_tx.send(my_tid()).unwrap();
            go_rx.recv().unwrap();
            go_rx.recv().unwrap();
        });
        let (pid, tid) = (crate::procs::own_pid(), tid_rx.recv().unwrap());
        let first = until_blocked_in(pid, tid).expect("blocked in its first recv");
        go_tx.send(()).unwrap();
        let again = first
            .until_blocked_again()
            .expect("blocked in its second recv");
        assert!(again.switches > first.switches, "{first:?} {again:?}");
        go_tx.send(()).unwrap();
        t.join().unwrap();
        assert_eq!(again.until_blocked_again(), None);
    }

    #[test]
    fn done_ends_the_watch_before_any_tid_is_known() {
        assert_eq!(
            until_blocked_or_done(&AtomicI32::new(0), || true),
            Seen::Ended
        );
    }
}
