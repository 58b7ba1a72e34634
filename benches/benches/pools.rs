//! Pools chapter: overhead per tiny task on each kind of pool, a chunksize
//! sweep, a skewed load, rayon against hand-split threads on the prime
//! count, and what starting a pool costs (forked and spawned workers).
//! Every pool has 2 workers. The chunksize sweeps hold 1, 10 and 100 and
//! Python's default (500 and 25), as benches/python/pools.py does.
//! Run with `cargo bench -p workbook-benches --bench pools`.

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, criterion_group};
use workloads::pools::{self as w, ITERS_100US, ProcessPool, ThreadPool};
use workloads::processes;

/// Tasks per run of the tiny-task group (the same as benches/python/pools.py).
const TINY: u64 = 10_000;
/// Tasks in the chunksize sweeps.
const SWEEP_1US: u64 = 4_000;
const SWEEP_100US: u64 = 200;
/// The skewed load: 64 tasks, the first 16 costing about 2 ms each.
const SKEW_N: u64 = 64;
const SKEW_HEAVY: u64 = 20 * ITERS_100US;
/// The prime count of the Threads chapter, smaller.
const PRIMES: u64 = 200_000;
const WORKERS: usize = 2;

fn settle(g: &mut BenchmarkGroup<'_, WallTime>) {
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
}

fn tiny_tasks(c: &mut Criterion) {
    let xs = w::inputs(TINY);
    let mut g = c.benchmark_group(format!("pools: {TINY} tiny tasks"));
    settle(&mut g);
    g.bench_function("serial", |b| b.iter(|| w::serial(black_box(&xs), w::tiny)));
    let rp = w::rayon_pool(WORKERS);
    g.bench_function("rayon-2", |b| {
        b.iter(|| w::rayon_map(&rp, &xs, w::tiny, None))
    });
    g.bench_function("rayon-2-max-len-1", |b| {
        b.iter(|| w::rayon_map(&rp, &xs, w::tiny, Some(1)))
    });
    let tp = ThreadPool::new(WORKERS);
    g.bench_function("thread-pool-2-submit-each", |b| {
        b.iter(|| w::thread_pool_map(&tp, &xs, w::tiny))
    });
    g.bench_function("chunk-queue-2-default-chunksize", |b| {
        b.iter(|| w::queue_map_sum(WORKERS, &xs, None, w::tiny))
    });
    let mut one = ProcessPool::new(WORKERS, w::tiny).expect("a process pool starts");
    g.bench_function("process-pool-2-chunksize-1", |b| {
        b.iter(|| w::process_map_one(&mut one, &xs))
    });
    let mut chunked = ProcessPool::new(WORKERS, w::tiny_chunk).expect("a process pool starts");
    let default = w::python_chunksize(xs.len(), WORKERS);
    g.bench_function(format!("process-pool-2-chunksize-{default}"), |b| {
        b.iter(|| w::process_map_chunked(&mut chunked, &xs, default))
    });
    g.finish();
}

fn sweep(
    c: &mut Criterion,
    name: &str,
    n: u64,
    sizes: &[usize],
    task: fn(u64) -> u64,
    chunk: fn(Vec<u64>) -> Vec<u64>,
) {
    let xs = w::inputs(n);
    let mut g = c.benchmark_group(format!("pools: chunksize sweep, {n} tasks of {name}"));
    settle(&mut g);
    g.bench_function("serial", |b| b.iter(|| w::serial(black_box(&xs), task)));
    let mut pool = ProcessPool::new(WORKERS, chunk).expect("a process pool starts");
    for &size in sizes {
        g.bench_with_input(
            BenchmarkId::new("process-pool-2-chunksize", size),
            &size,
            |b, &size| b.iter(|| w::process_map_chunked(&mut pool, &xs, size)),
        );
    }
    g.finish();
}

fn one_micro(x: u64) -> u64 {
    w::busy(w::ITERS_1US, x)
}

fn hundred_micro(x: u64) -> u64 {
    w::busy(ITERS_100US, x)
}

fn chunksize_sweeps(c: &mut Criterion) {
    sweep(
        c,
        "about 1 µs",
        SWEEP_1US,
        &[1, 10, 100, 500, 2000, 4000],
        one_micro,
        w::micro_chunk,
    );
    sweep(
        c,
        "about 100 µs",
        SWEEP_100US,
        &[1, 10, 25, 100, 200],
        hundred_micro,
        w::hundred_micro_chunk,
    );
}

fn skewed(c: &mut Criterion) {
    let mut g = c.benchmark_group(format!(
        "pools: skewed load, {SKEW_N} tasks, the first quarter heavy"
    ));
    settle(&mut g);
    g.bench_function("serial", |b| {
        b.iter(|| w::skewed_serial(SKEW_N, SKEW_HEAVY))
    });
    g.bench_function("static-halves-2", |b| {
        b.iter(|| w::skewed_static(SKEW_N, SKEW_HEAVY, WORKERS))
    });
    g.bench_function("chunk-queue-2-chunksize-1", |b| {
        b.iter(|| w::skewed_queue(SKEW_N, SKEW_HEAVY, WORKERS, Some(1)))
    });
    g.bench_function("chunk-queue-2-default-chunksize", |b| {
        b.iter(|| w::skewed_queue(SKEW_N, SKEW_HEAVY, WORKERS, None))
    });
    let rp = w::rayon_pool(WORKERS);
    g.bench_function("rayon-2", |b| {
        b.iter(|| w::skewed_rayon(&rp, SKEW_N, SKEW_HEAVY, None))
    });
    g.bench_function("rayon-2-max-len-1", |b| {
        b.iter(|| w::skewed_rayon(&rp, SKEW_N, SKEW_HEAVY, Some(1)))
    });
    g.finish();
}

fn primes(c: &mut Criterion) {
    let mut g = c.benchmark_group(format!("pools: count primes below {PRIMES}"));
    settle(&mut g);
    g.bench_function("serial", |b| {
        b.iter(|| processes::primes_serial(black_box(PRIMES)))
    });
    g.bench_function("hand-split-threads-2", |b| {
        b.iter(|| processes::primes_threads(black_box(PRIMES), WORKERS))
    });
    let rp = w::rayon_pool(WORKERS);
    g.bench_function("rayon-2", |b| {
        b.iter(|| w::primes_rayon(&rp, black_box(PRIMES)))
    });
    g.finish();
}

fn start_up(c: &mut Criterion) {
    let mut g = c.benchmark_group("pools: start and stop a pool of 2");
    settle(&mut g);
    g.bench_function("process-pool-fork", |b| {
        b.iter(|| {
            let mut pool = ProcessPool::new(WORKERS, w::tiny).expect("a process pool starts");
            pool.map(&[0, 1])
        })
    });
    g.bench_function("process-pool-spawn", |b| {
        b.iter(|| {
            let mut pool = ProcessPool::<u64, u64>::spawn(WORKERS).expect("a process pool starts");
            pool.map(&[0, 1])
        })
    });
    g.bench_function("thread-pool", |b| b.iter(|| drop(ThreadPool::new(WORKERS))));
    g.bench_function("rayon", |b| b.iter(|| drop(w::rayon_pool(WORKERS))));
    g.finish();
}

criterion_group!(
    benches,
    tiny_tasks,
    chunksize_sweeps,
    skewed,
    primes,
    start_up
);

/// criterion_main!, after a check: started by `ProcessPool::spawn`, this
/// executable is a pool worker for the tiny task and nothing else.
fn main() {
    w::serve_if_worker(w::tiny);
    benches();
    Criterion::default().configure_from_args().final_summary();
}
