//! Chapter 1, Processes: the exercises.
//!
//! One module per exercise, in rising difficulty. Each function's doc
//! comment says what to do and what it is in Python; replace every `todo!()`
//! until `cargo workbook check processes` (or `cargo test -p processes-exercise`)
//! passes. `cargo workbook hint <exercise>` gives hints.

// The stubs' parameters and fields stay unused until you write the bodies.
#![allow(unused_variables, dead_code)]

pub mod given;

pub mod ex1_spawn;
pub mod ex2_fork;
pub mod ex3_join_all;
pub mod ex4_run_trait;
pub mod ex5_daemon;
