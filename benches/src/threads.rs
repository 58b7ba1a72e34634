//! Workloads of the threads chapter's benchmarks.
