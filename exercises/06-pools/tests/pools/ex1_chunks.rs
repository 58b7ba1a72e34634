use pools::ex1_chunks::{chunk_ranges, default_chunksize};
use support::require;

support::isolated_tests! {
    /// Python's formula: divmod(len, 4 * workers), plus one if there is a
    /// remainder, and 0 for nothing.
    fn default_chunksize_matches_python() {
        for (len, workers, want) in [(100, 4, 7), (10, 4, 1), (96, 4, 6), (97, 4, 7),
                                     (1, 8, 1), (1000, 2, 125), (0, 4, 0)] {
            let got = default_chunksize(len, workers);
            require!(got == want,
                expected: format!("default_chunksize({len}, {workers}) == {want}, as Python computes it"),
                got: format!("{got}"),
                look_at: "default_chunksize: len / (4 * workers), rounded up. Does a remainder \
                          add one more? Is an empty input 0?");
        }
    }

    /// 101 items in chunks of 10: ten full chunks and a last one of 1.
    fn the_last_partial_chunk_is_kept() {
        let got = chunk_ranges(101, 10);
        let covered: usize = got.iter().map(|r| r.len()).sum();
        require!(got.len() == 11 && covered == 101 && got.last() == Some(&(100..101)),
            expected: "11 chunks covering 0..101, the last, partial chunk being 100..101",
            got: format!("{} chunks covering {covered} items, the last one {:?}", got.len(), got.last()),
            look_at: "chunk_ranges: what happens to the items after the last full chunk? \
                      len / chunksize counts only full chunks");
    }

    /// The chunks are in order, touch each other, and are `chunksize` long
    /// except the last.
    fn chunks_cover_every_index_once_in_order() {
        for (len, size) in [(10, 4), (12, 4), (7, 1), (3, 5), (1, 1)] {
            let got = chunk_ranges(len, size);
            let mut next = 0;
            for (k, r) in got.iter().enumerate() {
                let last = k + 1 == got.len();
                require!(r.start == next && (r.len() == size || (last && r.len() <= size && !r.is_empty())),
                    expected: format!("chunk_ranges({len}, {size}): chunks of {size} in order, \
                                       from 0, only the last one allowed to be shorter"),
                    got: format!("{got:?}"),
                    look_at: "chunk_ranges: each chunk starts where the previous one ended");
                next = r.end;
            }
            require!(next == len,
                expected: format!("chunk_ranges({len}, {size}) to end at {len}"),
                got: format!("{got:?}"),
                look_at: "chunk_ranges: the chunks must cover every index, the partial chunk too");
        }
    }

    /// Nothing in, nothing out.
    fn an_empty_input_has_no_chunks() {
        let got = chunk_ranges(0, default_chunksize(0, 4));
        require!(got.is_empty(),
            expected: "no chunks for an empty input (chunksize 0 is what Python computes for it)",
            got: format!("{got:?}"),
            look_at: "chunk_ranges with len 0: does it divide by the chunksize, or loop forever?");
    }
}
