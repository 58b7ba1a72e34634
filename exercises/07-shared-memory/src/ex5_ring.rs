//! Exercise 5: a single-producer single-consumer ring between processes.
//!
//! A `multiprocessing.Queue` pickles each message and sends it through a
//! pipe. Between exactly two processes, a ring in shared memory does the
//! same job without a system call per message: the producer writes slot
//! `tail % capacity` and then advances `tail`; the consumer reads slot
//! `head % capacity` and then advances `head`. `tail - head` is how many
//! messages wait. Each index has one writer, so no lock is needed, only
//! the right memory orderings: a side *publishes* its index (Release)
//! after it is done with the slot, and *reads* the other's (Acquire)
//! before it touches a slot. The layout is [`RingControl`] (given).

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::given::{Region, RingControl};

/// What went wrong with a ring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RingError {
    /// The region is too small for the control block and the slots.
    TooSmall { needed: usize, have: usize },
    /// The region does not start with an initialised ring.
    NotARing,
    /// The indices cannot happen in a working ring.
    Corrupt { head: u64, tail: u64, capacity: u64 },
}

impl fmt::Display for RingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RingError::TooSmall { needed, have } => {
                write!(
                    f,
                    "a ring this size needs {needed} bytes, the region has {have}"
                )
            }
            RingError::NotARing => write!(f, "the region holds no ring"),
            RingError::Corrupt {
                head,
                tail,
                capacity,
            } => write!(
                f,
                "corrupt ring: head {head}, tail {tail}, capacity {capacity}"
            ),
        }
    }
}

impl std::error::Error for RingError {}

// ANCHOR: ring
/// A view of a ring that lives in a [`Region`]: a [`RingControl`] and then
/// `capacity` slots. One process pushes, one process pops.
pub struct Ring<'r> {
    ctl: &'r RingControl,
    slots: &'r [AtomicU64],
    capacity: u64,
}
// ANCHOR_END: ring

/// The bytes a ring of `capacity` slots needs.
pub fn bytes_needed(capacity: usize) -> usize {
    RingControl::LEN + capacity * size_of::<AtomicU64>()
}

impl<'r> Ring<'r> {
    /// Sets up an empty ring of `capacity` slots at the start of `region`.
    pub fn init_in(region: &'r Region, capacity: usize) -> Result<Ring<'r>, RingError> {
        todo!("check the capacity, view the region, set the indices, then the magic")
    }

    /// A view of the ring that `init_in` set up in `region` (in this or
    /// another process). Checks the magic and that the slots fit.
    pub fn attach(region: &'r Region) -> Result<Ring<'r>, RingError> {
        todo!("check the magic and that the capacity fits the region")
    }

    fn control(region: &'r Region) -> Result<&'r RingControl, RingError> {
        if region.len() < RingControl::LEN {
            return Err(RingError::TooSmall {
                needed: RingControl::LEN,
                have: region.len(),
            });
        }
        // SAFETY: page-aligned, at least RingControl::LEN bytes (checked),
        // and RingControl is atomics and padding: any bytes are valid.
        Ok(unsafe { &*region.as_ptr().cast::<RingControl>() })
    }

    fn view(region: &'r Region, capacity: u64) -> Result<Ring<'r>, RingError> {
        let ctl = Ring::control(region)?;
        let needed = usize::try_from(capacity)
            .ok()
            .and_then(|c| c.checked_mul(size_of::<AtomicU64>()))
            .and_then(|b| b.checked_add(RingControl::LEN))
            .unwrap_or(usize::MAX);
        if needed > region.len() {
            return Err(RingError::TooSmall {
                needed,
                have: region.len(),
            });
        }
        // SAFETY: the slots start 8-aligned right after the control block
        // and fit in the region (checked); atomics accept any bytes.
        let slots = unsafe {
            std::slice::from_raw_parts(
                region.as_ptr().add(RingControl::LEN).cast::<AtomicU64>(),
                capacity as usize,
            )
        };
        Ok(Ring {
            ctl,
            slots,
            capacity,
        })
    }

    pub fn capacity(&self) -> usize {
        self.capacity as usize
    }

    /// Checks that `tail - head` is a possible number of messages.
    fn in_ring(&self, head: u64, tail: u64) -> Result<u64, RingError> {
        todo!("how many messages tail - head means, or Corrupt")
    }

    // ANCHOR: push
    /// Producer: puts `value` in if there is room. `Ok(false)` means the
    /// ring is full (nothing was overwritten).
    pub fn try_push(&self, value: u64) -> Result<bool, RingError> {
        todo!("room? write the slot, then publish the new tail")
    }
    // ANCHOR_END: push

    // ANCHOR: pop
    /// Consumer: takes the oldest value, if any.
    pub fn try_pop(&self) -> Result<Option<u64>, RingError> {
        todo!("anything? read the slot, then publish the new head")
    }
    // ANCHOR_END: pop

    /// Producer: pushes, yielding the CPU while the ring is full.
    pub fn push(&self, value: u64) -> Result<(), RingError> {
        todo!("try_push until it succeeds, yielding the CPU")
    }

    /// Consumer: pops, yielding the CPU while the ring is empty.
    pub fn pop(&self) -> Result<u64, RingError> {
        todo!("try_pop until it gives a value, yielding the CPU")
    }
}
