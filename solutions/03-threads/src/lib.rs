//! Chapter 3, Threads: the reference solution.
//!
//! Same library name and public API as the exercise crate; its tests run
//! against this crate too. Each `mistake-*` feature swaps one module for a
//! realistic wrong answer from `mistakes/`, which the tests must catch.
//!
//! The two programs below are the data races Rust refuses to compile; they
//! are checked as `compile_fail` doctests, and the book shows them.
//!
#![doc = concat!("```compile_fail,E0499\n", include_str!("../../../exercises/03-threads/does-not-compile/shared_counter.rs"), "\n```")]
//!
#![doc = concat!("```compile_fail,E0277\n", include_str!("../../../exercises/03-threads/does-not-compile/rc_across_threads.rs"), "\n```")]

#[cfg_attr(
    feature = "mistake-joins-too-early",
    path = "../mistakes/joins-too-early.rs"
)]
#[cfg_attr(
    feature = "mistake-results-in-finish-order",
    path = "../mistakes/results-in-finish-order.rs"
)]
pub mod ex1_spawn;

#[cfg_attr(feature = "mistake-unwraps-join", path = "../mistakes/unwraps-join.rs")]
#[cfg_attr(
    feature = "mistake-loses-the-panic-message",
    path = "../mistakes/loses-the-panic-message.rs"
)]
#[cfg_attr(
    feature = "mistake-joins-each-job",
    path = "../mistakes/joins-each-job.rs"
)]
pub mod ex2_panics;

#[cfg_attr(
    feature = "mistake-uneven-chunks",
    path = "../mistakes/uneven-chunks.rs"
)]
pub mod ex3_scoped;

#[cfg_attr(
    feature = "mistake-copies-the-data",
    path = "../mistakes/copies-the-data.rs"
)]
pub mod ex4_arc;

#[cfg_attr(
    feature = "mistake-counts-on-the-caller",
    path = "../mistakes/counts-on-the-caller.rs"
)]
pub mod ex5_named;
