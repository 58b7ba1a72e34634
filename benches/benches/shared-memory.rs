//! The shared-memory chapter's benchmarks: the parallel sum against the
//! memory bandwidth, a counter shared by processes, a pipe against a ring
//! in shared memory, and 100 MB handed over as a copy or as the segment.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use workloads::shared_memory as w;

/// How many u64 the sum reads: 10^7 (80 MB), far more than any cache.
const N: usize = 10_000_000;
/// Increments per run of the counter benchmarks.
const INCREMENTS: u64 = 200_000;
/// Increments the manager row really makes (see `counter`).
const MANAGER_INCREMENTS: u64 = 20_000;
/// Processes (and threads) used: this chapter's machine has two cores.
const WORKERS: usize = 2;

fn parallel_sum(c: &mut Criterion) {
    let data = w::numbers(N).expect("numbers");
    let d = data.words();
    let mut g = c.benchmark_group("shared-memory: sum of 10^7 u64");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Bytes((N * 8) as u64));
    g.bench_function(BenchmarkId::new("serial", 1), |b| {
        b.iter(|| w::sum_serial(d))
    });
    for n in [1, WORKERS] {
        g.bench_function(BenchmarkId::new("read bandwidth (xor), threads", n), |b| {
            b.iter(|| w::read_bandwidth(d, n))
        });
    }
    g.bench_function(BenchmarkId::new("threads", WORKERS), |b| {
        b.iter(|| w::sum_threads(d, WORKERS))
    });
    g.bench_function(BenchmarkId::new("rayon", WORKERS), |b| {
        b.iter(|| w::sum_rayon(d))
    });
    g.bench_function(BenchmarkId::new("processes, shared memory", WORKERS), |b| {
        b.iter(|| w::sum_processes_shared(d, WORKERS).expect("sum"))
    });
    // The same processes forked once: no fork, exit or first-touch page
    // faults inside the measured sum (see the array-sum case study).
    g.bench_function(
        BenchmarkId::new("processes, shared memory, a pool forked once", WORKERS),
        |b| {
            let pool = w::SumPool::new(d, WORKERS).expect("pool");
            b.iter(|| pool.sum().expect("sum"))
        },
    );
    g.bench_function(
        BenchmarkId::new("processes, copy through a pipe", WORKERS),
        |b| b.iter(|| w::sum_processes_pipe(d, WORKERS).expect("sum")),
    );
    g.finish();
}

fn counter(c: &mut Criterion) {
    let mut g = c.benchmark_group("shared-memory: 200,000 increments");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Elements(INCREMENTS));
    let per = INCREMENTS / WORKERS as u64;
    g.bench_function(BenchmarkId::new("serial", 1), |b| {
        b.iter(|| w::count_serial(INCREMENTS))
    });
    g.bench_function(BenchmarkId::new("processes, one atomic", WORKERS), |b| {
        b.iter(|| w::count_one_atomic(WORKERS, per).expect("count"))
    });
    g.bench_function(
        BenchmarkId::new("processes, padded atomic each", WORKERS),
        |b| b.iter(|| w::count_padded(WORKERS, per).expect("count")),
    );
    g.bench_function(BenchmarkId::new("processes, robust mutex", WORKERS), |b| {
        b.iter(|| w::count_robust_mutex(WORKERS, per).expect("count"))
    });
    // Exercise 6's design: every increment is a request to a server
    // process over a Unix socket, and a reply (the Rust beside Python's
    // Manager row). A round trip costs thousands of times an atomic, so,
    // like the Python row, it is measured on fewer increments and the time
    // scaled to INCREMENTS (10 samples of the full count would take
    // about a minute).
    let scale = INCREMENTS / MANAGER_INCREMENTS;
    g.bench_function(
        BenchmarkId::new(
            "processes, a manager process (timed on 20,000, scaled)",
            WORKERS,
        ),
        |b| {
            b.iter_custom(|iters| {
                let t = Instant::now();
                for _ in 0..iters {
                    let per = MANAGER_INCREMENTS / WORKERS as u64;
                    black_box(w::count_manager(WORKERS, per).expect("count"));
                }
                t.elapsed() * scale as u32
            })
        },
    );
    g.finish();
}

fn messages(c: &mut Criterion) {
    let mut g = c.benchmark_group("shared-memory: messages between two processes");
    g.sample_size(10).measurement_time(Duration::from_secs(3));
    for (size, count) in [(64usize, 100_000u64), (4096, 20_000)] {
        g.throughput(Throughput::Elements(count));
        let label = if size == 64 { "64 B" } else { "4 KiB" };
        g.bench_function(BenchmarkId::new("pipe", label), |b| {
            b.iter(|| w::pipe_messages(size, count).expect("pipe"))
        });
        g.bench_function(BenchmarkId::new("ring in shared memory", label), |b| {
            b.iter(|| w::ring_messages(size, count).expect("ring"))
        });
    }
    g.finish();
}

/// Bytes handed to another process: 100 MB.
const HANDOVER: usize = 100_000_000;

fn handover(c: &mut Criterion) {
    let bytes = w::Bytes::new(HANDOVER).expect("100 MB in a memfd");
    let mut g = c.benchmark_group("shared-memory: handing 100 MB to another process");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Bytes(HANDOVER as u64));
    g.bench_function(BenchmarkId::new("copy through a pipe", "100 MB"), |b| {
        b.iter(|| w::hand_over_pipe(&bytes).expect("pipe"))
    });
    g.bench_function(
        BenchmarkId::new("pass the segment (memfd)", "100 MB"),
        |b| b.iter(|| w::hand_over_segment(&bytes).expect("segment")),
    );
    g.finish();
}

criterion_group!(benches, parallel_sum, counter, messages, handover);
criterion_main!(benches);
