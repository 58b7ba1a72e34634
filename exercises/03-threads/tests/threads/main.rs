//! The tests of chapter 3, Threads. Written once; they run against the
//! exercise crate (`cargo test -p threads-exercise`) and the solution
//! (`cargo test -p threads-solution`), both of which build `threads`.
//!
//! None of them measures time. Parallelism is proved by evidence: a barrier
//! of N that only opens when N threads wait at it together, distinct thread
//! ids, an order of completion only concurrent threads can produce.

mod ex1_spawn;
mod ex2_panics;
mod ex3_scoped;
mod ex4_arc;
mod ex5_named;

/// How many different values `ids` holds.
pub fn distinct<T: PartialEq>(ids: &[T]) -> usize {
    let mut seen: Vec<&T> = Vec::new();
    for id in ids {
        if !seen.contains(&id) {
            seen.push(id);
        }
    }
    seen.len()
}
