//! Chapter 4, Synchronization: the exercises.
//!
//! One module per exercise, in rising difficulty. Each doc comment says
//! what to build; replace the `todo!()` bodies (or fix the wrong code where
//! the exercise says so) until `cargo workbook check synchronization` passes.

pub mod given;

pub mod ex1_counter;
pub mod ex2_lock_scope;
pub mod ex3_event;
pub mod ex4_semaphore;
pub mod ex5_bounded_buffer;
pub mod ex6_philosophers;
