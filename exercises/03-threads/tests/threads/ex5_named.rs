use std::thread;

use support::require;
use threads::ex5_named::{do_task, run_named, tasks_done_here};

support::isolated_tests! {
    /// The counter belongs to each thread: work done on another thread
    /// does not show up here, and a new thread starts at 0.
    fn do_task_counts_per_thread() {
        let before = tasks_done_here();
        let nine = do_task(3);
        require!(nine == 9 && tasks_done_here() == before + 1,
            expected: format!("do_task(3) == 9 and this thread's count {before} -> {}", before + 1),
            got: format!("do_task(3) == {nine}, count {before} -> {}", tasks_done_here()),
            look_at: "do_task (src/ex5_named.rs): does it return n * n, and count one task?");
        support::step("waiting for a helper thread",
            "do_task or tasks_done_here never returns: does it wait for a lock?");
        let (fresh, after_five) = thread::scope(|s| {
            s.spawn(|| {
                let fresh = tasks_done_here();
                for n in 0..5 {
                    do_task(n);
                }
                (fresh, tasks_done_here())
            })
            .join()
            .unwrap()
        });
        require!(fresh == 0 && after_five == 5,
            expected: "a new thread starts at 0 and counts its own 5 tasks",
            got: format!("it started at {fresh} and ended at {after_five}"),
            look_at: "the counter in src/ex5_named.rs: is there one per thread, or one \
                      static that every thread adds to?");
        require!(tasks_done_here() == before + 1,
            expected: format!("this thread's count still {}", before + 1),
            got: tasks_done_here(),
            look_at: "the counter in src/ex5_named.rs: whose tasks does this thread's count \
                      include? Another thread's tasks should not show up here");
    }

    /// Each worker sees the name the Builder gave it.
    fn workers_are_named_by_the_builder() {
        support::step("waiting for 3 named workers",
            "run_named never returns: does a worker wait for something that never comes?");
        let got = run_named("crunch", vec![vec![1], vec![2], vec![3]]).expect("threads should start");
        let names: Vec<Option<String>> = got.iter().map(|r| r.name.clone()).collect();
        let want: Vec<Option<String>> = (0..3).map(|k| Some(format!("crunch-{k}"))).collect();
        require!(names == want,
            expected: format!("{want:?}"),
            got: format!("{names:?}"),
            look_at: "run_named (src/ex5_named.rs): is each thread given its name when it is \
                      built, and is the name read on the worker itself?");
    }

    /// Each report holds the worker's own count, read on the worker; the
    /// caller's count does not move.
    fn each_thread_counts_its_own_work() {
        let before = tasks_done_here();
        support::step("waiting for 3 named workers",
            "run_named never returns: does a worker wait for something that never comes?");
        let got = run_named("w", vec![vec![1], vec![1, 2], vec![1, 2, 3]]).expect("threads should start");
        let counts: Vec<u64> = got.iter().map(|r| r.tasks_done).collect();
        let sums: Vec<u64> = got.iter().map(|r| r.sum).collect();
        require!(counts == [1, 2, 3],
            expected: "tasks_done [1, 2, 3]: each worker's own thread-local count",
            got: format!("{counts:?}"),
            look_at: "run_named (src/ex5_named.rs): on which thread is tasks_done_here() \
                      called? After join() your code runs on the caller's thread, which has \
                      the caller's counter");
        require!(sums == [1, 5, 14],
            expected: "sums [1, 5, 14] (1; 1 + 4; 1 + 4 + 9)",
            got: format!("{sums:?}"),
            look_at: "run_named (src/ex5_named.rs): is the sum taken over do_task(n) for \
                      every n of the batch?");
        require!(tasks_done_here() == before,
            expected: "the caller's own count unchanged",
            got: format!("{before} -> {}", tasks_done_here()),
            look_at: "run_named (src/ex5_named.rs): on which thread does do_task run?");
    }
}
