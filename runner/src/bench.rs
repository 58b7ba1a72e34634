//! `cargo workbook bench <chapter>`: run a chapter's benchmarks and its Python
//! counterpart, and write `benches/results/<chapter>.{json,md}`.

use std::path::Path;
use std::process::ExitCode;

/// Entry point of the `bench` subcommand; `args` are the words after `bench`.
pub fn run(root: &Path, args: &[String]) -> ExitCode {
    let _ = (root, args);
    eprintln!("bench: not written yet");
    ExitCode::FAILURE
}
