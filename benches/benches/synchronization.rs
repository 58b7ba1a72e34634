//! The synchronization chapter's benchmarks: what sharing one counter
//! costs, and what sharing one cache line costs.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use workloads::synchronization::{
    atomic_counter, mutex_counter, own_counters_padded, own_counters_unpadded, per_thread_sums,
};

/// Increments per thread in one run of a workload.
const PER_THREAD: u64 = 100_000;

fn contended_counter(c: &mut Criterion) {
    let mut g = c.benchmark_group("synchronization: contended counter");
    for threads in [1usize, 2, 4] {
        g.throughput(Throughput::Elements(threads as u64 * PER_THREAD));
        g.bench_with_input(BenchmarkId::new("mutex", threads), &threads, |b, &t| {
            b.iter(|| mutex_counter(t, PER_THREAD))
        });
        g.bench_with_input(BenchmarkId::new("atomic", threads), &threads, |b, &t| {
            b.iter(|| atomic_counter(t, PER_THREAD))
        });
        g.bench_with_input(
            BenchmarkId::new("per-thread sums", threads),
            &threads,
            |b, &t| b.iter(|| per_thread_sums(t, PER_THREAD)),
        );
    }
    g.finish();
}

fn false_sharing(c: &mut Criterion) {
    let mut g = c.benchmark_group("synchronization: false sharing");
    for threads in [2usize, 4] {
        g.throughput(Throughput::Elements(threads as u64 * PER_THREAD));
        g.bench_with_input(BenchmarkId::new("unpadded", threads), &threads, |b, &t| {
            b.iter(|| own_counters_unpadded(t, PER_THREAD))
        });
        g.bench_with_input(BenchmarkId::new("padded", threads), &threads, |b, &t| {
            b.iter(|| own_counters_padded(t, PER_THREAD))
        });
    }
    g.finish();
}

fn config() -> Criterion {
    // Short runs: a lab session runs every chapter on a shared machine.
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = benches;
    config = config();
    targets = contended_counter, false_sharing
}
criterion_main!(benches);
