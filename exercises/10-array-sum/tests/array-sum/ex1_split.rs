//! Exercise 1: splitting `n` items into `k` ranges (`src/ex1_split.rs`).

use array_sum::ex1_split::split;
use support::require;

const LENGTHS: [usize; 11] = [0, 1, 2, 3, 5, 7, 10, 11, 12, 100, 1001];
const WORKERS: [usize; 8] = [1, 2, 3, 4, 5, 7, 16, 1000];

support::isolated_tests! {
    fn there_are_k_ranges_in_order_without_gaps() {
        for n in LENGTHS {
            for k in WORKERS {
                let rs = split(n, k);
                require!(rs.len() == k,
                    expected: format!("split({n}, {k}) to give {k} ranges, one per worker"),
                    got: format!("{} ranges: {rs:?}", rs.len()),
                    look_at: "split: one range per worker, even when some must be empty");
                let mut at = 0;
                for (i, r) in rs.iter().enumerate() {
                    require!(r.start == at,
                        expected: format!("range {i} of split({n}, {k}) to start at {at}, \
                                           where the one before it ended"),
                        got: format!("{r:?} (all: {rs:?})"),
                        look_at: "split: is each range's start computed the same way as \
                                  the previous range's end?");
                    at = r.end;
                }
                require!(at == n,
                    expected: format!("the last range of split({n}, {k}) to end at {n}"),
                    got: format!("it ends at {at}, so items {at}..{n} are never summed: {rs:?}"),
                    look_at: "split: where do the items left over by n / k go?");
            }
        }
    }

    fn every_index_is_summed_exactly_once() {
        for n in LENGTHS {
            for k in WORKERS {
                let rs = split(n, k);
                let mut seen = vec![0u32; n];
                for r in &rs {
                    for i in r.clone().filter(|&i| i < n) {
                        seen[i] += 1;
                    }
                }
                let never: Vec<usize> = (0..n).filter(|&i| seen[i] == 0).collect();
                let twice: Vec<usize> = (0..n).filter(|&i| seen[i] > 1).collect();
                require!(never.is_empty(),
                    expected: format!("the ranges of split({n}, {k}) to cover every index of 0..{n}"),
                    got: format!("indices {never:?} are in no range, so they are never summed \
                                  (ranges: {rs:?})"),
                    look_at: "split: when n is not a multiple of k, n / k items per worker \
                              leave n % k items over: who sums them?");
                require!(twice.is_empty(),
                    expected: format!("each index of 0..{n} in exactly one range of split({n}, {k})"),
                    got: format!("indices {twice:?} are in two ranges, so they are summed twice \
                                  (ranges: {rs:?})"),
                    look_at: "split: do the start of one range and the end of the previous \
                              one round the same way?");
            }
        }
    }

    fn every_range_lies_inside_the_array() {
        // More workers than items is where this goes wrong.
        for (n, k) in [(0, 1), (0, 3), (1, 2), (3, 5), (5, 4), (7, 16), (2, 1000)] {
            let rs = split(n, k);
            for (i, r) in rs.iter().enumerate() {
                require!(r.start <= r.end && r.end <= n,
                    expected: format!("range {i} of split({n}, {k}) to lie inside 0..{n} \
                                       (start <= end <= {n}), empty if need be"),
                    got: format!("{r:?}, which starts past the end: `&data[{}..{}]` panics \
                                  (all: {rs:?})", r.start, r.end),
                    look_at: "split with more workers than items: is the start clamped as \
                              well as the end?");
            }
        }
    }

    fn lengths_differ_by_at_most_one() {
        for n in LENGTHS {
            for k in WORKERS {
                let rs = split(n, k);
                let lens: Vec<usize> = rs.iter().map(|r| r.end.saturating_sub(r.start)).collect();
                let (lo, hi) = (lens.iter().min(), lens.iter().max());
                require!(matches!((lo, hi), (Some(lo), Some(hi)) if hi - lo <= 1),
                    expected: format!("the ranges of split({n}, {k}) to differ in length by at \
                                       most one, so no worker has much more to do"),
                    got: format!("lengths {lens:?}"),
                    look_at: "split: rounding the size up gives the first workers more and \
                              the last one less (or nothing): can the extra items go one \
                              each to the first n % k workers?");
            }
        }
    }

    fn huge_lengths_do_not_overflow() {
        for k in [1usize, 2, 3, 7] {
            let n = usize::MAX;
            let got = std::panic::catch_unwind(|| split(n, k));
            require!(got.is_ok(),
                expected: format!("split(usize::MAX, {k}) to return {k} ranges"),
                got: "a panic (see the message above this one)",
                look_at: "split: does i * n fit in a usize when n is huge? A wider integer \
                          (u128) for the product does");
            let rs = got.unwrap();
            let contiguous = rs.windows(2).all(|w| w[0].end == w[1].start);
            require!(rs.len() == k && rs[0].start == 0 && rs[k - 1].end == n && contiguous,
                expected: format!("{k} ranges from 0 to usize::MAX without gaps"),
                got: format!("{rs:?}"),
                look_at: "split: the arithmetic for very large n");
        }
    }
}
