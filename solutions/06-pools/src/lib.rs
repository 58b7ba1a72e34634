//! Chapter 6, Pools: the reference solution.
//!
//! Same library name and public API as the exercise crate; its tests run
//! against this crate too. Each `mistake-*` feature swaps one module for a
//! realistic wrong answer from `mistakes/`, which the tests must catch.

#[path = "../../../exercises/06-pools/src/given.rs"]
pub mod given;

#[cfg_attr(
    feature = "mistake-drops-the-last-chunk",
    path = "../mistakes/drops-the-last-chunk.rs"
)]
pub mod ex1_chunks;

#[cfg_attr(
    feature = "mistake-results-in-finish-order",
    path = "../mistakes/results-in-finish-order.rs"
)]
pub mod ex2_map;

#[cfg_attr(
    feature = "mistake-waits-in-input-order",
    path = "../mistakes/waits-in-input-order.rs"
)]
pub mod ex3_unordered;

#[cfg_attr(
    feature = "mistake-workers-die-on-a-panic",
    path = "../mistakes/workers-die-on-a-panic.rs"
)]
pub mod ex4_thread_pool;

#[cfg_attr(
    feature = "mistake-keeps-the-reply-pipe-open",
    path = "../mistakes/keeps-the-reply-pipe-open.rs"
)]
#[cfg_attr(
    feature = "mistake-zombies-after-drop",
    path = "../mistakes/zombies-after-drop.rs"
)]
pub mod ex5_process_pool;

#[cfg_attr(
    feature = "mistake-blocks-inside-the-pool",
    path = "../mistakes/blocks-inside-the-pool.rs"
)]
pub mod ex6_rayon;

#[cfg_attr(
    feature = "mistake-initializes-per-task",
    path = "../mistakes/initializes-per-task.rs"
)]
#[cfg_attr(
    feature = "mistake-retires-one-task-late",
    path = "../mistakes/retires-one-task-late.rs"
)]
#[cfg_attr(
    feature = "mistake-retired-worker-not-reaped",
    path = "../mistakes/retired-worker-not-reaped.rs"
)]
#[cfg_attr(
    feature = "mistake-loses-a-task-at-retirement",
    path = "../mistakes/loses-a-task-at-retirement.rs"
)]
pub mod ex7_recycle;

#[cfg_attr(
    feature = "mistake-get-ignores-the-timeout",
    path = "../mistakes/get-ignores-the-timeout.rs"
)]
#[cfg_attr(
    feature = "mistake-imap-in-input-order",
    path = "../mistakes/imap-in-input-order.rs"
)]
#[cfg_attr(
    feature = "mistake-drop-joins-before-closing",
    path = "../mistakes/drop-joins-before-closing.rs"
)]
pub mod ex8_async_pool;
