//! Workloads of the processes chapter's benchmarks.
