//! Exercise 1: a counter shared by several processes (`src/ex1_counter.rs`).

use std::sync::atomic::Ordering;

use shared_memory::ex1_counter::{count_in_processes, map_shared};
use shared_memory::given::fork_child;
use support::require;

support::isolated_tests! {
    fn a_childs_write_reaches_the_parent() {
        let region = map_shared(4096).expect("map_shared(4096)");
        support::step("waiting for a child that stores 42 and exits", "the child never _exits");
        let child = fork_child(|| region.atomics()[0].store(42, Ordering::Relaxed)).expect("fork");
        child.wait().expect("the child should exit with status 0");
        let seen = region.atomics()[0].load(Ordering::Relaxed);
        require!(seen == 42,
            expected: "the parent to read the 42 its child stored in the mapping",
            got: format!("{seen}: the child's write never reached the parent"),
            look_at: "map_shared: after fork, does the child write to the very pages the parent \
                      maps, or to its own copy of them? (memmap2's map_anon behaves like that too)");
    }

    fn the_mapping_is_zeroed_and_as_long_as_asked() {
        let region = map_shared(10_000).expect("map_shared(10_000)");
        require!(region.len() == 10_000,
            expected: "a Region of 10000 bytes",
            got: format!("{} bytes", region.len()),
            look_at: "map_shared: the Region's length is the length asked for");
        let nonzero = region.atomics().iter().filter(|a| a.load(Ordering::Relaxed) != 0).count();
        require!(nonzero == 0,
            expected: "a new mapping to be all zero bytes",
            got: format!("{nonzero} non-zero words"),
            look_at: "map_shared: an anonymous mapping comes zeroed; is it anonymous?");
    }

    fn an_empty_mapping_is_an_error_not_a_panic() {
        let got = map_shared(0);
        require!(matches!(&got, Err(e) if e.kind() == std::io::ErrorKind::InvalidInput),
            expected: "map_shared(0) to return an InvalidInput error",
            got: format!("{got:?}"),
            look_at: "map_shared: mmap cannot map 0 bytes; what should the caller be told?");
    }

    fn no_increment_is_lost_across_processes() within 30 s {
        support::step("4 processes adding 1 to a shared counter 200,000 times each",
            "a child never finishes. If the children wait for each other to start, does each \
             see the others' count, or only its own copy of the memory it got at fork?");
        let total = count_in_processes(4, 200_000).expect("count_in_processes(4, 200_000)");
        require!(total != 0,
            expected: "800000",
            got: "0: the parent saw none of the children's increments",
            look_at: "count_in_processes and map_shared: is the counter in memory the children \
                      share with the parent, or in a copy each child got at fork?");
        require!(total == 800_000,
            expected: "800000 after 4 processes x 200,000 increments",
            got: format!("{total}: {} increments were lost", 800_000u64.saturating_sub(total)),
            look_at: "count_in_processes: a load and then a store lets another process's \
                      increment land in between (Python's `v.value += 1` does the same). \
                      Which operation reads, adds and writes as one step?");
    }

    fn one_process_and_no_process_count_exactly() {
        let one = count_in_processes(1, 1_000).expect("count_in_processes(1, 1000)");
        require!(one == 1_000,
            expected: "1000 from one process adding 1000 times",
            got: one,
            look_at: "count_in_processes: one child per process asked for");
        let none = count_in_processes(0, 1_000).expect("count_in_processes(0, 1000)");
        require!(none == 0,
            expected: "0 when no process is started",
            got: none,
            look_at: "count_in_processes: procs = 0 starts nobody");
    }
}
