//! Case study 3, Summing a large array: the exercises.
//!
//! One module per exercise, in rising difficulty. Each function's doc
//! comment says what to do and what it is in Python; replace every `todo!()`
//! until `cargo workbook check array-sum` (or
//! `cargo test -p array-sum-exercise`) passes. `cargo workbook hint
//! <exercise>` gives hints.

// The stubs' parameters and fields stay unused until you write the bodies.
#![allow(unused_variables, dead_code, unused_imports)]

pub mod given;

pub mod ex1_split;
pub mod ex2_slots;
pub mod ex3_processes;
