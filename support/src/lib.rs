//! Test support shared by every chapter of the workbook.
//!
//! Chapter tests are written once (in `exercises/<chapter>/tests/`) and run
//! against both the student's crate and the reference solution. They use
//! three things from here:
//!
//! * [`isolated_tests!`] declares tests that each run in their own process,
//!   under a time limit, with every leftover child process reported, killed
//!   and reaped (see [`sandbox`]);
//! * [`step`] names what a test is waiting for, so a timeout says what
//!   probably went wrong;
//! * [`require!`] fails with a message in three parts: what was expected,
//!   what happened, and where to look.
//!
//! [`procs`] reads `/proc` for evidence that cannot be faked (pids, parent
//! pids, zombie states), and [`waiter`] for evidence that a thread is
//! blocked before a test wakes it. [`shm`] keeps `/dev/shm` clean: segments
//! are named with [`SHM_PREFIX`] (use [`shm_name`]), and a test that leaves
//! one behind fails. [`model`] turns what loom finds in a model-checked
//! test into a teaching failure.

pub mod model;
mod namespace;
pub mod procs;
pub mod sandbox;
pub mod shm;
pub mod waiter;

pub use sandbox::{limit, step};
pub use shm::{SHM_PREFIX, shm_name};

/// Declares tests that each run in a process of their own, under a time
/// limit (5 s, or `$WORKBOOK_TIMEOUT`; `within N s` sets one test's own).
///
/// ```
/// support::isolated_tests! {
///     /// Two plus two is four.
///     fn arithmetic_still_works() {
///         assert_eq!(2 + 2, 4);
///     }
///
///     fn a_slow_one() within 20 s {
///         assert!(true);
///     }
/// }
/// ```
#[macro_export]
macro_rules! isolated_tests {
    ($( $(#[$meta:meta])* fn $name:ident() $(within $secs:literal s)? $body:block )*) => {
        $(
            $(#[$meta])*
            #[test]
            fn $name() {
                #[allow(unused_mut, unused_assignments)]
                let mut within: ::core::option::Option<::std::time::Duration> = None;
                $( within = Some(::std::time::Duration::from_secs_f64($secs as f64)); )?
                $crate::sandbox::run_test(
                    &$crate::sandbox::test_path(module_path!(), stringify!($name)),
                    within,
                    move || $body,
                );
            }
        )*
    };
}

/// Fails the test unless `cond` holds, with a message that teaches:
///
/// ```should_panic
/// let children = 2;
/// support::require!(children == 3,
///     expected: "three children to have run",
///     got: format!("{children}"),
///     look_at: "the loop in start_all: does it start one child per job?");
/// ```
#[macro_export]
macro_rules! require {
    ($cond:expr, expected: $e:expr, got: $g:expr, look_at: $h:expr $(,)?) => {
        if !$cond {
            $crate::fail($e, $g, $h)
        }
    };
}

/// Fails the test with an expected / got / look-at message.
#[track_caller]
pub fn fail(
    expected: impl std::fmt::Display,
    got: impl std::fmt::Display,
    look_at: impl std::fmt::Display,
) -> ! {
    panic!("Expected: {expected}\n     Got: {got}\n Look at: {look_at}")
}
