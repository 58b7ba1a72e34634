//! Workloads of the pipes chapter's benchmarks.
