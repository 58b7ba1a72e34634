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
pub mod ex2_capture;
#[cfg_attr(
    feature = "mistake-waits-for-each-stage",
    path = "../mistakes/waits-for-each-stage.rs"
)]
#[cfg_attr(
    feature = "mistake-keeps-pipe-ends",
    path = "../mistakes/keeps-pipe-ends.rs"
)]
pub mod ex3_pipeline;
#[cfg_attr(
    feature = "mistake-trusts-length-field",
    path = "../mistakes/trusts-length-field.rs"
)]
pub mod ex4_framing;
#[cfg_attr(
    feature = "mistake-accepts-any-key",
    path = "../mistakes/accepts-any-key.rs"
)]
pub mod ex5_connection;
