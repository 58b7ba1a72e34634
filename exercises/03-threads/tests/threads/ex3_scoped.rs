use std::sync::{Barrier, Mutex};
use std::thread::{self, ThreadId};

use support::require;
use threads::ex3_scoped::{chunk_ranges, map_chunks, parallel_sum};

support::isolated_tests! {
    /// Exactly `parts` ranges, in order, covering `0..len`, lengths within one.
    fn chunks_cover_the_slice_evenly() {
        require!(chunk_ranges(10, 4) == [0..3, 3..6, 6..8, 8..10],
            expected: "chunk_ranges(10, 4) == [0..3, 3..6, 6..8, 8..10]",
            got: format!("{:?}", chunk_ranges(10, 4)),
            look_at: "chunk_ranges: the first len % parts chunks get one extra element");
        for (len, parts) in [(9, 4), (12, 3), (3, 5), (0, 2), (1, 1), (100, 7)] {
            let got = chunk_ranges(len, parts);
            let lens: Vec<usize> = got.iter().map(|r| r.len()).collect();
            let contiguous = got.windows(2).all(|w| w[0].end == w[1].start);
            let covers = got.first().map(|r| r.start) == Some(0)
                && got.last().map(|r| r.end) == Some(len)
                && contiguous;
            let even = lens.iter().max().unwrap_or(&0) - lens.iter().min().unwrap_or(&0) <= 1;
            require!(got.len() == parts && covers && even,
                expected: format!("{parts} contiguous chunks covering 0..{len}, \
                                   lengths differing by at most one"),
                got: format!("chunk_ranges({len}, {parts}) = {got:?}"),
                look_at: "chunk_ranges (src/ex3_scoped.rs): how long is each chunk, and where \
                          do the len % parts leftover elements go? A chunk size rounded up runs \
                          out of elements before the last chunk (9 in 4 parts: 3, 3, 3, 0)");
        }
    }

    /// Four chunks, four threads, all at a barrier of four at once; the
    /// closure borrows a local Vec and the results come back in order.
    fn all_chunks_run_at_once_in_order() {
        let data: Vec<u32> = (0..10).collect();
        let barrier = Barrier::new(4);
        let ids = Mutex::new(Vec::<ThreadId>::new());
        support::step("waiting for 4 chunk threads to meet at a barrier of 4",
            "the chunks seem to run one after another: the first waits at the barrier for \
             company that never comes. Possible causes: each chunk's thread is joined before \
             the next one is spawned (a lazy `.map(spawn).map(join)` chain joins each one at \
             once), or the slice was not cut into exactly 4 chunks. Look at map_chunks (src/ex3_scoped.rs): \
             is every chunk's thread spawned before the first join?");
        let got = map_chunks(&data, 4, |chunk: &[u32]| {
            ids.lock().unwrap().push(thread::current().id());
            barrier.wait();
            chunk.to_vec()
        });
        let ids = ids.into_inner().unwrap();
        require!(got == [vec![0, 1, 2], vec![3, 4, 5], vec![6, 7], vec![8, 9]],
            expected: "[[0, 1, 2], [3, 4, 5], [6, 7], [8, 9]]: f of each chunk, in chunk order",
            got: format!("{got:?}"),
            look_at: "map_chunks (src/ex3_scoped.rs): are the chunks the ones chunk_ranges \
                      gives, and are the results kept in chunk order?");
        require!(crate::distinct(&ids) == 4 && !ids.contains(&thread::current().id()),
            expected: "4 calls of f on 4 threads, none of them the caller",
            got: format!("{} calls on {} different threads", ids.len(), crate::distinct(&ids)),
            look_at: "map_chunks (src/ex3_scoped.rs): how many threads does it spawn, and \
                      does any chunk run on the calling thread?");
    }

    /// The sum of 1..=100_000, by four threads.
    fn parallel_sum_adds_everything_once() {
        let data: Vec<u64> = (1..=100_000).collect();
        support::step("waiting for parallel_sum", "parallel_sum never returns: does a chunk's \
            thread wait for something, or does map_chunks join a thread twice?");
        for parts in [1, 2, 4, 7] {
            let got = parallel_sum(&data, parts);
            require!(got == 5_000_050_000,
                expected: "5000050000 (the sum of 1..=100000)",
                got: format!("{got} with {parts} parts"),
                look_at: "parallel_sum (src/ex3_scoped.rs): is every element added exactly once? \
                          Too small: a chunk is left out; too large: a chunk counted twice");
        }
    }
}
