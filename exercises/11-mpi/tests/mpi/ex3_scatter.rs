use support::require;

use crate::mpirun;

const HUNG: &str = "scatter_sum (src/ex3_scatter.rs): a collective finishes only when every \
     rank has called it. Do all ranks call the same collectives (broadcast, scatter, reduce) \
     in the same order, with the same root, rank 0?";

/// Parses `[333]` into chunk lengths.
fn lengths(text: &str) -> Vec<usize> {
    text.trim_matches(['[', ']'])
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

support::isolated_tests! {
    /// Two ranks sum 1..=1000: each sums 500 numbers, rank 0 gets 500500.
    fn two_ranks_sum_1_to_1000() within 60 s {
        support::step("waiting for mpirun -np 2 ranks scatter 1000", HUNG);
        let job = mpirun(2, &["scatter", "1000"]);
        job.finished(2, "summed", HUNG);
        let got = (job.value(0, "result"), job.value(1, "result"));
        require!(got == ("Some(500500)", "None"),
            expected: "rank 0 returns Some(500500) (1 + 2 + ... + 1000), rank 1 None",
            got: format!("rank 0: {}, rank 1: {}", got.0, got.1),
            look_at: "scatter_sum (src/ex3_scatter.rs): is every piece summed and every \
                      partial sum reduced to rank 0, and does only rank 0 return Some?");
        for r in 0..2 {
            let summed = lengths(job.value(r, "summed"));
            require!(summed == [500],
                expected: format!("rank {r} to sum its own piece: 500 numbers, once"),
                got: format!("rank {r} called sum_chunk on pieces of {summed:?} numbers"),
                look_at: "scatter_sum (src/ex3_scatter.rs): how long is each rank's \
                          piece? len / size, and len is what rank 0 broadcast.");
        }
    }

    /// Three ranks, 999 numbers: each rank sums its own 333, and only rank
    /// 0 has the total.
    fn three_ranks_each_sum_their_own_third() within 60 s {
        support::step("waiting for mpirun -np 3 ranks scatter 999", HUNG);
        let job = mpirun(3, &["scatter", "999"]);
        job.finished(3, "summed", HUNG);
        for r in 0..3 {
            let summed = lengths(job.value(r, "summed"));
            require!(summed == [333],
                expected: format!("rank {r} to sum its own piece of the 999 numbers: 333 \
                                   of them, once"),
                got: format!("rank {r} called sum_chunk on pieces of {summed:?} numbers"),
                look_at: "scatter_sum (src/ex3_scatter.rs): does each rank receive and sum \
                          its own piece, a third of the data, or does some rank get (or sum) \
                          all of it? A broadcast gives every rank everything; which \
                          collective gives each rank only its share?");
        }
        let results: Vec<&str> = (0..3).map(|r| job.value(r, "result")).collect();
        require!(results == ["Some(499500)", "None", "None"],
            expected: "rank 0 returns Some(499500) (1 + 2 + ... + 999), ranks 1 and 2 None",
            got: format!("{results:?}"),
            look_at: "scatter_sum (src/ex3_scatter.rs): is the reduce's root rank 0, and \
                      does only rank 0 return Some?");
    }
}
