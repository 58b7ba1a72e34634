//! Code the exercises use but do not ask you to write.
//!
//! * [`count_primes_in`] and [`sum_chunk`]: the local work of exercises 1
//!   and 3. Each also notes what it was given, so the tests can tell which
//!   rank did which part of the work.
//! * [`block_of`] and [`owner_of`]: the blocks of exercise 2, each made so
//!   that it says which rank it came from.
//! * The tags of exercise 4's messages.

use std::sync::Mutex;

use mpi::Tag;

/// Is `m` prime? Trial division, as in the Processes chapter.
pub fn is_prime(m: u64) -> bool {
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
    while d * d <= m {
        if m.is_multiple_of(d) {
            return false;
        }
        d += 2;
    }
    true
}

static COUNTED: Mutex<Vec<(u64, u64)>> = Mutex::new(Vec::new());
static SUMMED: Mutex<Vec<usize>> = Mutex::new(Vec::new());

/// How many primes lie in `lo..hi`. Every call is noted (see [`counted`]).
pub fn count_primes_in(lo: u64, hi: u64) -> u64 {
    COUNTED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((lo, hi));
    (lo..hi).filter(|&m| is_prime(m)).count() as u64
}

/// The ranges this process gave to [`count_primes_in`], in order.
pub fn counted() -> Vec<(u64, u64)> {
    COUNTED.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// The sum of one chunk. Every call is noted (see [`summed`]).
pub fn sum_chunk(chunk: &[u64]) -> u64 {
    SUMMED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(chunk.len());
    chunk.iter().sum()
}

/// The lengths of the chunks this process gave to [`sum_chunk`], in order.
pub fn summed() -> Vec<usize> {
    SUMMED.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// The block that rank `rank` starts with in exercise 2: `len` bytes in a
/// pattern that only this rank's block has.
pub fn block_of(rank: i32, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| {
            let salt = (rank as u8).wrapping_mul(31).wrapping_add(1);
            (i as u8).wrapping_mul(7).wrapping_add(salt)
        })
        .collect()
}

/// Which of the ranks `0..size` started with `block`, if any.
pub fn owner_of(block: &[u8], size: i32) -> Option<i32> {
    (0..size).find(|&r| block == block_of(r, block.len()).as_slice())
}

// ANCHOR: tags
/// Exercise 4: a worker's first message, "I am ready" (no data).
pub const READY: Tag = 1;
/// Exercise 4: a worker's answer, `[index, result]`.
pub const RESULT: Tag = 2;
/// Exercise 4: the master's task for a worker, `[index, task]`.
pub const TASK: Tag = 3;
/// Exercise 4: the master tells a worker there is no more work (no data).
pub const STOP: Tag = 4;
// ANCHOR_END: tags
