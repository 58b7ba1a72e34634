//! Chapter 3, Threads: the exercises.
//!
//! Each module is one exercise. Its doc comments say what to build; replace
//! every `todo!()` until `cargo workbook check threads` passes.

// The stubs below name their parameters but do not use them yet; without this
// every unfinished exercise would be a warning. Remove it when you are done.
#![allow(unused_variables)]

pub mod ex1_spawn;
pub mod ex2_panics;
pub mod ex3_scoped;
pub mod ex4_arc;
pub mod ex5_named;
