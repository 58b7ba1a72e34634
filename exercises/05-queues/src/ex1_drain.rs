//! Exercise 1: drain before you wait.
//!
//! In Python, a process that `put` a big object on a `multiprocessing.Queue`
//! cannot exit until a feeder thread has pushed all of it into a pipe, so
//! joining the process before draining the queue waits forever. Here the
//! same thing with a pipe and no disguise: [`given::spawn_writer`] starts a
//! child that writes `bytes` bytes into a pipe and exits.
//!
//! Write `drain_then_wait`: start the writer, collect every byte it wrote,
//! reap it with [`given::wait_for`], and return the bytes and its exit
//! code. It must work for a kilobyte and for a megabyte.
//!
//! [`given::spawn_writer`]: crate::given::spawn_writer
//! [`given::wait_for`]: crate::given::wait_for

// Imports and parameters are unused until the todo!() is filled in.
#![allow(unused_imports, unused_variables)]

use std::io::{self, Read};

use crate::given::{spawn_writer, wait_for};

// ANCHOR: drain
/// Starts a child that writes `bytes` bytes into a pipe, collects all of
/// them, and reaps the child. Returns the bytes and the child's exit code.
pub fn drain_then_wait(bytes: usize) -> io::Result<(Vec<u8>, i32)> {
    todo!()
}
// ANCHOR_END: drain
