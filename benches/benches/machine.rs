//! The machine's limits, which every chapter's results are read against:
//! how fast it reads memory (one thread, every core), how fast a pipe can
//! move bytes, and what one round trip between two processes costs.
//! Run with `cargo workbook bench machine`; the page is
//! `benches/results/machine.md`, shown in the book's "The machine's limits".

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use workloads::{pipes, shared_memory};

/// Words read by the bandwidth rows: 10^8 u64 (800 MB), far beyond any cache.
const WORDS: usize = 100_000_000;
/// Bytes moved per iteration of the pipe rows.
const PIPE_BYTES: usize = 256 << 20;

fn memory(c: &mut Criterion) {
    let data = shared_memory::numbers(WORDS).expect("numbers");
    let words = data.words();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut g = c.benchmark_group("machine: memory bandwidth, a streaming read of 800 MB");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Bytes((WORDS * 8) as u64));
    let mut threads = vec![1];
    if cores > 1 {
        threads.push(cores);
    }
    for n in threads {
        g.bench_function(BenchmarkId::new("read bandwidth, threads", n), |b| {
            b.iter(|| shared_memory::read_bandwidth(black_box(words), n))
        });
    }
    g.finish();
}

fn pipe(c: &mut Criterion) {
    let mut g = c.benchmark_group("machine: a pipe's ceiling, 256 MiB from one thread to another");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Bytes(PIPE_BYTES as u64));
    for size in [4 << 10, 64 << 10] {
        g.bench_function(
            BenchmarkId::new("pipe, write size", format!("{} KiB", size >> 10)),
            |b| b.iter(|| pipes::pipe_throughput(size, PIPE_BYTES).expect("pipe")),
        );
    }
    g.finish();
}

fn wake_up(c: &mut Criterion) {
    let mut g = c.benchmark_group("machine: one round trip between two processes");
    g.measurement_time(Duration::from_secs(3));
    let msg = [7u8; 64];
    let mut back = [0u8; 64];
    let mut echo = pipes::ProcessEcho::over_pipes().expect("pipe echo");
    g.bench_function("64 bytes over two pipes", |b| {
        b.iter(|| {
            echo.round_trip(black_box(&msg), &mut back)
                .expect("round trip")
        })
    });
    echo.finish().expect("pipe echo ends");
    g.finish();
}

criterion_group!(benches, memory, pipe, wake_up);
criterion_main!(benches);
