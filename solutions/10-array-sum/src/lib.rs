//! Case study 3, Summing a large array: the reference solution.
//!
//! Same library name and public API as the exercise crate, so the exercise's
//! tests run against it unchanged. Each `mistake-<name>` feature swaps one
//! module for a realistic wrong answer from `mistakes/`, which the tests
//! must catch (see `exercises/10-array-sum/chapter.toml`).

#[path = "../../../exercises/10-array-sum/src/given.rs"]
pub mod given;

#[cfg_attr(
    feature = "mistake-drops-the-remainder",
    path = "../mistakes/drops-the-remainder.rs"
)]
#[cfg_attr(
    feature = "mistake-overlapping-ranges",
    path = "../mistakes/overlapping-ranges.rs"
)]
#[cfg_attr(
    feature = "mistake-starts-past-the-end",
    path = "../mistakes/starts-past-the-end.rs"
)]
pub mod ex1_split;

#[cfg_attr(feature = "mistake-packed-slots", path = "../mistakes/packed-slots.rs")]
#[cfg_attr(
    feature = "mistake-one-slot-for-all",
    path = "../mistakes/one-slot-for-all.rs"
)]
pub mod ex2_slots;

#[cfg_attr(
    feature = "mistake-ignores-how-a-child-ended",
    path = "../mistakes/ignores-how-a-child-ended.rs"
)]
#[cfg_attr(
    feature = "mistake-stops-at-the-first-failure",
    path = "../mistakes/stops-at-the-first-failure.rs"
)]
#[cfg_attr(
    feature = "mistake-waits-inside-the-loop",
    path = "../mistakes/waits-inside-the-loop.rs"
)]
pub mod ex3_processes;
