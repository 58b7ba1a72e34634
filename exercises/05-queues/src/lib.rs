//! Chapter 5, Queues: the exercises.
//!
//! One module per exercise, in rising difficulty. Each doc comment says
//! what to build; replace the `todo!()` bodies until
//! `cargo workbook check queues` passes.

pub mod given;

pub mod ex1_drain;
pub mod ex2_backpressure;
pub mod ex3_disconnect;
pub mod ex4_joinable;
pub mod ex5_select;
pub mod ex6_channel;
pub mod ex7_process_queue;
pub mod ex8_logging;
pub mod ex9_oneshot;
