//! Exercise 2: run a function in a forked child.
//!
//! Python's `Process(target=f, args=(x,))` with the *fork* start method:
//! the child is a copy of the parent that runs `f(x)`. A return value does
//! not travel back by itself; here the child sends it through a pipe
//! (`crate::given::report_pipe`), together with its pid and parent pid.

use crate::given::{Report, ReportError};

// ANCHOR: run_in_child
/// Runs `target(arg)` in a new child process and returns the child's
/// [`Report`]: its pid, its parent's pid and the value `target` returned.
///
/// 1. Make a `report_pipe()` *before* forking, so both processes have it.
/// 2. `fork()` (nix::unistd::fork, `unsafe`: write a `// SAFETY:` comment).
/// 3. In the child: send `Report::from_here(target(arg))` and end with
///    `libc::_exit(0)`. Never return, never `println!`: see the chapter.
/// 4. In the parent: drop the writer, `receive()` the report, and
///    `waitpid` the child.
///
/// A child that ends without sending a report (it crashed, say) gives an
/// error; either way, the child has been waited for when this returns.
///
/// Python:
/// ```python
/// p = Process(target=f, args=(arg,)); p.start(); p.join()
/// ```
pub fn run_in_child(target: fn(u64) -> u64, arg: u64) -> Result<Report, ReportError> {
    todo!()
}
// ANCHOR_END: run_in_child
