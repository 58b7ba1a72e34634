//! Workloads of the processes chapter's benchmarks.
//!
//! Two questions, two kinds of workload:
//!
//! * **What does it cost to start and finish one worker?** A thread
//!   ([`spawn_join_thread`]), a forked copy of this process ([`fork_wait`]),
//!   and a new program ([`command_true`]: fork + exec of `true`).
//! * **Does the work get faster with more workers?** The same CPU-bound job,
//!   counting primes by trial division, done serially ([`primes_serial`]),
//!   by scoped threads ([`primes_threads`]) and by forked processes
//!   ([`primes_processes`]). The job touches almost no memory, so it measures
//!   how well the workers run side by side, not the memory bus.
//!
//! The Threads chapter reuses these functions; keep their names.

use std::fs::File;
use std::hint::black_box;
use std::io::{ErrorKind, Read};
use std::os::fd::OwnedFd;
use std::process::Command;

use nix::libc;
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork, pipe, write};

/// Is `m` prime? Trial division by 2 and the odd numbers up to √m.
fn is_prime(m: u64) -> bool {
    if m < 2 {
        return false;
    }
    if m < 4 {
        return true;
    }
    if m.is_multiple_of(2) {
        return false;
    }
    let mut d = 3;
    // `d <= m / d` is `d * d <= m` without the overflow.
    while d <= m / d {
        if m.is_multiple_of(d) {
            return false;
        }
        d += 2;
    }
    true
}

// ANCHOR: count_primes
/// How many primes `p` satisfy `lo <= p < hi`? Trial division: pure CPU
/// work, no allocation, no memory traffic.
pub fn count_primes(lo: u64, hi: u64) -> u64 {
    (lo..hi).filter(|&m| is_prime(m)).count() as u64
}
// ANCHOR_END: count_primes

/// How many small ranges each worker gets. Testing a large number costs more
/// than testing a small one, so cutting `0..n` into `workers` consecutive
/// blocks would leave the last worker with the most work. Many small chunks,
/// dealt out in turn like cards, give every worker nearly the same mix.
const CHUNKS_PER_WORKER: u64 = 64;

// ANCHOR: share
/// The part of "count the primes below `n`" that worker `w` of `workers`
/// does: every `workers`-th chunk, starting with chunk `w`. The shares of
/// workers `0..workers` add up to exactly `primes_serial(n)`.
pub fn share(n: u64, workers: usize, w: usize) -> u64 {
    assert!(workers > 0, "share: there must be at least one worker");
    let workers = workers as u64;
    let chunk = n.div_ceil(workers * CHUNKS_PER_WORKER).max(1);
    let mut total = 0;
    let mut start = w as u64 * chunk;
    while start < n {
        total += count_primes(start, (start + chunk).min(n));
        start += workers * chunk;
    }
    total
}
// ANCHOR_END: share

/// The primes below `n`, counted by one thread.
pub fn primes_serial(n: u64) -> u64 {
    count_primes(0, n)
}

// ANCHOR: primes_threads
/// The primes below `n`, counted by `workers` threads that each do one
/// [`share`]. Scoped threads may borrow from this function's stack, and all of
/// them are joined before `scope` returns.
pub fn primes_threads(n: u64, workers: usize) -> u64 {
    assert!(
        workers > 0,
        "primes_threads: there must be at least one worker"
    );
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| s.spawn(move || share(n, workers, w)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a counting thread panicked"))
            .sum()
    })
}
// ANCHOR_END: primes_threads

/// One forked child of [`try_primes_processes`]: its pid and the read end of
/// the pipe it writes its answer into.
struct Child {
    pid: Pid,
    answer: File,
}

// ANCHOR: primes_processes
/// The primes below `n`, counted by `workers` forked child processes.
///
/// Each child computes its [`share`], writes the count as 8 bytes into a pipe
/// of its own, and ends with `_exit`. The parent reads every answer and waits
/// for every child, so none is left a zombie. Panics with a message saying
/// what went wrong (see [`try_primes_processes`] for the `Result` version).
pub fn primes_processes(n: u64, workers: usize) -> u64 {
    try_primes_processes(n, workers).unwrap_or_else(|e| panic!("primes_processes: {e}"))
}

/// [`primes_processes`], returning what went wrong instead of panicking.
/// Every child that was started has been waited for when this returns,
/// whether it succeeds or not.
pub fn try_primes_processes(n: u64, workers: usize) -> Result<u64, String> {
    if workers == 0 {
        return Err("there must be at least one worker".into());
    }
    let mut children = Vec::with_capacity(workers);
    let mut error = None;
    for w in 0..workers {
        match start_child(n, workers, w) {
            Ok(child) => children.push(child),
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    // Read every answer, then wait for every child, even after an error:
    // a child we never wait for would stay a zombie.
    let mut total = 0u64;
    for (w, mut child) in children.into_iter().enumerate() {
        let answer = read_answer(&mut child.answer);
        drop(child.answer);
        let status = waitpid(child.pid, None);
        let result = answer.and_then(|count| match status {
            Ok(WaitStatus::Exited(_, 0)) => Ok(count),
            Ok(other) => Err(format!("child {w} ended abnormally: {other:?}")),
            Err(e) => Err(format!("waitpid for child {w} failed: {e}")),
        });
        match result {
            Ok(count) => total += count,
            Err(e) => {
                error.get_or_insert(format!("worker {w}: {e}"));
            }
        }
    }
    match error {
        Some(e) => Err(e),
        None => Ok(total),
    }
}

/// Forks the child that counts share `w`.
fn start_child(n: u64, workers: usize, w: usize) -> Result<Child, String> {
    let (read_end, write_end) = pipe().map_err(|e| format!("pipe failed: {e}"))?;
    // The parent may have other threads (the test harness, criterion), which
    // could hold a lock (allocator, stdout) at the moment of the fork.
    // SAFETY: the child only computes (`share` neither allocates nor locks),
    // writes to a raw fd and calls `_exit`: it takes no such lock and never
    // returns into the caller, so forking a multi-threaded parent is sound.
    match unsafe { fork() } {
        Ok(ForkResult::Child) => {
            let code = match write_all(&write_end, &share(n, workers, w).to_le_bytes()) {
                Ok(()) => 0,
                Err(_) => 2,
            };
            // SAFETY: `_exit` ends the child at once, without running atexit
            // handlers or flushing stdio buffers that belong to the parent.
            unsafe { libc::_exit(code) }
        }
        Ok(ForkResult::Parent { child }) => {
            // Close our copy of the write end, so the read end reports end of
            // file once the child's copy is closed by its exit.
            drop(write_end);
            Ok(Child {
                pid: child,
                answer: File::from(read_end),
            })
        }
        Err(e) => Err(format!("fork failed: {e}")),
    }
}

/// Writes all of `buf` with raw `write` calls (no allocation, no locks:
/// safe in a forked child).
fn write_all(fd: &OwnedFd, mut buf: &[u8]) -> nix::Result<()> {
    while !buf.is_empty() {
        match write(fd, buf) {
            Ok(0) => return Err(nix::errno::Errno::EPIPE),
            Ok(k) => buf = &buf[k..],
            Err(nix::errno::Errno::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
// ANCHOR_END: primes_processes

/// Reads one child's whole answer (up to end of file) and decodes it. Reads at
/// most 9 bytes: enough to tell a correct 8-byte answer from a too-long one,
/// never an unbounded amount.
fn read_answer(pipe: &mut File) -> Result<u64, String> {
    let mut buf = [0u8; 9];
    let mut len = 0;
    while len < buf.len() {
        match pipe.read(&mut buf[len..]) {
            Ok(0) => break,
            Ok(k) => len += k,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(format!("reading the answer failed: {e}")),
        }
    }
    decode_answer(&buf[..len])
}

/// Decodes a child's answer: exactly 8 bytes, a little-endian `u64`.
/// Anything shorter or longer is an error, not a panic.
pub fn decode_answer(bytes: &[u8]) -> Result<u64, String> {
    let array: [u8; 8] = bytes.try_into().map_err(|_| {
        if bytes.is_empty() {
            "the child wrote no answer (did it die before writing?)".to_string()
        } else if bytes.len() < 8 {
            format!("truncated answer: {} of 8 bytes", bytes.len())
        } else {
            "oversized answer: more than 8 bytes".to_string()
        }
    })?;
    Ok(u64::from_le_bytes(array))
}

// ANCHOR: start_finish
/// Starts a thread that does nothing and joins it.
pub fn spawn_join_thread() {
    let handle = std::thread::spawn(|| black_box(1u32));
    let one = handle.join().expect("the empty thread panicked");
    assert_eq!(one, 1);
}

/// Forks a child that exits at once, and waits for it.
pub fn fork_wait() {
    // SAFETY: the child calls only `_exit`, which is async-signal-safe; it
    // touches no lock and no memory another thread could be changing.
    match unsafe { fork() } {
        // SAFETY: `_exit` ends the child at once; nothing of the parent's
        // (stdio buffers, destructors, atexit handlers) runs in the child.
        Ok(ForkResult::Child) => unsafe { libc::_exit(0) },
        Ok(ForkResult::Parent { child }) => match waitpid(child, None) {
            Ok(WaitStatus::Exited(_, 0)) => {}
            other => panic!("fork_wait: the child did not exit cleanly: {other:?}"),
        },
        Err(e) => panic!("fork_wait: fork failed: {e}"),
    }
}

/// Runs the program `true` (fork + exec + dynamic loading) and waits for it.
pub fn command_true() {
    let status = Command::new("true")
        .status()
        .unwrap_or_else(|e| panic!("command_true: could not run `true`: {e}"));
    assert!(status.success(), "command_true: `true` failed: {status}");
}
// ANCHOR_END: start_finish

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_primes_knows_the_classic_counts() {
        assert_eq!(count_primes(0, 10), 4, "2, 3, 5, 7");
        assert_eq!(count_primes(0, 100), 25);
        assert_eq!(count_primes(0, 1000), 168);
        assert_eq!(count_primes(0, 100_000), 9592);
        assert_eq!(count_primes(10, 20), 4, "11, 13, 17, 19");
        assert_eq!(count_primes(7, 8), 1);
        assert_eq!(count_primes(8, 7), 0, "an empty range");
        assert_eq!(count_primes(0, 2), 0, "0 and 1 are not prime");
    }

    #[test]
    fn is_prime_handles_squares_and_huge_numbers() {
        assert!(!is_prime(9) && !is_prime(25) && !is_prime(49));
        assert!(is_prime(1_000_003));
        // No overflow near the top of u64 (the divisor test is d <= m / d).
        assert!(!is_prime(u64::MAX));
    }

    #[test]
    fn shares_add_up_for_every_worker_count() {
        for n in [0, 1, 2, 10, 97, 1000, 12_345] {
            let expected = primes_serial(n);
            for workers in 1..=9 {
                let total: u64 = (0..workers).map(|w| share(n, workers, w)).sum();
                assert_eq!(total, expected, "n = {n}, workers = {workers}");
            }
        }
    }

    #[test]
    fn shares_are_balanced() {
        // The point of dealing out small chunks: no worker's share of the
        // primes is far from the average.
        let n = 200_000;
        let shares: Vec<u64> = (0..4).map(|w| share(n, 4, w)).collect();
        let (min, max) = (shares.iter().min().unwrap(), shares.iter().max().unwrap());
        assert!(max - min < max / 20, "unbalanced shares: {shares:?}");
    }

    #[test]
    fn threads_and_processes_agree_with_serial() {
        let n = 100_000;
        let expected = primes_serial(n);
        assert_eq!(expected, 9592);
        for workers in [1, 2, 3, 4, 7] {
            assert_eq!(
                primes_threads(n, workers),
                expected,
                "threads, {workers} workers"
            );
            assert_eq!(
                primes_processes(n, workers),
                expected,
                "processes, {workers} workers"
            );
        }
    }

    #[test]
    fn zero_workers_is_an_error_not_a_hang() {
        assert!(try_primes_processes(10, 0).is_err());
    }

    #[test]
    fn decoder_rejects_truncated_and_oversized_answers() {
        assert_eq!(decode_answer(&42u64.to_le_bytes()), Ok(42));
        assert!(decode_answer(&[]).unwrap_err().contains("no answer"));
        assert!(decode_answer(&[1, 2, 3]).unwrap_err().contains("truncated"));
        assert!(decode_answer(&[0; 9]).unwrap_err().contains("oversized"));
    }

    #[test]
    fn start_and_finish_helpers_work() {
        spawn_join_thread();
        fork_wait();
        command_true();
    }
}
