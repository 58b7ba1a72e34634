//! The queues chapter's benchmarks: how many 64-byte messages per second
//! each kind of queue moves one way, what batching items into messages
//! buys, and what a three-stage pipeline gains over one loop.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use workloads::queues::{
    batched_processes, batched_threads, crossbeam_bounded, crossbeam_unbounded, hand_built,
    pipeline_crossbeam, pipeline_processes, pipeline_serial, pipeline_std, process_pipe,
    std_bounded, std_unbounded,
};

/// Messages per run of a rate benchmark (the Python script uses the same).
const MESSAGES: usize = 10_000;
/// Items per run of a batching benchmark.
const ITEMS: usize = 262_144;
/// Items through the three-stage pipeline (the Python script uses the same).
const STAGED: u64 = 1_000;

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
        b.iter(|| hand_built(n, 1024, false))
    });
    g.bench_function("hand-built bounded(1024), notify every op", |b| {
        b.iter(|| hand_built(n, 1024, true))
    });
    g.bench_function("hand-built bounded(1)", |b| {
        b.iter(|| hand_built(n, 1, false))
    });
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

/// Three stages of 1, 10 or 100 µs of CPU per item each; the parameter
/// (`name=value`, so the results page names its column) is the µs per stage.
fn pipeline(c: &mut Criterion) {
    let mut g = c.benchmark_group("queues: 3-stage pipeline, 1,000 items");
    g.throughput(Throughput::Elements(STAGED));
    let n = STAGED;
    for us in [1u64, 10, 100] {
        let cost = format!("cost per stage (µs)={us}");
        g.bench_with_input(BenchmarkId::new("serial", &cost), &us, |b, &us| {
            b.iter(|| pipeline_serial(n, us))
        });
        g.bench_with_input(
            BenchmarkId::new("threads, std sync_channel(64)", &cost),
            &us,
            |b, &us| b.iter(|| pipeline_std(n, us)),
        );
        g.bench_with_input(
            BenchmarkId::new("threads, crossbeam bounded(64)", &cost),
            &us,
            |b, &us| b.iter(|| pipeline_crossbeam(n, us)),
        );
        g.bench_with_input(
            BenchmarkId::new("processes, pipes", &cost),
            &us,
            |b, &us| b.iter(|| pipeline_processes(n, us).unwrap()),
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
    targets = message_rate, batching, pipeline
}
criterion_main!(benches);
