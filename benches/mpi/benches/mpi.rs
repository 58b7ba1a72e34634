//! The MPI chapter's benchmarks, on two ranks.
//!
//! Started by `cargo bench` (or `cargo workbook bench mpi`), this program
//! starts itself again under `mpirun -np 2` (`given::relaunch`). Rank 0
//! runs criterion; rank 1 only serves: before each measurement rank 0
//! broadcasts a command (what to do, its size, how many iterations), and
//! rank 1 does its half of that many iterations, until told to stop. The
//! broadcast happens before rank 0 starts its clock, so it is not measured.
//!
//! * `mpi: count primes`: the primes below 1 500 000 (the Processes
//!   chapter's job) counted by rank 0 alone (`serial`) and by two ranks:
//!   with exercise 1's `count_primes` (one block each, then a reduce), and
//!   with small chunks dealt out in turn (as the Processes chapter's
//!   workload does), then the same reduce.
//! * `mpi: ping-pong by message size`: the example `ping_pong`'s round
//!   trip, 8 bytes to 4 MiB; throughput counts both directions.
//! * `mpi: parallel sum`: 8 M `u64` (64 MiB) summed by rank 0 alone
//!   (`serial`) and by two ranks with exercise 3's scatter and reduce.

use std::time::Instant;

use criterion::{BenchmarkId, Criterion, Throughput};
use mpi::collective::SystemOperation;
use mpi::traits::*;
use ranks::{ex1_primes, ex3_scatter, given};

#[allow(dead_code)] // its `main` is the example's, not ours
#[path = "../../../exercises/11-mpi/examples/ping_pong.rs"]
mod ping_pong;

const PRIMES_BELOW: u64 = 1_500_000;
const SUM_LEN: u64 = 8 << 20;

// What rank 0 asks rank 1 to do: [command, size, iterations].
const STOP: u64 = 0;
const PRIMES: u64 = 1;
const PING_PONG: u64 = 2;
const SUM: u64 = 3;
const PRIMES_DEALT: u64 = 4;

/// Chunks per rank when the numbers are dealt out in small chunks.
const CHUNKS_PER_RANK: u64 = 64;

fn main() {
    if !given::started_by_mpirun() {
        let code = given::relaunch(2);
        std::process::exit(if code == std::process::ExitCode::SUCCESS {
            0
        } else {
            1
        });
    }
    let universe = mpi::initialize().expect("MPI starts");
    let world = universe.world();
    assert_eq!(world.size(), 2, "the MPI benchmarks run on two ranks");
    if world.rank() == 0 {
        let mut c = Criterion::default().configure_from_args();
        count_primes(&mut c, &world);
        ping_pong(&mut c, &world);
        parallel_sum(&mut c, &world);
        c.final_summary();
        command(&world, STOP, 0, 0);
    } else {
        serve(&world);
    }
}

/// Rank 0: tells rank 1 what to do next.
fn command<C: Communicator>(world: &C, what: u64, size: u64, iters: u64) {
    let mut msg = [what, size, iters];
    world.process_at_rank(0).broadcast_into(&mut msg[..]);
}

/// Rank 1: does its half of whatever rank 0 measures, until told to stop.
fn serve<C: Communicator>(world: &C) {
    loop {
        let mut msg = [0u64; 3];
        world.process_at_rank(0).broadcast_into(&mut msg[..]);
        let [what, size, iters] = msg;
        match what {
            PRIMES => {
                for _ in 0..iters {
                    ex1_primes::count_primes(world, size);
                }
            }
            PRIMES_DEALT => {
                for _ in 0..iters {
                    dealt(world, size);
                }
            }
            PING_PONG => {
                ping_pong::round_trips(world, size as usize, iters as u32);
            }
            SUM => {
                for _ in 0..iters {
                    ex3_scatter::scatter_sum(world, None);
                }
            }
            _ => return,
        }
    }
}

fn count_primes<C: Communicator>(c: &mut Criterion, world: &C) {
    let mut g = c.benchmark_group("mpi: count primes");
    g.throughput(Throughput::Elements(PRIMES_BELOW));
    g.bench_function(BenchmarkId::new("serial", 1), |b| {
        b.iter(|| given::count_primes_in(0, PRIMES_BELOW))
    });
    let want = Some(given::count_primes_in(0, PRIMES_BELOW));
    g.bench_function(BenchmarkId::new("ranks", 2), |b| {
        b.iter_custom(|iters| {
            command(world, PRIMES, PRIMES_BELOW, iters);
            let start = Instant::now();
            for _ in 0..iters {
                assert_eq!(ex1_primes::count_primes(world, PRIMES_BELOW), want);
            }
            start.elapsed()
        })
    });
    g.bench_function(BenchmarkId::new("ranks, chunks dealt in turn", 2), |b| {
        b.iter_custom(|iters| {
            command(world, PRIMES_DEALT, PRIMES_BELOW, iters);
            let start = Instant::now();
            for _ in 0..iters {
                assert_eq!(dealt(world, PRIMES_BELOW), want);
            }
            start.elapsed()
        })
    });
    g.finish();
}

/// The primes below `n`, each rank counting every `size`-th small chunk
/// (from its own rank's), then exercise 1's reduce to rank 0. The large
/// numbers, which cost more to test, are shared out evenly this way.
fn dealt<C: Communicator>(world: &C, n: u64) -> Option<u64> {
    let (rank, size) = (world.rank() as u64, world.size() as u64);
    let chunk = n.div_ceil(size * CHUNKS_PER_RANK).max(1);
    let mut mine = 0;
    let mut start = rank * chunk;
    while start < n {
        mine += given::count_primes_in(start, (start + chunk).min(n));
        start += size * chunk;
    }
    let root = world.process_at_rank(0);
    if rank == 0 {
        let mut total = 0u64;
        root.reduce_into_root(&mine, &mut total, SystemOperation::sum());
        Some(total)
    } else {
        root.reduce_into(&mine, SystemOperation::sum());
        None
    }
}

fn ping_pong<C: Communicator>(c: &mut Criterion, world: &C) {
    let mut g = c.benchmark_group("mpi: ping-pong by message size");
    for bytes in ping_pong::SIZES {
        g.throughput(Throughput::Bytes(2 * bytes as u64));
        g.bench_function(BenchmarkId::new("round trip", size_name(bytes)), |b| {
            b.iter_custom(|iters| {
                command(world, PING_PONG, bytes as u64, iters);
                let (per_trip, _) =
                    ping_pong::round_trips(world, bytes, iters as u32).expect("rank 0 times it");
                per_trip * iters as u32
            })
        });
    }
    g.finish();
}

fn parallel_sum<C: Communicator>(c: &mut Criterion, world: &C) {
    let data: Vec<u64> = (1..=SUM_LEN).collect();
    let want = SUM_LEN * (SUM_LEN + 1) / 2;
    let mut g = c.benchmark_group("mpi: parallel sum");
    g.throughput(Throughput::Bytes(SUM_LEN * 8));
    g.bench_function(BenchmarkId::new("serial", 1), |b| {
        b.iter(|| std::hint::black_box(&data).iter().sum::<u64>())
    });
    g.bench_function(BenchmarkId::new("scatter + reduce, ranks", 2), |b| {
        b.iter_custom(|iters| {
            command(world, SUM, SUM_LEN, iters);
            let start = Instant::now();
            for _ in 0..iters {
                assert_eq!(ex3_scatter::scatter_sum(world, Some(&data)), Some(want));
            }
            start.elapsed()
        })
    });
    g.finish();
}

/// `8 B`, `4 KiB`, `1 MiB`: how the results page names a size.
fn size_name(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 => format!("{} KiB", b >> 10),
        b => format!("{b} B"),
    }
}
