//! Chapter 4, Synchronization: the reference solution.
//!
//! Each `mistake-*` feature swaps one module for a realistic wrong answer
//! from `mistakes/`, which the tests must catch (see chapter.toml).

#[path = "../../../exercises/04-synchronization/src/given.rs"]
pub mod given;

pub mod ex1_counter;
#[cfg_attr(
    feature = "mistake-lock-held-across-job",
    path = "../mistakes/lock-held-across-job.rs"
)]
#[cfg_attr(
    feature = "mistake-gives-up-when-empty",
    path = "../mistakes/gives-up-when-empty.rs"
)]
pub mod ex2_lock_scope;
#[cfg_attr(feature = "mistake-notify-one", path = "../mistakes/notify-one.rs")]
#[cfg_attr(feature = "mistake-wait-spins", path = "../mistakes/wait-spins.rs")]
pub mod ex3_event;
#[cfg_attr(feature = "mistake-if-not-while", path = "../mistakes/if-not-while.rs")]
#[cfg_attr(
    feature = "mistake-check-then-act",
    path = "../mistakes/check-then-act.rs"
)]
#[cfg_attr(
    feature = "mistake-bounded-release-forgets-notify",
    path = "../mistakes/bounded-release-forgets-notify.rs"
)]
pub mod ex4_semaphore;
#[cfg_attr(
    feature = "mistake-pop-if-not-while",
    path = "../mistakes/pop-if-not-while.rs"
)]
pub mod ex5_bounded_buffer;
pub mod ex6_philosophers;
