//! Chapter 1, Processes: the reference solution.
//!
//! Same library name and public API as the exercise crate, so the exercise's
//! tests run against it unchanged. Each `mistake-<name>` feature swaps one
//! module for a realistic wrong answer from `mistakes/`, which the tests
//! must catch (see `exercises/01-processes/chapter.toml`).

#[path = "../../../exercises/01-processes/src/given.rs"]
pub mod given;

#[cfg_attr(
    feature = "mistake-exitcode-ignores-signals",
    path = "../mistakes/exitcode-ignores-signals.rs"
)]
#[cfg_attr(
    feature = "mistake-is-alive-checks-the-pid-exists",
    path = "../mistakes/is-alive-checks-the-pid-exists.rs"
)]
pub mod ex1_spawn;

#[cfg_attr(
    feature = "mistake-parent-keeps-the-writer",
    path = "../mistakes/parent-keeps-the-writer.rs"
)]
#[cfg_attr(
    feature = "mistake-error-skips-the-wait",
    path = "../mistakes/error-skips-the-wait.rs"
)]
#[cfg_attr(
    feature = "mistake-child-returns-into-caller",
    path = "../mistakes/child-returns-into-caller.rs"
)]
pub mod ex2_fork;

#[cfg_attr(
    feature = "mistake-forgets-to-reap",
    path = "../mistakes/forgets-to-reap.rs"
)]
#[cfg_attr(
    feature = "mistake-joins-each-before-starting-the-next",
    path = "../mistakes/joins-each-before-starting-the-next.rs"
)]
#[cfg_attr(
    feature = "mistake-stops-joining-at-the-first-error",
    path = "../mistakes/stops-joining-at-the-first-error.rs"
)]
pub mod ex3_join_all;

#[cfg_attr(
    feature = "mistake-join-knows-only-exit-codes",
    path = "../mistakes/join-knows-only-exit-codes.rs"
)]
pub mod ex4_run_trait;

#[cfg_attr(
    feature = "mistake-daemon-without-deathsig",
    path = "../mistakes/daemon-without-deathsig.rs"
)]
pub mod ex5_daemon;
