//! Tree-walk case study: list a generated tree of 100 110 entries into one
//! sorted file, serially, on a shared queue of 2 threads, with rayon on 2
//! threads, with one process per top-level folder, with jwalk on 2 threads,
//! and with `find` (sorted by `sort`, and unsorted as the outside anchor).
//! Run with `cargo bench -p workbook-benches --bench tree-walk`.
//!
//! The tree is made once, in a temporary folder removed at the end, before
//! anything is measured: its folders are in the page cache for every run
//! (a warm cache). Each measured run walks the tree and writes the file.

use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use workloads::tree_walk as w;

/// 10 x 10 x 10 leaf folders of 99 files: 100 110 entries under the root.
const FANOUT: usize = 10;
const FILES: usize = 99;
const THREADS: usize = 2;

fn walk_and_save(c: &mut Criterion) {
    let dir = tempfile::Builder::new()
        .prefix("workbook-tree-walk-")
        .tempdir()
        .expect("a temporary folder");
    let root = dir.path().join("tree");
    std::fs::create_dir(&root).expect("the tree's root");
    let entries = w::make_tree(&root, FANOUT, FILES).expect("the generated tree");
    let out = dir.path().join("listing.txt");
    let want = w::serial(&root);
    assert_eq!(want.len(), entries + 1);

    let mut g = c.benchmark_group(format!(
        "tree-walk: list {entries} entries into a sorted file (warm cache)"
    ));
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    let save = |paths: Vec<std::path::PathBuf>, out: &Path| {
        assert_eq!(paths.len(), want.len());
        w::save(&paths, out).expect("the listing file");
    };
    g.bench_function("serial", |b| b.iter(|| save(w::serial(&root), &out)));
    g.bench_function(format!("queue-threads-{THREADS}"), |b| {
        b.iter(|| save(w::queue_threads(&root, THREADS), &out))
    });
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(THREADS)
        .build()
        .expect("a rayon pool");
    g.bench_function(format!("rayon-{THREADS}"), |b| {
        b.iter(|| save(w::rayon_walk(&pool, &root), &out))
    });
    g.bench_function(format!("processes-{FANOUT}"), |b| {
        b.iter(|| save(w::processes(&root), &out))
    });
    g.bench_function(format!("jwalk-{THREADS}"), |b| {
        b.iter(|| save(w::jwalk_walk(&root, THREADS), &out))
    });
    g.bench_function("find-sort", |b| {
        b.iter(|| w::find_sorted(&root, &out).expect("find | sort"))
    });
    g.bench_function("find-unsorted", |b| {
        b.iter(|| w::find_unsorted(&root, &out).expect("find"))
    });
    g.finish();
    // The same bytes from our walker and from find | sort.
    w::save(&want, &out).expect("the listing file");
    let ours = std::fs::read(&out).expect("our listing");
    w::find_sorted(&root, &out).expect("find | sort");
    assert_eq!(ours, std::fs::read(&out).expect("find's listing"));
}

criterion_group!(benches, walk_and_save);
criterion_main!(benches);
