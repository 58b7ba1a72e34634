//! Chapter 11, Beyond one machine (MPI): the reference solution.
//!
//! Same library name and public API as the exercise crate; its tests run
//! against this crate too. Each `mistake-*` feature swaps one module for a
//! realistic wrong answer from `mistakes/`, which the tests must catch.

#[cfg_attr(
    feature = "mistake-reduces-to-the-last-rank",
    path = "../mistakes/reduces-to-the-last-rank.rs"
)]
pub mod ex1_primes;

#[cfg_attr(
    feature = "mistake-every-rank-sends-first",
    path = "../mistakes/every-rank-sends-first.rs"
)]
pub mod ex2_ring;

#[cfg_attr(
    feature = "mistake-broadcasts-the-whole-array",
    path = "../mistakes/broadcasts-the-whole-array.rs"
)]
pub mod ex3_scatter;

#[cfg_attr(
    feature = "mistake-waits-in-rank-order",
    path = "../mistakes/waits-in-rank-order.rs"
)]
#[cfg_attr(
    feature = "mistake-drops-a-failed-task",
    path = "../mistakes/drops-a-failed-task.rs"
)]
pub mod ex4_farm;

#[path = "../../../exercises/11-mpi/src/given.rs"]
pub mod given;
