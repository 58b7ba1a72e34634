//! A child writes 42 into two mappings made before fork: a private one
//! and a shared one. The parent sees the write in one of them only.
//!
//! cargo run -p shared-memory-exercise --example private_vs_shared

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};

use nix::sys::mman::{MapFlags, ProtFlags, mmap_anonymous, munmap};
use shared_memory::given::fork_child;

// ANCHOR: map
fn map(flags: MapFlags) -> nix::Result<&'static AtomicU64> {
    let len = NonZeroUsize::new(4096).unwrap();
    let prot = ProtFlags::PROT_READ | ProtFlags::PROT_WRITE;
    // SAFETY: a new anonymous mapping aliases nothing.
    let ptr = unsafe { mmap_anonymous(None, len, prot, flags) }?;
    // SAFETY: page-aligned, zeroed, never unmapped while the reference
    // lives (main unmaps at the very end).
    Ok(unsafe { &*ptr.as_ptr().cast::<AtomicU64>() })
}
// ANCHOR_END: map

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // ANCHOR: fork
    let private = map(MapFlags::MAP_PRIVATE)?;
    let shared = map(MapFlags::MAP_SHARED)?;
    fork_child(|| {
        private.store(42, Ordering::Relaxed);
        shared.store(42, Ordering::Relaxed);
    })?
    .wait()?;
    println!(
        "MAP_PRIVATE: the parent reads {}",
        private.load(Ordering::Relaxed)
    );
    println!(
        "MAP_SHARED:  the parent reads {}",
        shared.load(Ordering::Relaxed)
    );
    // ANCHOR_END: fork
    assert_eq!(private.load(Ordering::Relaxed), 0);
    assert_eq!(shared.load(Ordering::Relaxed), 42);
    for m in [private, shared] {
        let ptr = std::ptr::NonNull::from(m).cast();
        // SAFETY: each was one 4096-byte mapping; nothing uses it after.
        unsafe { munmap(ptr, 4096) }?;
    }
    Ok(())
}
