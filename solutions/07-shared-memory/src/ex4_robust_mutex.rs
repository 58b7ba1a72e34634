//! Exercise 4: a lock shared by processes, that survives a dead holder.

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
        let mut attr = MaybeUninit::<libc::pthread_mutexattr_t>::uninit();
        // SAFETY: `this` is page-aligned and big enough (checked), and
        // nobody uses the region's start yet; attr is initialised by
        // pthread_mutexattr_init before it is used, destroyed after.
        unsafe {
            check(libc::pthread_mutexattr_init(attr.as_mut_ptr()))?;
            let attr = attr.as_mut_ptr();
            let made = check(libc::pthread_mutexattr_setpshared(
                attr,
                libc::PTHREAD_PROCESS_SHARED,
            ))
            .and_then(|()| {
                check(libc::pthread_mutexattr_setrobust(
                    attr,
                    libc::PTHREAD_MUTEX_ROBUST,
                ))
            })
            .and_then(|()| {
                check(libc::pthread_mutex_init(
                    UnsafeCell::raw_get(&raw const (*this).raw),
                    attr,
                ))
            });
            libc::pthread_mutexattr_destroy(attr);
            made?;
            UnsafeCell::raw_get(&raw const (*this).value).write(value);
            Ok(&*this)
        }
    }
    // ANCHOR_END: init_in

    // ANCHOR: lock
    /// Takes the lock. If the last holder died holding it, the guard
    /// says so ([`Guard::owner_died`]): the value may be half-updated,
    /// and the lock is unusable for good unless [`Guard::make_consistent`]
    /// is called before the guard is dropped.
    pub fn lock(&self) -> io::Result<Guard<'_, T>> {
        // SAFETY: raw was initialised by init_in and is never moved.
        let code = unsafe { libc::pthread_mutex_lock(self.raw.get()) };
        match code {
            0 => Ok(Guard {
                mutex: self,
                owner_died: false,
            }),
            libc::EOWNERDEAD => Ok(Guard {
                mutex: self,
                owner_died: true,
            }),
            e => Err(io::Error::from_raw_os_error(e)),
        }
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
        // SAFETY: we hold the lock, which is what the call requires.
        check(unsafe { libc::pthread_mutex_consistent(self.mutex.raw.get()) })?;
        self.owner_died = false;
        Ok(())
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
        // SAFETY: this guard holds the lock.
        unsafe { libc::pthread_mutex_unlock(self.mutex.raw.get()) };
    }
}
