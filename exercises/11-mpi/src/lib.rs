//! Chapter 11, Beyond one machine (MPI): the exercises.
//!
//! Each module is one exercise. Its doc comments say what to build; replace
//! every `todo!()` until `cargo workbook check mpi` passes. The tests start
//! the program in `src/bin/ranks.rs` with `mpirun -np 2` and `-np 3`; every
//! rank of it calls your function.

// The stubs below name their parameters but do not use them yet; without this
// every unfinished exercise would be a warning. Remove it when you are done.
#![allow(unused_variables)]

pub mod ex1_primes;
pub mod ex2_ring;
pub mod ex3_scatter;
pub mod ex4_farm;
pub mod given;
