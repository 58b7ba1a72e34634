//! Exercise 2: one result slot per worker (`src/ex2_slots.rs`).

use array_sum::ex2_slots::{Slot, Tallies, sum_with_tallies};
use support::require;

use crate::{expected_ranges, serial};

support::isolated_tests! {
    fn new_tallies_start_at_zero() {
        let t = Tallies::new(3);
        require!(t.slots().len() == 3,
            expected: "Tallies::new(3) to have 3 slots",
            got: format!("{} slots", t.slots().len()),
            look_at: "Tallies::new: one slot per worker");
        let values: Vec<u64> = (0..3).map(|i| t.get(i)).collect();
        require!(values == [0, 0, 0] && t.total() == 0,
            expected: "every slot 0 and a total of 0",
            got: format!("slots {values:?}, total {}", t.total()),
            look_at: "Tallies::new and Tallies::get");
    }

    fn add_goes_to_the_workers_own_slot_and_wraps() {
        let t = Tallies::new(3);
        t.add(0, u64::MAX);
        t.add(0, 2);
        t.add(2, 5);
        let values: Vec<u64> = (0..3).map(|i| t.get(i)).collect();
        require!(values == [1, 0, 5],
            expected: "after add(0, u64::MAX), add(0, 2), add(2, 5): slots [1, 0, 5] \
                       (worker 0's total wrapped around)",
            got: format!("{values:?}"),
            look_at: "Tallies::add: does it add to the worker's own slot, with wrapping_add?");
        require!(t.total() == 6,
            expected: "a total of 6 (1 + 0 + 5)",
            got: t.total(),
            look_at: "Tallies::total: does it add up every slot?");
    }

    fn no_two_slots_share_a_cache_line() {
        let t = Tallies::new(4);
        let lines: Vec<usize> = t.slots().iter().map(|s| s as *const Slot as usize / 64).collect();
        let mut distinct = lines.clone();
        distinct.dedup();
        require!(distinct.len() == lines.len() && align_of::<Slot>() >= 64,
            expected: "each Slot on a 64-byte cache line of its own (align_of::<Slot>() >= 64)",
            got: format!("align {}, size {}: slots share a cache line (line numbers {lines:?}), \
                          so every write by one core takes the line away from the other: \
                          correct sums, but see the false-sharing rows in `cargo workbook \
                          bench array-sum`", align_of::<Slot>(), size_of::<Slot>()),
            look_at: "Slot: which attribute sets a type's alignment?");
    }

    fn each_worker_keeps_its_own_running_total() {
        let data: Vec<u64> = (1..=1000u64).collect();
        let t = Tallies::new(4);
        support::step("summing 1000 numbers with 4 threads", "a worker thread never finishes");
        let total = sum_with_tallies(&data, &t);
        let want: Vec<u64> = expected_ranges(1000, 4).into_iter().map(|r| serial(&data[r])).collect();
        let got: Vec<u64> = (0..4).map(|i| t.get(i)).collect();
        require!(got == want,
            expected: format!("each worker's slot to hold the sum of its own part: {want:?}"),
            got: format!("{got:?} (total {total})"),
            look_at: "sum_with_tallies and Tallies::add: does worker i add into its own \
                      slot i, and does it sum the part split gives it?");
        require!(total == serial(&data),
            expected: format!("the total {}", serial(&data)),
            got: total,
            look_at: "sum_with_tallies: does it return the total of every slot?");
    }

    fn sums_are_right_for_awkward_lengths() within 20 s {
        for len in [0usize, 1, 2, 3, 5, 1000, 1001, 4099] {
            let data: Vec<u64> = (0..len as u64).map(|i| i * 3 + 1).collect();
            for workers in [1usize, 2, 3, 4, 7] {
                support::step(&format!("summing {len} numbers with {workers} threads"),
                    "a worker thread never finishes");
                let t = Tallies::new(workers);
                let got = sum_with_tallies(&data, &t);
                require!(got == serial(&data),
                    expected: format!("{} (the serial sum of {len} numbers, {workers} workers)",
                                      serial(&data)),
                    got: got,
                    look_at: "sum_with_tallies: does every item of every part reach a slot, \
                              including when there are more workers than items?");
            }
        }
    }

    fn no_slots_and_no_data_sum_to_zero() {
        let t = Tallies::new(0);
        let got = sum_with_tallies(&[], &t);
        require!(got == 0 && t.total() == 0,
            expected: "the sum of nothing with no workers to be 0",
            got: got,
            look_at: "sum_with_tallies with no slots");
    }
}
