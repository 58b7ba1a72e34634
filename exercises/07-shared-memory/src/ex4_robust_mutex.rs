//! Exercise 4: a lock shared by processes, that survives a dead holder.
//!
//! Python's `Value` comes with a lock that every worker shares. In Rust,
//! `std::sync::Mutex` cannot be that lock: put one in shared memory and
//! its waiters sleep on a futex that only their own process can wake. The
//! C library has a lock made for this, `pthread_mutex_t`, reached through
//! the `libc` crate. Two attributes make it right here: it must be shared
//! between processes, and it must be *robust*: when its holder dies
//! (killed, crashed) the next `pthread_mutex_lock` returns `EOWNERDEAD`
//! and the lock, instead of waiting for ever.

use std::cell::UnsafeCell;
use std::io;
use std::mem::MaybeUninit;
use std::ops::{Deref, DerefMut};

use crate::given::{Pod, Region};

// ANCHOR: mutex
/// A `T` behind a lock that works across processes: it lives in shared
/// memory (a [`Region`]), and it notices when its holder died.
#[repr(C)]
pub struct RobustMutex<T: Pod> {
    raw: UnsafeCell<libc::pthread_mutex_t>,
    value: UnsafeCell<T>,
}

// SAFETY: the value is reached only through a Guard, and a Guard exists
// only while the pthread mutex is held.
unsafe impl<T: Pod> Sync for RobustMutex<T> {}
// ANCHOR_END: mutex

/// Turns a pthread return code into a Result.
fn check(code: libc::c_int) -> io::Result<()> {
    match code {
        0 => Ok(()),
        e => Err(io::Error::from_raw_os_error(e)),
    }
}

impl<T: Pod> RobustMutex<T> {
    // ANCHOR: init_in
    /// Puts a new, unlocked mutex holding `value` at the start of
    /// `region`, and returns it. Fork after this, and every child uses
    /// the same lock.
    pub fn init_in(region: &Region, value: T) -> io::Result<&RobustMutex<T>> {
        todo!(
            "check the size, then pthread_mutex_init with a process-shared, robust attribute; write the value"
        )
    }
    // ANCHOR_END: init_in

    // ANCHOR: lock
    /// Takes the lock. If the last holder died holding it, the guard
    /// says so ([`Guard::owner_died`]): the value may be half-updated,
    /// and the lock is unusable for good unless [`Guard::make_consistent`]
    /// is called before the guard is dropped.
    pub fn lock(&self) -> io::Result<Guard<'_, T>> {
        todo!("pthread_mutex_lock, and tell the caller if the owner died")
    }
    // ANCHOR_END: lock
}

/// The lock, held: derefs to the value; unlocks when dropped.
pub struct Guard<'a, T: Pod> {
    mutex: &'a RobustMutex<T>,
    owner_died: bool,
}

impl<T: Pod> Guard<'_, T> {
    /// Whether the previous holder died while holding the lock.
    pub fn owner_died(&self) -> bool {
        self.owner_died
    }

    // ANCHOR: consistent
    /// Declares the value repaired, so that the lock keeps working
    /// after this guard is dropped.
    pub fn make_consistent(&mut self) -> io::Result<()> {
        todo!("pthread_mutex_consistent")
    }
    // ANCHOR_END: consistent
}

impl<T: Pod> Deref for Guard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: we hold the lock, so nobody else touches the value.
        unsafe { &*self.mutex.value.get() }
    }
}

impl<T: Pod> DerefMut for Guard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in deref, and &mut self makes this the only borrow.
        unsafe { &mut *self.mutex.value.get() }
    }
}

impl<T: Pod> Drop for Guard<'_, T> {
    fn drop(&mut self) {
        todo!("unlock")
    }
}
