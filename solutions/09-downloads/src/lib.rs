//! Case study, Downloading many files: the reference solution.
//!
//! Same library name and public API as the exercise crate; its tests run
//! against this crate too. Each `mistake-*` feature swaps one module for a
//! realistic wrong answer from `mistakes/`, which the tests must catch.

#[path = "../../../exercises/09-downloads/src/given.rs"]
pub mod given;

#[cfg_attr(
    feature = "mistake-saves-the-error-page",
    path = "../mistakes/saves-the-error-page.rs"
)]
#[cfg_attr(
    feature = "mistake-writes-under-the-final-name",
    path = "../mistakes/writes-under-the-final-name.rs"
)]
#[cfg_attr(
    feature = "mistake-leaves-the-part-file",
    path = "../mistakes/leaves-the-part-file.rs"
)]
pub mod ex1_one;

#[cfg_attr(
    feature = "mistake-retries-a-404",
    path = "../mistakes/retries-a-404.rs"
)]
#[cfg_attr(
    feature = "mistake-one-attempt-too-many",
    path = "../mistakes/one-attempt-too-many.rs"
)]
#[cfg_attr(
    feature = "mistake-stops-at-the-first-failure",
    path = "../mistakes/stops-at-the-first-failure.rs"
)]
pub mod ex2_retry;

#[cfg_attr(
    feature = "mistake-joins-each-thread-at-once",
    path = "../mistakes/joins-each-thread-at-once.rs"
)]
#[cfg_attr(
    feature = "mistake-results-in-finish-order",
    path = "../mistakes/results-in-finish-order.rs"
)]
pub mod ex3_threads;

#[cfg_attr(
    feature = "mistake-awaits-one-at-a-time",
    path = "../mistakes/awaits-one-at-a-time.rs"
)]
#[cfg_attr(feature = "mistake-no-timeout", path = "../mistakes/no-timeout.rs")]
pub mod ex4_async;
