//! Code the exercises use but do not ask you to write.
//!
//! * [`count_primes_in`] and [`sum_chunk`]: the local work of exercises 1
//!   and 3. Each also notes what it was given, so the tests can tell which
//!   rank did which part of the work.
//! * [`block_of`] and [`owner_of`]: the blocks of exercise 2, each made so
//!   that it says which rank it came from.
//! * The tags of exercise 4's messages, and [`failure`] /
//!   [`read_failure`] and [`panic_message`] for a task that fails.
//! * [`started_by_mpirun`] and [`relaunch`]: a program started by hand
//!   (the ping-pong example, the benchmark) starts itself again under
//!   `mpirun`.

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
/// Exercise 4: a worker's report that a task failed, made by [`failure`].
pub const FAILED: Tag = 5;
// ANCHOR_END: tags

/// Exercise 4: what became of one task: its result, or why it failed.
pub type Outcome = Result<u64, String>;

/// Exercise 4: the message of a `FAILED` report, for the task at `index`
/// that failed because of `why`. Every message of the farm is a list of
/// `u64`, so the reason's bytes are packed eight to a number: `[index,
/// number of bytes, packed bytes...]`.
pub fn failure(index: u64, why: &str) -> Vec<u64> {
    let mut msg = vec![index, why.len() as u64];
    for chunk in why.as_bytes().chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        msg.push(u64::from_le_bytes(word));
    }
    msg
}

/// Exercise 4: reads a `FAILED` report made by [`failure`]: the task's
/// index and the reason. `None` if the message is not one (too short, a
/// length that does not match, bytes that are not UTF-8).
pub fn read_failure(msg: &[u64]) -> Option<(u64, String)> {
    let (&index, rest) = msg.split_first()?;
    let (&len, words) = rest.split_first()?;
    let len = usize::try_from(len).ok()?;
    if len.div_ceil(8) != words.len() {
        return None;
    }
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    let why = std::str::from_utf8(&bytes[..len]).ok()?;
    Some((index, why.to_string()))
}

/// Exercise 4: the message of a panic caught by
/// `std::panic::catch_unwind` (its `Err`), as text.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string())
}

/// Was this process started by `mpirun` (as one of its ranks)? Open MPI
/// tells its ranks their number in the environment.
pub fn started_by_mpirun() -> bool {
    ["OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"]
        .iter()
        .any(|v| std::env::var_os(v).is_some())
}

/// Runs this same program, with the same arguments, on `np` ranks under
/// `mpirun`, waits for it and returns its exit status. For programs that
/// a student (or `cargo`) starts by hand. Set up as the tests do: allowed
/// to run as root (Open MPI refuses otherwise), more ranks than cores
/// allowed, and the ranks' shared memory without the kernel's
/// cross-process copy (which containers often forbid), unless the
/// environment already says otherwise.
pub fn relaunch(np: usize) -> std::process::ExitCode {
    let Ok(me) = std::env::current_exe() else {
        eprintln!("this program could not find its own path to start itself under mpirun");
        return std::process::ExitCode::FAILURE;
    };
    let mut cmd = std::process::Command::new("mpirun");
    cmd.args(["--oversubscribe", "--bind-to", "none", "-np"])
        .arg(np.to_string())
        .arg(me)
        .args(std::env::args_os().skip(1));
    for (var, value) in [
        ("OMPI_ALLOW_RUN_AS_ROOT", "1"),
        ("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1"),
        ("OMPI_MCA_btl_vader_single_copy_mechanism", "none"),
    ] {
        if std::env::var_os(var).is_none() {
            cmd.env(var, value);
        }
    }
    match cmd.status() {
        Ok(s) if s.success() => std::process::ExitCode::SUCCESS,
        Ok(s) => {
            eprintln!("mpirun -np {np} ended with {s}");
            std::process::ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!(
                "mpirun could not be started ({e}): this program needs Open MPI \
                 (Debian: apt-get install openmpi-bin libopenmpi-dev)"
            );
            std::process::ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_report_reads_back_and_a_garbled_one_does_not() {
        for why in ["", "1234567", "12345678", "task 3: refused (ünïcode)"] {
            assert_eq!(read_failure(&failure(3, why)), Some((3, why.to_string())));
        }
        let good = failure(7, "no such file");
        assert_eq!(read_failure(&good[..good.len() - 1]), None);
        assert_eq!(read_failure(&[good.clone(), vec![0]].concat()), None);
        assert_eq!(read_failure(&[7]), None);
        assert_eq!(read_failure(&[]), None);
        assert_eq!(read_failure(&[7, u64::MAX]), None);
        assert_eq!(read_failure(&[7, 2, 0xffff]), None);
        let caught = std::panic::catch_unwind(|| panic!("at task {}", 4)).unwrap_err();
        assert_eq!(panic_message(caught.as_ref()), "at task 4");
    }
}
