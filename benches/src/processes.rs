//! Workloads of the processes chapter's benchmarks.
//!
//! TEMPORARY STAND-IN written by the threads chapter so that its bench
//! compiles: the benches branch owns this file and its real version wins.

use std::thread;

use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, fork, pipe, read, write};

fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    let mut d = 2;
    while d * d <= n {
        if n.is_multiple_of(d) {
            return false;
        }
        d += 1;
    }
    true
}

/// The number of primes in `lo..hi`, by trial division.
pub fn count_primes(lo: u64, hi: u64) -> u64 {
    (lo..hi).filter(|&k| is_prime(k)).count() as u64
}

/// The number of primes below `n`, on the calling thread.
pub fn primes_serial(n: u64) -> u64 {
    count_primes(0, n)
}

fn bounds(n: u64, workers: usize, w: usize) -> (u64, u64) {
    let w = w as u64;
    let k = workers as u64;
    (n * w / k, n * (w + 1) / k)
}

/// The number of primes below `n`, split into `workers` ranges on threads.
pub fn primes_threads(n: u64, workers: usize) -> u64 {
    thread::scope(|s| {
        let hs: Vec<_> = (0..workers)
            .map(|w| {
                let (lo, hi) = bounds(n, workers, w);
                s.spawn(move || count_primes(lo, hi))
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

/// The number of primes below `n`, split into `workers` ranges on forked
/// children that send their counts back through a pipe.
pub fn primes_processes(n: u64, workers: usize) -> u64 {
    let (rd, wr) = pipe().expect("pipe");
    let mut children = Vec::new();
    for w in 0..workers {
        let (lo, hi) = bounds(n, workers, w);
        // SAFETY: the child only computes, writes 8 bytes to a raw fd and
        // calls `_exit`; it never returns into the caller's code.
        match unsafe { fork() }.expect("fork") {
            ForkResult::Child => {
                let bytes = count_primes(lo, hi).to_le_bytes();
                let _ = write(&wr, &bytes);
                // SAFETY: `_exit` ends the child at once without running
                // the parent's atexit handlers or destructors.
                unsafe { libc_exit() }
            }
            ForkResult::Parent { child } => children.push(child),
        }
    }
    drop(wr);
    let mut total = 0;
    for _ in 0..workers {
        let mut buf = [0u8; 8];
        let mut got = 0;
        while got < 8 {
            match read(&rd, &mut buf[got..]) {
                Ok(0) => panic!("a child died before sending its count"),
                Ok(k) => got += k,
                Err(nix::errno::Errno::EINTR) => {}
                Err(e) => panic!("read: {e}"),
            }
        }
        total += u64::from_le_bytes(buf);
    }
    for c in children {
        let _ = waitpid(c, None);
    }
    total
}

/// `_exit(0)` through nix's re-export of libc.
///
/// # Safety
/// Ends the process at once; call only in a forked child.
unsafe fn libc_exit() -> ! {
    // SAFETY: the caller is a forked child that must not unwind or run
    // destructors; `_exit` takes no pointers.
    unsafe { nix::libc::_exit(0) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_version_counts_the_same() {
        assert_eq!(primes_serial(10_000), 1229);
        assert_eq!(primes_threads(10_000, 3), 1229);
        assert_eq!(primes_processes(10_000, 3), 1229);
    }
}
