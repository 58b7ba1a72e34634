//! Workloads of the synchronization chapter's benchmarks.
