//! After fork, parent and child each have their own copy of memory.
//! Run: cargo run -p processes-exercise --example memory_isolation

use std::sync::atomic::{AtomicU64, Ordering};

use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, fork};

// ANCHOR: isolation
/// A global, like Python's module-level `n = 100`.
static N: AtomicU64 = AtomicU64::new(100);

fn main() {
    // SAFETY: one thread only; the child changes its global, prints and
    // `_exit`s.
    match unsafe { fork() }.expect("fork") {
        ForkResult::Child => {
            N.store(0, Ordering::SeqCst); // Python: global n; n = 0
            println!("child:  n = {}", N.load(Ordering::SeqCst));
            // SAFETY: ends the child at once.
            unsafe { libc::_exit(0) }
        }
        ForkResult::Parent { child } => {
            waitpid(child, None).expect("waitpid");
            // Even an atomic is not shared: the child wrote to its own copy.
            println!("parent: n = {}", N.load(Ordering::SeqCst));
            assert_eq!(N.load(Ordering::SeqCst), 100);
        }
    }
}
// ANCHOR_END: isolation
