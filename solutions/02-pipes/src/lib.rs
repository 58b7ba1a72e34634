//! Chapter 2, Pipes: the reference solution.

#[path = "../../../exercises/02-pipes/src/given.rs"]
pub mod given;

#[cfg_attr(
    feature = "mistake-write-end-left-open",
    path = "../mistakes/write-end-left-open.rs"
)]
pub mod ex1_eof;
#[cfg_attr(
    feature = "mistake-reads-stdout-then-stderr",
    path = "../mistakes/reads-stdout-then-stderr.rs"
)]
#[cfg_attr(
    feature = "mistake-stdin-error-is-fatal",
    path = "../mistakes/stdin-error-is-fatal.rs"
)]
#[cfg_attr(
    feature = "mistake-keeps-stdin-open",
    path = "../mistakes/keeps-stdin-open.rs"
)]
pub mod ex2_capture;
#[cfg_attr(
    feature = "mistake-waits-for-each-stage",
    path = "../mistakes/waits-for-each-stage.rs"
)]
#[cfg_attr(
    feature = "mistake-keeps-pipe-ends",
    path = "../mistakes/keeps-pipe-ends.rs"
)]
#[cfg_attr(
    feature = "mistake-spawn-error-leaves-stages-running",
    path = "../mistakes/spawn-error-leaves-stages-running.rs"
)]
#[cfg_attr(
    feature = "mistake-waits-before-reading-the-output",
    path = "../mistakes/waits-before-reading-the-output.rs"
)]
pub mod ex3_pipeline;
#[cfg_attr(
    feature = "mistake-trusts-length-field",
    path = "../mistakes/trusts-length-field.rs"
)]
#[cfg_attr(
    feature = "mistake-ignores-the-max-argument",
    path = "../mistakes/ignores-the-max-argument.rs"
)]
pub mod ex4_framing;
#[cfg_attr(
    feature = "mistake-accepts-any-key",
    path = "../mistakes/accepts-any-key.rs"
)]
#[cfg_attr(
    feature = "mistake-one-way-handshake",
    path = "../mistakes/one-way-handshake.rs"
)]
#[cfg_attr(
    feature = "mistake-handshake-reads-with-max-frame",
    path = "../mistakes/handshake-reads-with-max-frame.rs"
)]
pub mod ex5_connection;
