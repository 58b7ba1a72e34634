//! The pipes chapter's benchmarks: bulk throughput by write size against a
//! `dd | dd` baseline, and small-message round trips.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use workloads::pipes::{ProcessEcho, ThreadEcho, dd_pipeline, pipe_throughput};

/// Bytes moved per iteration of the throughput benchmarks.
const TOTAL: usize = 64 << 20;
/// The size of a round-trip message.
const MESSAGE: usize = 64;

fn bulk_throughput(c: &mut Criterion) {
    let mut g = c.benchmark_group("pipes: bulk throughput");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(4))
        .throughput(Throughput::Bytes(TOTAL as u64));
    for size in [4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20] {
        g.bench_with_input(
            BenchmarkId::new("pipe, write size", format!("{} KiB", size >> 10)),
            &size,
            |b, &size| b.iter(|| pipe_throughput(size, TOTAL).expect("pipe")),
        );
    }
    g.bench_function("dd bs=64k | dd bs=64k", |b| {
        b.iter(|| dd_pipeline(TOTAL).expect("dd"))
    });
    g.finish();
}

fn round_trip(c: &mut Criterion) {
    let mut g = c.benchmark_group("pipes: round trip");
    g.measurement_time(Duration::from_secs(3));
    let msg = vec![7u8; MESSAGE];
    let mut back = vec![0u8; MESSAGE];

    let mut pipes = ProcessEcho::over_pipes().expect("pipe echo");
    g.bench_function("two pipes, child process", |b| {
        b.iter(|| {
            pipes
                .round_trip(black_box(&msg), &mut back)
                .expect("round trip")
        })
    });
    pipes.finish().expect("pipe echo ends");

    let mut sockets = ProcessEcho::over_socketpair().expect("socket echo");
    g.bench_function("socketpair, child process", |b| {
        b.iter(|| {
            sockets
                .round_trip(black_box(&msg), &mut back)
                .expect("round trip")
        })
    });
    sockets.finish().expect("socket echo ends");

    let mut channel = ThreadEcho::start();
    g.bench_function("mpsc channels, thread", |b| {
        b.iter_batched(
            || msg.clone(),
            |m| channel.round_trip(m),
            criterion::BatchSize::SmallInput,
        )
    });
    channel.finish();
    g.finish();
}

criterion_group!(benches, bulk_throughput, round_trip);
criterion_main!(benches);
