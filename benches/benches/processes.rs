//! Benchmarks of the Processes chapter (`cargo workbook bench processes`).
//!
//! Group names start with "processes: " — that is how the runner finds this
//! chapter's results in `target/criterion`. In a group, the function named
//! `serial` is the baseline the runner computes speedups against.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use workloads::processes::{
    command_true, fork_wait, primes_processes, primes_serial, primes_threads, spawn_join_thread,
};

/// The largest input: one serial count takes roughly 100–200 ms in release
/// on the machine this was tuned on, so the start-up cost of a worker (tens
/// of µs to a few ms) is small next to the work.
const N: u64 = 1_500_000;

/// What it costs to start one worker and wait for it to finish.
fn start_and_finish(c: &mut Criterion) {
    let mut g = c.benchmark_group("processes: start and finish");
    g.bench_function("thread spawn + join", |b| b.iter(spawn_join_thread));
    g.bench_function("fork + waitpid", |b| b.iter(fork_wait));
    g.bench_function("Command `true` spawn + wait", |b| b.iter(command_true));
    g.finish();
}

/// Worker counts to try: 1, 2, 4, and this machine's core count if different.
fn worker_counts() -> Vec<usize> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut counts = vec![1, 2, 4];
    if !counts.contains(&cores) {
        counts.push(cores);
        counts.sort_unstable();
    }
    counts
}

/// The same CPU-bound job done by one thread, by threads, and by processes.
fn count_primes(c: &mut Criterion) {
    let mut g = c.benchmark_group("processes: count primes");
    g.sample_size(10);
    g.throughput(Throughput::Elements(N));
    g.bench_with_input(BenchmarkId::new("serial", 1), &N, |b, &n| {
        b.iter(|| primes_serial(black_box(n)))
    });
    for workers in worker_counts() {
        g.bench_with_input(BenchmarkId::new("threads", workers), &N, |b, &n| {
            b.iter(|| primes_threads(black_box(n), workers))
        });
        g.bench_with_input(BenchmarkId::new("processes", workers), &N, |b, &n| {
            b.iter(|| primes_processes(black_box(n), workers))
        });
    }
    g.finish();
}

criterion_group!(benches, start_and_finish, count_primes);
criterion_main!(benches);
