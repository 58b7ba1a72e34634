//! The Processes chapter's tests, written once: they run against your crate
//! (`cargo test -p processes-exercise`) and against the reference solution
//! (`cargo test -p processes-solution`). One module per exercise; every test
//! runs in a process of its own, under a time limit, and fails if it leaves
//! a child process behind (see `support::isolated_tests!`).

mod ex1_spawn;
mod ex2_fork;
mod ex3_join_all;
mod ex4_run_trait;
mod ex5_daemon;
