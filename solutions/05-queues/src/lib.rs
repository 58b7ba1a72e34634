//! Chapter 5, Queues: the reference solution.
//!
//! Each `mistake-*` feature swaps one module for a realistic wrong answer
//! from `mistakes/`, which the tests must catch (see chapter.toml).

#[path = "../../../exercises/05-queues/src/given.rs"]
pub mod given;

#[cfg_attr(
    feature = "mistake-waits-before-reading",
    path = "../mistakes/waits-before-reading.rs"
)]
pub mod ex1_drain;
#[cfg_attr(
    feature = "mistake-unbounded-channel",
    path = "../mistakes/unbounded-channel.rs"
)]
pub mod ex2_backpressure;
#[cfg_attr(
    feature = "mistake-leaked-sender",
    path = "../mistakes/leaked-sender.rs"
)]
#[cfg_attr(
    feature = "mistake-try-recv-as-end",
    path = "../mistakes/try-recv-as-end.rs"
)]
pub mod ex3_disconnect;
#[cfg_attr(
    feature = "mistake-surplus-task-done-ignored",
    path = "../mistakes/surplus-task-done-ignored.rs"
)]
#[cfg_attr(
    feature = "mistake-task-done-notify-one",
    path = "../mistakes/task-done-notify-one.rs"
)]
pub mod ex4_joinable;
#[cfg_attr(feature = "mistake-select-spins", path = "../mistakes/select-spins.rs")]
#[cfg_attr(
    feature = "mistake-stops-at-first-disconnect",
    path = "../mistakes/stops-at-first-disconnect.rs"
)]
pub mod ex5_select;
#[cfg_attr(
    feature = "mistake-drop-forgets-to-wake",
    path = "../mistakes/drop-forgets-to-wake.rs"
)]
#[cfg_attr(
    feature = "mistake-send-if-not-while",
    path = "../mistakes/send-if-not-while.rs"
)]
pub mod ex6_channel;
#[cfg_attr(feature = "mistake-round-robin", path = "../mistakes/round-robin.rs")]
#[cfg_attr(
    feature = "mistake-shared-pipe-no-lock",
    path = "../mistakes/shared-pipe-no-lock.rs"
)]
pub mod ex7_process_queue;
#[cfg_attr(
    feature = "mistake-line-in-pieces",
    path = "../mistakes/line-in-pieces.rs"
)]
#[cfg_attr(
    feature = "mistake-stops-at-first-goodbye",
    path = "../mistakes/stops-at-first-goodbye.rs"
)]
#[cfg_attr(
    feature = "mistake-ignores-end-of-pipe",
    path = "../mistakes/ignores-end-of-pipe.rs"
)]
#[cfg_attr(
    feature = "mistake-last-batch-lost",
    path = "../mistakes/last-batch-lost.rs"
)]
pub mod ex8_logging;
#[cfg_attr(
    feature = "mistake-gone-before-value",
    path = "../mistakes/gone-before-value.rs"
)]
#[cfg_attr(
    feature = "mistake-sender-drop-no-wake",
    path = "../mistakes/sender-drop-no-wake.rs"
)]
pub mod ex9_oneshot;
