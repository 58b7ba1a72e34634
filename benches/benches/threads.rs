//! Threads chapter: the CPU-bound job serially, on threads and on
//! processes; what a thread costs to start; and private vs shared counting.
//! Run with `cargo bench -p workbook-benches --bench threads`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use workloads::{pools, processes, threads};

/// The same N as benches/python/threads.py.
const N: u64 = 500_000;
const EVENTS: u64 = 1_000_000;

fn primes(c: &mut Criterion) {
    let mut g = c.benchmark_group(format!("threads: count primes below {N}"));
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    g.bench_function("serial", |b| {
        b.iter(|| processes::primes_serial(black_box(N)))
    });
    for workers in [1, 2, 4] {
        g.bench_function(format!("threads-{workers}"), |b| {
            b.iter(|| processes::primes_threads(black_box(N), workers))
        });
    }
    g.bench_function("processes-2", |b| {
        b.iter(|| processes::primes_processes(black_box(N), 2))
    });
    // rayon splits the range itself and steals work, on a pool of 2 threads
    // (built once, outside the timing, as a program would).
    let rayon = pools::rayon_pool(2);
    g.bench_function("rayon-2", |b| {
        b.iter(|| pools::primes_rayon(&rayon, black_box(N)))
    });
    g.finish();
}

fn start_a_thread(c: &mut Criterion) {
    let mut g = c.benchmark_group("threads: start and join one thread");
    g.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    g.bench_function("spawn-join", |b| b.iter(threads::spawn_and_join));
    g.bench_function("scope-join", |b| b.iter(threads::scope_and_join));
    g.bench_function("builder-64KiB-join", |b| b.iter(threads::builder_and_join));
    g.finish();
}

fn counting(c: &mut Criterion) {
    let mut g = c.benchmark_group(format!("threads: {EVENTS} increments"));
    g.sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    g.bench_function("serial", |b| {
        b.iter(|| threads::count_serial(black_box(EVENTS)))
    });
    g.bench_function("thread-local-2", |b| {
        b.iter(|| threads::count_thread_local(black_box(EVENTS), 2))
    });
    g.bench_function("atomic-2", |b| {
        b.iter(|| threads::count_shared_atomic(black_box(EVENTS), 2))
    });
    g.bench_function("mutex-2", |b| {
        b.iter(|| threads::count_shared_mutex(black_box(EVENTS), 2))
    });
    g.finish();
}

criterion_group!(benches, primes, start_a_thread, counting);
criterion_main!(benches);
