//! The queues chapter's benchmarks: how many 64-byte messages per second
//! each kind of queue moves one way, and what batching items into
//! messages buys.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use workloads::queues::{
    batched_processes, batched_threads, crossbeam_bounded, crossbeam_unbounded, hand_built,
    process_pipe, std_bounded, std_unbounded,
};

/// Messages per run of a rate benchmark (the Python script uses the same).
const MESSAGES: usize = 10_000;
/// Items per run of a batching benchmark.
const ITEMS: usize = 262_144;

fn message_rate(c: &mut Criterion) {
    let mut g = c.benchmark_group("queues: 10,000 messages of 64 bytes, one way");
    g.throughput(Throughput::Elements(MESSAGES as u64));
    let n = MESSAGES;
    g.bench_function("std channel()", |b| b.iter(|| std_unbounded(n)));
    g.bench_function("std sync_channel(1024)", |b| {
        b.iter(|| std_bounded(n, 1024))
    });
    g.bench_function("std sync_channel(1)", |b| b.iter(|| std_bounded(n, 1)));
    g.bench_function("crossbeam unbounded()", |b| {
        b.iter(|| crossbeam_unbounded(n))
    });
    g.bench_function("crossbeam bounded(1024)", |b| {
        b.iter(|| crossbeam_bounded(n, 1024))
    });
    g.bench_function("crossbeam bounded(1)", |b| {
        b.iter(|| crossbeam_bounded(n, 1))
    });
    g.bench_function("crossbeam bounded(0)", |b| {
        b.iter(|| crossbeam_bounded(n, 0))
    });
    g.bench_function("hand-built bounded(1024)", |b| {
        b.iter(|| hand_built(n, 1024))
    });
    g.bench_function("hand-built bounded(1)", |b| b.iter(|| hand_built(n, 1)));
    g.bench_function("pipe from a producer process", |b| {
        b.iter(|| process_pipe(n).unwrap())
    });
    g.finish();
}

fn batching(c: &mut Criterion) {
    let mut g = c.benchmark_group("queues: 262,144 items of 8 bytes, batched");
    g.throughput(Throughput::Elements(ITEMS as u64));
    for batch in [1usize, 64, 4096] {
        g.bench_with_input(
            BenchmarkId::new("threads, crossbeam bounded(64)", batch),
            &batch,
            |b, &k| b.iter(|| batched_threads(ITEMS, k)),
        );
        g.bench_with_input(
            BenchmarkId::new("processes, pipe", batch),
            &batch,
            |b, &k| b.iter(|| batched_processes(ITEMS, k).unwrap()),
        );
    }
    g.finish();
}

fn config() -> Criterion {
    // Short runs: a lab session runs every chapter on a shared machine.
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
}

criterion_group! {
    name = benches;
    config = config();
    targets = message_rate, batching
}
criterion_main!(benches);
