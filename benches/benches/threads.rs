use criterion::{criterion_group, criterion_main};

fn placeholder(_c: &mut criterion::Criterion) {}

criterion_group!(benches, placeholder);
criterion_main!(benches);
