//! Exercise 4: a lock shared by processes, that survives a dead holder.

use std::io;
use std::ops::{Deref, DerefMut};
use std::sync::{Mutex, MutexGuard};

use crate::given::{Pod, Region};

// ANCHOR: mutex
/// A `T` behind a lock that works across processes: it lives in shared
/// memory (a [`Region`]), and it notices when its holder died.
#[repr(C)]
pub struct RobustMutex<T: Pod> {
    inner: Mutex<T>,
}
// ANCHOR_END: mutex

impl<T: Pod> RobustMutex<T> {
    /// Puts a new, unlocked mutex holding `value` at the start of
    /// `region`, and returns it. Fork after this, and every child uses
    /// the same lock.
    pub fn init_in(region: &Region, value: T) -> io::Result<&RobustMutex<T>> {
        if region.len() < size_of::<Self>() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "a RobustMutex needs {} bytes, the region has {}",
                    size_of::<Self>(),
                    region.len()
                ),
            ));
        }
        let this = region.as_ptr().cast::<Self>();
        // SAFETY: `this` is page-aligned and big enough (checked), and
        // nobody uses the region's start yet.
        unsafe {
            this.write(RobustMutex {
                inner: Mutex::new(value),
            });
            Ok(&*this)
        }
    }

    /// Takes the lock. A poisoned lock (a holder panicked) counts as one
    /// whose owner died.
    pub fn lock(&self) -> io::Result<Guard<'_, T>> {
        Ok(match self.inner.lock() {
            Ok(guard) => Guard {
                guard,
                owner_died: false,
            },
            Err(poisoned) => Guard {
                guard: poisoned.into_inner(),
                owner_died: true,
            },
        })
    }
}

/// The lock, held: derefs to the value; unlocks when dropped.
pub struct Guard<'a, T: Pod> {
    guard: MutexGuard<'a, T>,
    owner_died: bool,
}

impl<T: Pod> Guard<'_, T> {
    /// Whether the previous holder died while holding the lock.
    pub fn owner_died(&self) -> bool {
        self.owner_died
    }

    /// Declares the value repaired.
    pub fn make_consistent(&mut self) -> io::Result<()> {
        self.owner_died = false;
        Ok(())
    }
}

impl<T: Pod> Deref for Guard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.guard
    }
}

impl<T: Pod> DerefMut for Guard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.guard
    }
}
