//! The work the benchmarks measure, one module per chapter.
//!
//! Each function here is also unit-tested, so a benchmark never measures
//! code that computes the wrong answer.

pub mod array_sum;
pub mod downloads;
pub mod pipes;
pub mod pools;
pub mod processes;
pub mod queues;
pub mod shared_memory;
pub mod synchronization;
pub mod threads;
pub mod tree_walk;
