//! Chapter 7, Shared memory: the exercises.
//!
//! One module per exercise, in rising difficulty. Each function's doc
//! comment says what to do and what it is in Python; replace every `todo!()`
//! until `cargo workbook check shared-memory` (or
//! `cargo test -p shared-memory-exercise`) passes. `cargo workbook hint
//! <exercise>` gives hints.

// The stubs' parameters and fields stay unused until you write the bodies.
#![allow(unused_variables, dead_code, unused_imports)]

pub mod given;

pub mod ex1_counter;
pub mod ex2_segment;
pub mod ex3_parallel_sum;
pub mod ex4_robust_mutex;
pub mod ex5_ring;
pub mod ex6_manager;
