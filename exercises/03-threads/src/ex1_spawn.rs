//! Exercise 1: start several workers at once, and collect what they return.
//!
//! In Python you would write `Thread(target=work, args=(i,))`, call
//! `start()` on each, then `join()` on each. In Rust, `std::thread::spawn`
//! starts a thread and hands back a `JoinHandle<T>`; `handle.join()` waits
//! for the thread and gives back the value its closure returned.

// ANCHOR: stub
/// Runs `work(0)`, `work(1)`, ..., `work(n - 1)`, each on a thread of its
/// own, and returns their results in the order of `i`: element `i` of the
/// result is `work(i)`, whatever order the threads finish in.
///
/// All `n` threads must be running at the same time: start every one of
/// them (keep the `JoinHandle`s in a `Vec`) before you join the first.
/// Each thread needs its own copy of `work`: clone it, then `move` the
/// clone into the thread's closure.
pub fn spawn_workers<F>(n: usize, work: F) -> Vec<u64>
where
    F: Fn(usize) -> u64 + Clone + Send + 'static,
{
    todo!("start n threads, keep their JoinHandles, then join them in order")
}
// ANCHOR_END: stub
