//! The Summing-a-large-array case study's benchmarks: the sums of the
//! Shared memory chapter against the memory bandwidth measured in the same
//! run, at 10^7 and 10^8 `u64`; where a forked sum's time goes; and false
//! sharing between per-worker slots.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use workloads::array_sum as a;
use workloads::shared_memory as w;

/// Processes (and threads) used: this machine has two cores.
const WORKERS: usize = 2;

fn sums(c: &mut Criterion) {
    for (n, label) in [(10_000_000usize, "10^7"), (100_000_000, "10^8")] {
        let data = w::numbers(n).expect("numbers");
        let d = data.words();
        let mut g = c.benchmark_group(format!("array-sum: sum of {label} u64"));
        g.sample_size(10)
            .measurement_time(Duration::from_secs(3))
            .throughput(Throughput::Bytes((n * 8) as u64));
        g.bench_function(BenchmarkId::new("serial", 1), |b| {
            b.iter(|| w::sum_serial(d))
        });
        for k in [1, WORKERS] {
            g.bench_function(
                BenchmarkId::new("memory bandwidth (streaming read)", k),
                |b| b.iter(|| w::read_bandwidth(d, k)),
            );
        }
        g.bench_function(BenchmarkId::new("threads", WORKERS), |b| {
            b.iter(|| w::sum_threads(d, WORKERS))
        });
        g.bench_function(BenchmarkId::new("rayon", WORKERS), |b| {
            b.iter(|| w::sum_rayon(d))
        });
        g.bench_function(
            BenchmarkId::new("processes, a pool forked once", WORKERS),
            |b| {
                let pool = w::SumPool::new(d, WORKERS).expect("pool");
                b.iter(|| pool.sum().expect("sum"))
            },
        );
        g.bench_function(
            BenchmarkId::new("processes, forked for each sum", WORKERS),
            |b| b.iter(|| w::sum_processes_shared(d, WORKERS).expect("sum")),
        );
        g.bench_function(
            BenchmarkId::new("processes, new segment for each sum", WORKERS),
            |b| b.iter(|| a::sum_in_fresh_segment(d, WORKERS).expect("sum")),
        );
        g.finish();
    }
}

fn fork_costs(c: &mut Criterion) {
    let n = 10_000_000;
    let data = w::numbers(n).expect("numbers");
    let d = data.words();
    let mut g = c.benchmark_group("array-sum: where a forked sum of 10^7 u64 spends its time");
    g.sample_size(10).measurement_time(Duration::from_secs(3));
    g.bench_function(BenchmarkId::new("fork and reap, no work", WORKERS), |b| {
        b.iter(|| a::fork_and_reap(d, WORKERS).expect("fork"))
    });
    g.bench_function(
        BenchmarkId::new("fork, touch one word per page, reap", WORKERS),
        |b| b.iter(|| a::touch_pages_in_processes(d, WORKERS).expect("touch")),
    );
    g.bench_function(BenchmarkId::new("fork, sum, reap", WORKERS), |b| {
        b.iter(|| w::sum_processes_shared(d, WORKERS).expect("sum"))
    });
    g.finish();
}

fn false_sharing(c: &mut Criterion) {
    let n = 10_000_000;
    let data = w::numbers(n).expect("numbers");
    let d = data.words();
    let mut g = c.benchmark_group("array-sum: running totals in per-worker slots, 10^7 u64");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Bytes((n * 8) as u64));
    g.bench_function(BenchmarkId::new("serial", 1), |b| {
        b.iter(|| a::sum_running_totals(d, 1, false))
    });
    g.bench_function(
        BenchmarkId::new("threads, one cache line per slot", WORKERS),
        |b| b.iter(|| a::sum_running_totals(d, WORKERS, false)),
    );
    g.bench_function(
        BenchmarkId::new("threads, slots side by side", WORKERS),
        |b| b.iter(|| a::sum_running_totals(d, WORKERS, true)),
    );
    g.finish();
}

criterion_group!(benches, sums, fork_costs, false_sharing);
criterion_main!(benches);
