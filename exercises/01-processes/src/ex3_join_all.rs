//! Exercise 3: start several children, then join them all.
//!
//! ```python
//! procs = [Process(target=f, args=(a,)) for a in args]
//! for p in procs: p.start()
//! for p in procs: p.join()
//! ```

use crate::given::{Report, ReportError};

// ANCHOR: run_all
/// Runs `target(arg)` for every `arg` in `args`, each in its own child,
/// all at the same time; returns the children's reports in the order of
/// `args`.
///
/// Start every child first (keep each one's pid and report reader), then
/// collect every report and `waitpid` every child. A child you do not wait
/// for stays behind as a zombie. If a child ends without a report, the
/// result is an error, and still every child has been waited for.
pub fn run_all(target: fn(u64) -> u64, args: &[u64]) -> Result<Vec<Report>, ReportError> {
    todo!()
}
// ANCHOR_END: run_all
