//! Case study: downloading many files. The exercises.
//!
//! Each module is one exercise. Its doc comments say what to build; replace
//! every `todo!()` until `cargo workbook check downloads` passes. `given`
//! holds the local file server the tests download from, the error type and
//! the HTTP plumbing of both clients.

// The stubs below name their parameters but do not use them yet; without this
// every unfinished exercise would be a warning. Remove it when you are done.
#![allow(unused_variables, dead_code, unused_imports)]

pub mod given;

pub mod ex1_one;
pub mod ex2_retry;
pub mod ex3_threads;
pub mod ex4_async;
