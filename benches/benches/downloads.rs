//! Downloads case study: N files from a local server that waits
//! `DELAY_MS` before each answer, for N = 10, 100 and 1000: serially, on a
//! pool of threads, on rayon's pool of 2 (one per core), on processes, and
//! as tokio tasks on one thread. The parameter is the number of downloads
//! in flight at once (threads, processes, or the tasks' limit).
//! Run with `cargo bench -p workbook-benches --bench downloads`.

use std::path::Path;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use workloads::downloads::{self as w, Scratch, Server, ServerConfig};

/// The delay per request and the file size (the same in benches/python/downloads.py).
const DELAY_MS: u64 = 2;
const SIZE: usize = 16 * 1024;
const FETCHER: &str = env!("CARGO_BIN_EXE_downloads-fetch");

/// The numbers in flight tried for `n` files: those below `n`, then `n`.
fn in_flight(n: usize, from: &[usize]) -> Vec<usize> {
    let mut ks: Vec<usize> = from.iter().copied().filter(|&k| k < n).collect();
    ks.push(n);
    ks
}

fn downloads(c: &mut Criterion) {
    let rayon_2 = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("a rayon pool of 2");
    for n in [10, 100, 1000] {
        let server = Server::start(ServerConfig {
            files: n,
            size: SIZE,
            delay: Duration::from_millis(DELAY_MS),
            ..ServerConfig::default()
        })
        .expect("the bench's server starts");
        let dir = Scratch::new(&format!("{n}"));
        let jobs = server.jobs(n, dir.path());
        let mut g = c.benchmark_group(format!(
            "downloads: {n} files of 16 KiB, {DELAY_MS} ms delay each"
        ));
        g.sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3));
        g.bench_function("serial", |b| b.iter(|| assert_eq!(w::serial(&jobs), n)));
        g.bench_with_input(BenchmarkId::new("rayon", 2), &2, |b, _| {
            b.iter(|| assert_eq!(w::on_rayon(&rayon_2, &jobs), n))
        });
        for k in in_flight(n, &[4, 16, 64, 256]) {
            g.bench_with_input(BenchmarkId::new("threads", k), &k, |b, &k| {
                b.iter(|| assert_eq!(w::threads(&jobs, k), n))
            });
        }
        for k in [2, 4, 16].into_iter().filter(|&k| k <= n) {
            g.bench_with_input(BenchmarkId::new("processes", k), &k, |b, &k| {
                b.iter(|| assert_eq!(w::processes(Path::new(FETCHER), &jobs, k), n))
            });
        }
        for k in in_flight(n, &[4, 16, 64, 256]) {
            g.bench_with_input(BenchmarkId::new("tokio-tasks", k), &k, |b, &k| {
                b.iter(|| assert_eq!(w::tokio_tasks(&jobs, k), n))
            });
        }
        g.finish();
    }
}

criterion_group!(benches, downloads);
criterion_main!(benches);
