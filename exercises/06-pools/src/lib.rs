//! Chapter 6, Pools: the exercises.
//!
//! Each module is one exercise. Its doc comments say what to build; replace
//! every `todo!()` until `cargo workbook check pools` passes. `given` holds
//! the wire format and the worker side of the process pool (exercise 5).

// The stubs below name their parameters but do not use them yet; without this
// every unfinished exercise would be a warning. Remove it when you are done.
#![allow(unused_variables, dead_code, unused_imports)]

pub mod given;

pub mod ex1_chunks;
pub mod ex2_map;
pub mod ex3_unordered;
pub mod ex4_thread_pool;
pub mod ex5_process_pool;
pub mod ex6_rayon;
pub mod ex7_recycle;
pub mod ex8_async_pool;
