//! Chapter 2, Pipes: the exercises.
//!
//! Each module is one exercise, in rising difficulty. Its doc comments say
//! what to do; `cargo workbook check pipes` (or `cargo test -p
//! pipes-exercise`) tells you how far you are, `cargo workbook hint <name>`
//! helps when you are stuck.

// The stubs name their parameters for the reader but do not use them yet.
#![allow(unused_variables)]

pub mod given;

pub mod ex1_eof;
pub mod ex2_capture;
pub mod ex3_pipeline;
pub mod ex4_framing;
pub mod ex5_connection;
