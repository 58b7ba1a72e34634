//! The Summing-a-large-array case study's tests, written once: they run
//! against your crate (`cargo test -p array-sum-exercise`) and against the
//! reference solution (`cargo test -p array-sum-solution`). One module per
//! exercise; every test runs in a process of its own, under a time limit,
//! and fails if it leaves a child process behind (see
//! `support::isolated_tests!`).

mod ex1_split;
mod ex2_slots;
mod ex3_processes;

/// The ranges a correct split gives: boundary `i` is `i * n / k`. Tests
/// use it to know each worker's part without trusting the code under test.
pub fn expected_ranges(n: usize, k: usize) -> Vec<std::ops::Range<usize>> {
    let b = |i: usize| (i as u128 * n as u128 / k as u128) as usize;
    (0..k).map(|i| b(i)..b(i + 1)).collect()
}

/// The wrapping sum of `data`, one item at a time.
pub fn serial(data: &[u64]) -> u64 {
    data.iter().fold(0, |a, &x| a.wrapping_add(x))
}
