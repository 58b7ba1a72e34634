use ranks::ex1_primes::share;
use support::require;

use crate::{mpirun, mpirun_python};

const HUNG: &str = "count_primes (src/ex1_primes.rs): a reduce finishes only when every \
     rank has called it, with the same root. Does every rank reach the reduce, exactly once? \
     Do all ranks name the same root?";

/// Parses `Some(168)` / `None`.
fn total(text: &str) -> Option<u64> {
    text.strip_prefix("Some(")?.strip_suffix(')')?.parse().ok()
}

/// Parses `[(0, 500), (500, 1000)]` into ranges.
fn ranges(text: &str) -> Vec<(u64, u64)> {
    text.split(['(', ')', '[', ']', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse::<u64>().ok())
        .collect::<Vec<_>>()
        .chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| (c[0], c[1]))
        .collect()
}

support::isolated_tests! {
    /// Shares are contiguous, in rank order, cover 0..n once, and differ in
    /// length by at most one.
    fn share_splits_the_numbers_evenly() {
        for (n, size) in [(10u64, 3i32), (2, 3), (9, 2), (0, 2), (1000, 1)] {
            let parts: Vec<_> = (0..size).map(|r| share(n, size, r)).collect();
            let mut start = 0;
            for (r, p) in parts.iter().enumerate() {
                require!(p.start == start,
                    expected: format!("share({n}, {size}, {r}) to start at {start}, where \
                                       rank {} stopped", r.saturating_sub(1)),
                    got: format!("{parts:?}"),
                    look_at: "share (src/ex1_primes.rs): does each share start where the \
                              previous rank's ended, with nothing skipped or counted twice?");
                start = p.end;
            }
            let lens: Vec<u64> = parts.iter().map(|p| p.end - p.start).collect();
            let (lo, hi) = (lens.iter().min().copied(), lens.iter().max().copied());
            require!(start == n && hi.zip(lo).is_some_and(|(h, l)| h - l <= 1),
                expected: format!("{size} shares covering 0..{n}, lengths within one of each other"),
                got: format!("{parts:?}"),
                look_at: "share (src/ex1_primes.rs): with n % size numbers left over, who \
                          gets them? The first n % size ranks, one each.");
        }
    }

    /// Two ranks: rank 0 gets the total, rank 1 gets None, each counted
    /// its own share.
    fn two_ranks_count_the_primes_below_1000() within 60 s {
        support::step("waiting for mpirun -np 2 ranks primes 1000", HUNG);
        let job = mpirun(2, &["primes", "1000"]);
        job.finished(2, "counted", HUNG);
        let got = (total(job.value(0, "result")), job.value(1, "result"));
        require!(got == (Some(168), "None"),
            expected: "rank 0 returns Some(168) (there are 168 primes below 1000), rank 1 None",
            got: format!("rank 0: {}, rank 1: {}", job.value(0, "result"), job.value(1, "result")),
            look_at: "count_primes (src/ex1_primes.rs): is every rank's count added in, \
                      and does only the root of the reduce return it?");
        for r in 0..2 {
            let want = share(1000, 2, r);
            let counted = ranges(job.value(r, "counted"));
            require!(counted == [(want.start, want.end)],
                expected: format!("rank {r} to count its own share, {want:?}, once"),
                got: format!("rank {r} called count_primes_in on {counted:?}"),
                look_at: "count_primes (src/ex1_primes.rs): does each rank count \
                          share(n, size, rank) for its own rank, and only that?");
        }
    }

    /// Three ranks (an odd count): every rank counts a third, and the
    /// total arrives on rank 0, the root, and nowhere else.
    fn three_ranks_share_the_work_and_rank_0_gets_the_total() within 60 s {
        support::step("waiting for mpirun -np 3 ranks primes 10000", HUNG);
        let job = mpirun(3, &["primes", "10000"]);
        job.finished(3, "counted", HUNG);
        let mut covered: Vec<(u64, u64)> = Vec::new();
        for r in 0..3 {
            let counted = ranges(job.value(r, "counted"));
            require!(counted.len() == 1 && counted[0].1 > counted[0].0,
                expected: format!("rank {r} to count one non-empty share"),
                got: format!("rank {r} counted {counted:?}"),
                look_at: "count_primes (src/ex1_primes.rs): does every rank, not just rank \
                          0, count its share?");
            covered.extend(counted);
        }
        covered.sort();
        let seamless = covered.first().is_some_and(|c| c.0 == 0)
            && covered.last().is_some_and(|c| c.1 == 10_000)
            && covered.windows(2).all(|w| w[0].1 == w[1].0);
        require!(seamless,
            expected: "the three shares to cover 0..10000, each number once",
            got: format!("{covered:?}"),
            look_at: "count_primes (src/ex1_primes.rs): is each rank's share the one \
                      share(n, size, rank) gives it?");
        let results: Vec<String> = (0..3)
            .map(|r| format!("rank {r}: {}", job.value(r, "result")))
            .collect();
        let elsewhere = (1..3).find(|&r| job.value(r, "result") != "None");
        require!(elsewhere.is_none(),
            expected: "only rank 0 to return the total (Some), ranks 1 and 2 None",
            got: results.join(", "),
            look_at: "count_primes (src/ex1_primes.rs): the result of a reduce arrives only \
                      on its root. Which rank is the root of your reduce, and which rank \
                      returns Some?");
        require!(total(job.value(0, "result")) == Some(1229),
            expected: "rank 0 returns Some(1229): there are 1229 primes below 10000",
            got: results.join(", "),
            look_at: "count_primes (src/ex1_primes.rs): which rank is the root of your \
                      reduce, and is it rank 0? Does the reduce add (SystemOperation::sum)?");
    }

    /// The mpi4py version (python/primes.py) on three ranks gives the
    /// same count as yours.
    fn the_mpi4py_version_gives_the_same_count() within 60 s {
        support::step("waiting for mpirun -np 3 ranks primes 20000", HUNG);
        let job = mpirun(3, &["primes", "20000"]);
        job.finished(3, "counted", HUNG);
        let rust = total(job.value(0, "result"));
        support::step(
            "waiting for mpirun -np 3 python3 exercises/11-mpi/python/primes.py 20000",
            "the mpi4py version (exercises/11-mpi/python/primes.py) did not finish: \
             is Open MPI working?",
        );
        let Some(py) = mpirun_python(3, "primes.py", &["20000"]) else {
            return;
        };
        let said = py.other.lines().find(|l| l.contains("primes below")).unwrap_or("");
        require!(rust == Some(2262) && said.starts_with("2262 primes below 20000"),
            expected: "2262 primes below 20000, from your ranks and from mpi4py's",
            got: format!("yours: {}; mpi4py's: {}", job.value(0, "result"),
                         if said.is_empty() { py.other.trim() } else { said }),
            look_at: "count_primes (src/ex1_primes.rs) beside \
                      exercises/11-mpi/python/primes.py: the same \
                      shares, the same reduce to rank 0.");
    }
}
