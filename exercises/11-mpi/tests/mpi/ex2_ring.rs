use support::require;

use crate::{Job, mpirun};

const HUNG_SMALL: &str = "pass_right (src/ex2_ring.rs): even with small blocks, nothing came \
     back. Does every rank send to (rank + 1) % size and receive from the rank on its left, \
     (rank + size - 1) % size? A receive from the wrong rank waits forever.";

const HUNG_LARGE: &str = "pass_right (src/ex2_ring.rs): with 64-byte blocks the same ring \
     works (the test with small blocks checks that), so MPI buffered those sends. A large \
     block is not buffered: `send` waits until the receiver has started its receive. If \
     every rank sends first, every rank is inside a send and none has reached its receive: \
     a deadlock. How can a rank receive while its own send is still going on, or which \
     ranks could receive first?";

/// Checks that after each round every rank holds the block that started
/// `round` ranks to its left.
fn check_rounds(job: &Job, np: i32, rounds: usize, bytes: usize) {
    for r in 0..np {
        let got = job.ranks.get(&r).map(|x| x.all("got")).unwrap_or_default();
        require!(got.len() == rounds,
            expected: format!("rank {r} to come back from pass_right {rounds} time(s)"),
            got: format!("{} time(s):{}", got.len(), job.transcript()),
            look_at: "pass_right (src/ex2_ring.rs): does it return on every rank?");
        for (k, line) in got.iter().enumerate() {
            let round = k as i32 + 1;
            let want = (r - round).rem_euclid(np);
            let fields: Vec<&str> = line.split(' ').collect();
            let from: i32 = fields.get(1).and_then(|f| f.parse().ok()).unwrap_or(-1);
            let len: usize = fields.get(2).and_then(|f| f.parse().ok()).unwrap_or(0);
            require!(from == want && len == bytes,
                expected: format!("after round {round}, rank {r} holds the {bytes}-byte block \
                                   that started on rank {want}"),
                got: if from < 0 {
                    format!("a {len}-byte block that is no rank's block")
                } else {
                    format!("the {len}-byte block of rank {from}")
                },
                look_at: "pass_right (src/ex2_ring.rs): is the right-hand neighbour \
                          (rank + 1) % size and the left-hand one (rank + size - 1) % size? \
                          Does it return what it received, not what it sent?");
        }
    }
}

support::isolated_tests! {
    /// Two ranks swap small blocks: each gets the other's.
    fn a_small_block_moves_one_rank_to_the_right() within 60 s {
        support::step("waiting for mpirun -np 2 ranks ring 64 1", HUNG_SMALL);
        let job = mpirun(2, &["ring", "64", "1"]);
        job.finished(2, "got", HUNG_SMALL);
        check_rounds(&job, 2, 1, 64);
    }

    /// Three rounds on three ranks: every block travels once round the
    /// ring and comes home.
    fn small_blocks_go_round_the_ring_and_come_home() within 60 s {
        support::step("waiting for mpirun -np 3 ranks ring 64 3", HUNG_SMALL);
        let job = mpirun(3, &["ring", "64", "3"]);
        job.finished(3, "got", HUNG_SMALL);
        check_rounds(&job, 3, 3, 64);
    }

    /// One-megabyte blocks, far beyond what MPI buffers: a ring in which
    /// every rank sends before it receives deadlocks here.
    fn large_blocks_go_round_without_a_deadlock() within 60 s {
        support::step("waiting for mpirun -np 3 ranks ring 1048576 2", HUNG_LARGE);
        let job = mpirun(3, &["ring", "1048576", "2"]);
        let stuck: Vec<i32> = job
            .ranks
            .iter()
            .filter(|(_, r)| r.all("entered").len() > r.all("got").len())
            .map(|(rank, _)| *rank)
            .collect();
        if job.hung && stuck.len() == 3 {
            support::fail(
                "`mpirun -np 3 ranks ring 1048576 2` to finish: each rank passes its 1 MiB \
                 block to the right",
                format!(
                    "after {} s it was stopped. Ranks {stuck:?} had all entered pass_right \
                     and none came back: every rank is inside a send or a receive, each \
                     waiting for another. What the ranks printed:{}",
                    crate::JOB_LIMIT.as_secs(),
                    job.transcript()
                ),
                HUNG_LARGE,
            );
        }
        job.finished(3, "got", HUNG_LARGE);
        check_rounds(&job, 3, 2, 1 << 20);
    }
}
