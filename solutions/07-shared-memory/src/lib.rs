//! Chapter 7, Shared memory: the reference solution.
//!
//! Same library name and public API as the exercise crate, so the exercise's
//! tests run against it unchanged. Each `mistake-<name>` feature swaps one
//! module for a realistic wrong answer from `mistakes/`, which the tests
//! must catch (see `exercises/07-shared-memory/chapter.toml`).
//!
//! Only plain data may be copied into a segment; the `Pod` bound says so,
//! and this is what the compiler answers when you try to store a `Vec`
//! (checked as a `compile_fail` doctest, and shown in the book):
//!
#![doc = concat!("```compile_fail,E0277\n", include_str!("../../../exercises/07-shared-memory/does-not-compile/vec_in_a_segment.rs"), "\n```")]

#[path = "../../../exercises/07-shared-memory/src/given.rs"]
pub mod given;

#[cfg_attr(
    feature = "mistake-private-mapping",
    path = "../mistakes/private-mapping.rs"
)]
#[cfg_attr(
    feature = "mistake-non-atomic-increment",
    path = "../mistakes/non-atomic-increment.rs"
)]
pub mod ex1_counter;

#[cfg_attr(
    feature = "mistake-missing-ftruncate",
    path = "../mistakes/missing-ftruncate.rs"
)]
#[cfg_attr(
    feature = "mistake-never-unlinks",
    path = "../mistakes/never-unlinks.rs"
)]
#[cfg_attr(
    feature = "mistake-unlinks-in-every-process",
    path = "../mistakes/unlinks-in-every-process.rs"
)]
pub mod ex2_segment;

#[cfg_attr(
    feature = "mistake-drops-the-remainder",
    path = "../mistakes/drops-the-remainder.rs"
)]
#[cfg_attr(
    feature = "mistake-unpadded-slots",
    path = "../mistakes/unpadded-slots.rs"
)]
pub mod ex3_parallel_sum;

#[cfg_attr(feature = "mistake-std-mutex", path = "../mistakes/std-mutex.rs")]
pub mod ex4_robust_mutex;

#[cfg_attr(
    feature = "mistake-overwrites-when-full",
    path = "../mistakes/overwrites-when-full.rs"
)]
#[cfg_attr(
    feature = "mistake-yields-instead-of-sleeping",
    path = "../mistakes/yields-instead-of-sleeping.rs"
)]
#[cfg_attr(
    feature = "mistake-push-never-wakes",
    path = "../mistakes/push-never-wakes.rs"
)]
#[cfg_attr(
    feature = "mistake-pop-never-wakes",
    path = "../mistakes/pop-never-wakes.rs"
)]
#[cfg_attr(
    feature = "mistake-ignores-a-dead-writer",
    path = "../mistakes/ignores-a-dead-writer.rs"
)]
#[cfg_attr(
    feature = "mistake-timeout-means-gone",
    path = "../mistakes/timeout-means-gone.rs"
)]
#[cfg_attr(
    feature = "mistake-relaxed-orderings",
    path = "../mistakes/relaxed-orderings.rs"
)]
#[cfg_attr(
    feature = "mistake-no-fence-before-the-flag",
    path = "../mistakes/no-fence-before-the-flag.rs"
)]
pub mod ex5_ring;

#[cfg_attr(
    feature = "mistake-add-as-get-then-set",
    path = "../mistakes/add-as-get-then-set.rs"
)]
#[cfg_attr(
    feature = "mistake-one-connection-at-a-time",
    path = "../mistakes/one-connection-at-a-time.rs"
)]
#[cfg_attr(
    feature = "mistake-trusts-the-length",
    path = "../mistakes/trusts-the-length.rs"
)]
#[cfg_attr(
    feature = "mistake-panics-on-garbage",
    path = "../mistakes/panics-on-garbage.rs"
)]
#[cfg_attr(
    feature = "mistake-shutdown-does-not-reap",
    path = "../mistakes/shutdown-does-not-reap.rs"
)]
pub mod ex6_manager;
