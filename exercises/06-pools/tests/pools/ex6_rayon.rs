use std::panic::{self, AssertUnwindSafe};
use std::sync::{Barrier, Mutex};

use pools::ex6_rayon::{par_map, tree_sum, two_threads};
use support::require;

const NESTED_BLOCKING: &str = "every thread of the 2-thread pool is blocked waiting for a \
     result, and the work that would produce it sits in the queue with no thread left to \
     run it. A fixed pool deadlocks when its jobs block on jobs of the same pool; what does \
     rayon::join do while it waits?";

support::isolated_tests! {
    /// Two items wait at a barrier of two: only two threads running at
    /// once let them both through. Both are threads of the 2-thread pool.
    fn two_pool_threads_run_at_once() {
        let pool = two_threads().expect("a pool of two threads");
        let barrier = Barrier::new(2);
        let seen = Mutex::new(Vec::new());
        support::step("waiting for 2 items to meet at a barrier of 2",
            "the two items run one after another: is the parallel iterator inside install?");
        let got = par_map(&pool, &[3, 4], |x| {
            barrier.wait();
            seen.lock().unwrap().push((rayon::current_thread_index(), rayon::current_num_threads()));
            x * 2
        });
        let seen = seen.into_inner().unwrap();
        require!(got == [6, 8],
            expected: "[6, 8]",
            got: format!("{got:?}"),
            look_at: "par_map: results in input order");
        require!(seen.iter().all(|&(i, n)| i.is_some() && n == 2) && seen[0].0 != seen[1].0,
            expected: "both items on different threads of a pool of 2 (current_num_threads() == 2)",
            got: format!("(thread index, pool size) per item: {seen:?}"),
            look_at: "two_threads and par_map: which pool runs the parallel iterator? \
                      Outside install, it is rayon's global pool");
    }

    /// A thousand items come back in input order.
    fn par_map_keeps_order() {
        let pool = two_threads().expect("a pool of two threads");
        let items: Vec<u64> = (0..1000).collect();
        let got = par_map(&pool, &items, |x| x + 7);
        require!(got.iter().enumerate().all(|(i, &r)| r == i as u64 + 7) && got.len() == 1000,
            expected: "1000 results, f(items[i]) at index i",
            got: format!("{} results: {:?}...", got.len(), &got[..got.len().min(6)]),
            look_at: "par_map: collect keeps the order of an indexed parallel iterator");
    }

    /// A panic inside a parallel iterator reaches the caller; the pool
    /// works afterwards.
    fn a_panic_reaches_the_caller_and_the_pool_lives_on() {
        let pool = two_threads().expect("a pool of two threads");
        let items: Vec<u64> = (0..100).collect();
        let caught = panic::catch_unwind(AssertUnwindSafe(|| {
            par_map(&pool, &items, |x| if x == 42 { panic!("42 is not allowed") } else { x })
        }));
        require!(caught.is_err(),
            expected: "the panic of item 42 to reach the caller of par_map",
            got: "par_map returned normally",
            look_at: "par_map");
        let got = par_map(&pool, &[1, 2, 3], |x| x);
        require!(got == [1, 2, 3],
            expected: "[1, 2, 3] from the same pool after the panic",
            got: format!("{got:?}"),
            look_at: "par_map");
    }

    /// Splitting within splitting, ten levels deep, on two threads.
    fn deep_splits_do_not_deadlock() within 10 s {
        let pool = two_threads().expect("a pool of two threads");
        let data: Vec<u64> = (1..=10_000).collect();
        support::step("summing 10,000 numbers by splitting in halves on 2 threads", NESTED_BLOCKING);
        let got = tree_sum(&pool, &data);
        require!(got == 50_005_000,
            expected: "50005000",
            got: format!("{got}"),
            look_at: "tree_sum: both halves of every split are added");
    }

    /// The small cases: nothing, one item, exactly a leaf, one more.
    fn tree_sum_small_inputs() {
        let pool = two_threads().expect("a pool of two threads");
        for n in [0u64, 1, 8, 9, 17] {
            let data: Vec<u64> = (1..=n).collect();
            let got = tree_sum(&pool, &data);
            require!(got == n * (n + 1) / 2,
                expected: format!("tree_sum(1..={n}) == {}", n * (n + 1) / 2),
                got: format!("{got}"),
                look_at: "tree_sum: the leaf case, and the cut into two halves");
        }
    }
}
