//! Case study 1, Listing a directory tree: the reference solution.
//!
//! Same library name and public API as the exercise crate; its tests run
//! against this crate too. Each `mistake-*` feature swaps one module for a
//! realistic wrong answer from `mistakes/`, which the tests must catch.

#[path = "../../../exercises/08-tree-walk/src/given.rs"]
pub mod given;

#[cfg_attr(
    feature = "mistake-follows-symlinks",
    path = "../mistakes/follows-symlinks.rs"
)]
#[cfg_attr(
    feature = "mistake-stops-at-the-first-error",
    path = "../mistakes/stops-at-the-first-error.rs"
)]
pub mod ex1_serial;

#[cfg_attr(
    feature = "mistake-quits-when-the-queue-is-empty",
    path = "../mistakes/quits-when-the-queue-is-empty.rs"
)]
#[cfg_attr(
    feature = "mistake-done-wakes-nobody",
    path = "../mistakes/done-wakes-nobody.rs"
)]
pub mod ex2_queue;

#[cfg_attr(
    feature = "mistake-no-done-after-an-error",
    path = "../mistakes/no-done-after-an-error.rs"
)]
pub mod ex3_parallel;

#[cfg_attr(
    feature = "mistake-lists-top-folders-twice",
    path = "../mistakes/lists-top-folders-twice.rs"
)]
pub mod ex4_processes;
