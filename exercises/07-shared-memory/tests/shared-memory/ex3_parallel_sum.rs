//! Exercise 3: a parallel sum over shared memory (`src/ex3_parallel_sum.rs`).

use shared_memory::ex3_parallel_sum::{Slot, chunk, sum_in_processes};
use support::require;

fn serial(data: &[u64]) -> u64 {
    data.iter().sum()
}

support::isolated_tests! {
    fn sums_are_right_for_awkward_lengths() within 20 s {
        for len in [0usize, 1, 2, 3, 5, 1000, 1001, 4099] {
            let data: Vec<u64> = (0..len as u64).map(|i| i * 3 + 1).collect();
            for workers in [1usize, 2, 3, 4, 7] {
                support::step(&format!("summing {len} numbers with {workers} worker processes"),
                    "a worker never finishes, or the parent waits for a child it never started");
                let got = sum_in_processes(&data, workers).expect("sum_in_processes");
                require!(got == serial(&data),
                    expected: format!("{} (the serial sum of {len} numbers, {workers} workers)", serial(&data)),
                    got: format!("{got}"),
                    look_at: "sum_in_processes / chunk: do the chunks cover every index exactly once \
                              when the length is not a multiple of the number of workers, or \
                              smaller than it?");
            }
        }
    }

    fn chunks_cover_every_index_once() {
        for len in [0usize, 1, 3, 10, 11, 12] {
            for workers in [1usize, 2, 3, 4, 5, 16] {
                let mut seen = vec![0u32; len];
                for i in 0..workers {
                    let r = chunk(len, workers, i);
                    require!(r.start <= r.end && r.end <= len,
                        expected: format!("chunk({len}, {workers}, {i}) to be a range inside 0..{len}"),
                        got: format!("{r:?}"),
                        look_at: "chunk: clamp both ends to len");
                    for k in r { seen[k] += 1; }
                }
                require!(seen.iter().all(|&n| n == 1),
                    expected: format!("the {workers} chunks of 0..{len} to cover each index once"),
                    got: format!("times each index was covered: {seen:?}"),
                    look_at: "chunk: how big is a chunk when len is not a multiple of workers?");
            }
        }
    }

    fn result_slots_sit_on_separate_cache_lines() {
        let (align, size) = (align_of::<Slot>(), size_of::<Slot>());
        require!(align >= 64 && size % 64 == 0,
            expected: "each Slot to start a 64-byte cache line of its own (align 64, size a multiple of 64)",
            got: format!("align {align}, size {size}: neighbouring workers' slots share a cache line, \
                          and each store steals the line from the other core"),
            look_at: "Slot: which attribute sets a type's alignment?");
    }

    fn zero_workers_is_an_error() {
        let got = sum_in_processes(&[1, 2, 3], 0);
        require!(matches!(&got, Err(e) if e.kind() == std::io::ErrorKind::InvalidInput),
            expected: "sum_in_processes(data, 0) to return an InvalidInput error",
            got: format!("{got:?}"),
            look_at: "sum_in_processes: who would do the work?");
    }

    fn a_hundred_workers_each_get_a_slot() within 20 s {
        let data: Vec<u64> = (0..1000u64).collect();
        support::step("summing 1000 numbers with 100 worker processes", "a worker never finishes");
        let got = sum_in_processes(&data, 100).expect("sum_in_processes with 100 workers");
        require!(got == serial(&data),
            expected: format!("{}", serial(&data)),
            got: got,
            look_at: "sum_in_processes: how many bytes do `workers` slots need?");
    }

    fn a_million_numbers_sum_exactly() within 20 s {
        let data: Vec<u64> = (0..1_000_003u64).collect();
        support::step("summing 1,000,003 numbers with 4 worker processes", "a worker never finishes");
        let got = sum_in_processes(&data, 4).expect("sum_in_processes");
        require!(got == serial(&data),
            expected: format!("{}", serial(&data)),
            got: got,
            look_at: "sum_in_processes: does every worker store its partial sum in its own slot \
                      before it exits, and does the parent add every slot?");
    }
}
