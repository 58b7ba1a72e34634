//! Case study 1, Listing a directory tree: the exercises.
//!
//! Each module is one exercise. Its doc comments say what to build; replace
//! every `todo!()` until `cargo workbook check tree-walk` passes. `given`
//! holds the listing, its file format and the bytes a walker process sends.

// The stubs below name their parameters but do not use them yet; without this
// every unfinished exercise would be a warning. Remove it when you are done.
#![allow(unused_variables, dead_code, unused_imports)]

pub mod given;

pub mod ex1_serial;
pub mod ex2_queue;
pub mod ex3_parallel;
pub mod ex4_processes;
