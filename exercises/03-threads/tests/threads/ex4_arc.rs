use std::cell::Cell;
use std::sync::{Arc, Barrier, Mutex};
use std::thread::{self, ThreadId};

use support::require;
use threads::ex4_arc::{default_workers, parallel_map};

support::isolated_tests! {
    /// Like Python's `os.cpu_count()`: what the OS says we may use.
    fn default_workers_is_the_available_parallelism() {
        let want = thread::available_parallelism().map_or(1, |n| n.get());
        let got = default_workers();
        require!(got == want,
            expected: format!("{want} (std::thread::available_parallelism() on this machine)"),
            got: got,
            look_at: "default_workers (src/ex4_arc.rs): does it return what \
                      available_parallelism() says, and 1 only when that is an Err?");
    }

    /// Every item a worker reads lies inside the one shared Vec: the
    /// workers share it, nobody copied it.
    fn workers_read_the_shared_data_not_a_copy() {
        let items: Arc<Vec<u64>> = Arc::new((0..100).collect());
        let start = items.as_ptr() as usize;
        let end = start + items.len() * std::mem::size_of::<u64>();
        let outside: Arc<Mutex<Vec<usize>>> = Arc::default();
        let record = Arc::clone(&outside);
        support::step("waiting for parallel_map with 4 workers",
            "parallel_map never returns: does a worker wait for something that never comes?");
        let got = parallel_map(Arc::clone(&items), 4, move |x: &u64| {
            let at = x as *const u64 as usize;
            if !(start..end).contains(&at) {
                record.lock().unwrap().push(at);
            }
            x + 1
        });
        let outside = outside.lock().unwrap().clone();
        require!(outside.is_empty(),
            expected: format!("every item read from the shared Vec at {start:#x}..{end:#x}"),
            got: format!("{} item(s) read from a copy, e.g. at {:#x}", outside.len(), outside[0]),
            look_at: "parallel_map (src/ex4_arc.rs): what does each worker's closure take \
                      with it: a second handle to the one Vec, or a Vec of its own? \
                      `(*items).clone()` and `to_vec()` copy every element");
        require!(got == (1..=100).collect::<Vec<u64>>(),
            expected: "[1, 2, ..., 100]",
            got: format!("{got:?}"),
            look_at: "parallel_map (src/ex4_arc.rs): are the results in item order?");
    }

    /// Each of 3 workers stops at a barrier of 3 on its first item: it
    /// opens only if the 3 run at once, on 3 threads.
    fn all_workers_run_at_once() {
        thread_local! {
            static MET: Cell<bool> = const { Cell::new(false) };
        }
        let barrier = Arc::new(Barrier::new(3));
        let ids: Arc<Mutex<Vec<ThreadId>>> = Arc::default();
        let record = Arc::clone(&ids);
        support::step("waiting for 3 workers to meet at a barrier of 3",
            "the workers seem to run one after another, or fewer than 3 of them got an item. \
             Possible causes: each worker is joined before the next one starts; or the items \
             are not spread over all 3 workers (worker w should take items w, w + workers, \
             ...). Look at parallel_map (src/ex4_arc.rs)");
        let got = parallel_map(Arc::new((0..9u64).collect()), 3, move |x: &u64| {
            if !MET.with(|m| m.replace(true)) {
                record.lock().unwrap().push(thread::current().id());
                barrier.wait();
            }
            x * x
        });
        let ids = ids.lock().unwrap().clone();
        require!(crate::distinct(&ids) == 3 && !ids.contains(&thread::current().id()),
            expected: "3 worker threads, none of them the caller",
            got: format!("{} different thread(s)", crate::distinct(&ids)),
            look_at: "parallel_map (src/ex4_arc.rs): how many threads does it start, and \
                      does any item run on the calling thread?");
        require!(got == [0, 1, 4, 9, 16, 25, 36, 49, 64],
            expected: "[0, 1, 4, 9, 16, 25, 36, 49, 64]",
            got: format!("{got:?}"),
            look_at: "parallel_map (src/ex4_arc.rs): does each result go back to its item's index?");
    }

    /// After parallel_map returns, nobody else holds the Arc: every worker
    /// was joined, and its clone dropped with it.
    fn every_worker_is_joined() {
        let items = Arc::new(vec![String::from("a"), String::from("bb"), String::from("ccc")]);
        support::step("waiting for parallel_map with 2 workers",
            "parallel_map never returns: does a worker wait for something that never comes?");
        let got = parallel_map(Arc::clone(&items), 2, |s: &String| s.len());
        require!(got == [1, 2, 3],
            expected: "[1, 2, 3]",
            got: format!("{got:?}"),
            look_at: "parallel_map (src/ex4_arc.rs): are the results in item order?");
        require!(Arc::strong_count(&items) == 1,
            expected: "1 owner of the Arc left (the test) once parallel_map has returned",
            got: format!("{} owners", Arc::strong_count(&items)),
            look_at: "parallel_map (src/ex4_arc.rs): is every JoinHandle joined before it \
                      returns? A thread nobody joined may still be running, holding its clone");
    }
}
