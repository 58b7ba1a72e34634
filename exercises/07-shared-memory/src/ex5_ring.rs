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
//!
//! A side that cannot go on (the ring is empty, or full) must wait without
//! burning a core: spin a little, then sleep in the kernel on the other
//! side's index with a futex (given: [`futex_wait`], [`futex_wake`]). The
//! fast path makes no system call: a side wakes the other only when the
//! other has said, with its `..._sleeping` flag, that it may be asleep.

use std::fmt;
use std::time::Duration;

use crate::given::sync::{AtomicU64, Ordering, fence};
use crate::given::{Region, RingControl, Waited, futex_wait, futex_wake, process_is_gone};

/// How many times a side that cannot go on looks again, spinning, before
/// it goes to sleep in the kernel (once under `model`: loom would explore
/// every turn of the spin).
pub const SPINS: u32 = if cfg!(feature = "model") { 1 } else { 100 };

/// How long a sleeping side sleeps before it checks that the process at
/// the other end still exists (nobody wakes you when a process dies).
pub const PEER_CHECK: Duration = Duration::from_secs(1);

/// What went wrong with a ring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RingError {
    /// The region is too small for the control block and the slots.
    TooSmall { needed: usize, have: usize },
    /// The region does not start with an initialised ring.
    NotARing,
    /// The indices cannot happen in a working ring.
    Corrupt { head: u64, tail: u64, capacity: u64 },
    /// The process at the other end has ended, so the message (or the
    /// room) this side waits for will never come.
    PeerGone { pid: u32 },
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
            RingError::PeerGone { pid } => {
                write!(f, "the process at the other end (pid {pid}) has ended")
            }
        }
    }
}

impl std::error::Error for RingError {}

// ANCHOR: ring
/// A view of a ring that lives in a [`Region`]: a [`RingControl`] and then
/// `capacity` slots. One process pushes, one process pops. A view belongs
/// to the process that made it (it knows that process's pid): a forked
/// child attaches a view of its own.
pub struct Ring<'r> {
    ctl: &'r RingControl,
    slots: &'r [AtomicU64],
    capacity: u64,
    /// This process's id, recorded as the producer's or consumer's.
    me: u32,
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

    /// A ring whose control block and slots are ordinary memory of this
    /// process: a ring between threads (the model-checked tests use one).
    pub fn between_threads(ctl: &'r RingControl, slots: &'r [AtomicU64]) -> Ring<'r> {
        Ring {
            ctl,
            slots,
            capacity: slots.len() as u64,
            me: std::process::id(),
        }
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
            me: std::process::id(),
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
    /// ring is full (nothing was overwritten). Records this process as the
    /// producer (`producer_pid`), and wakes the consumer if it sleeps.
    pub fn try_push(&self, value: u64) -> Result<bool, RingError> {
        todo!("room? write the slot, publish the new tail, wake a sleeper")
    }
    // ANCHOR_END: push

    // ANCHOR: pop
    /// Consumer: takes the oldest value, if any. Records this process as
    /// the consumer (`consumer_pid`), and wakes the producer if it sleeps.
    pub fn try_pop(&self) -> Result<Option<u64>, RingError> {
        todo!("anything? read the slot, publish the new head, wake a sleeper")
    }
    // ANCHOR_END: pop

    // ANCHOR: blocking_push
    /// Producer: pushes, waiting while the ring is full. Spin [`SPINS`]
    /// times first; then sleep in the kernel ([`futex_wait`] on `head`,
    /// with `producer_sleeping` set so that `try_pop` knows to wake you).
    /// If a sleep times out ([`PEER_CHECK`]) and the consumer's process is
    /// gone ([`process_is_gone`]), look once more, then give up with
    /// [`RingError::PeerGone`]: nobody will ever make room.
    pub fn push(&self, value: u64) -> Result<(), RingError> {
        todo!("spin, then sleep on head until there is room")
    }
    // ANCHOR_END: blocking_push

    // ANCHOR: blocking_pop
    /// Consumer: pops, waiting while the ring is empty; the mirror of
    /// [`Ring::push`] (sleep on `tail`, flag `consumer_sleeping`). The
    /// messages in the ring when the producer's process ended are still
    /// delivered; after them, [`RingError::PeerGone`] instead of a hang.
    pub fn pop(&self) -> Result<u64, RingError> {
        todo!("spin, then sleep on tail until there is a message")
    }
    // ANCHOR_END: blocking_pop
}
