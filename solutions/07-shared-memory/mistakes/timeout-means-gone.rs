//! Exercise 5: a single-producer single-consumer ring between processes.

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
        if capacity == 0 {
            return Err(RingError::TooSmall {
                needed: bytes_needed(1),
                have: region.len(),
            });
        }
        let ring = Ring::view(region, capacity as u64)?;
        ring.ctl.head.store(0, Ordering::Relaxed);
        ring.ctl.tail.store(0, Ordering::Relaxed);
        ring.ctl.capacity.store(capacity as u64, Ordering::Relaxed);
        // Release: whoever sees the magic also sees the fields above.
        ring.ctl.magic.store(RingControl::MAGIC, Ordering::Release);
        Ok(ring)
    }

    /// A view of the ring that `init_in` set up in `region` (in this or
    /// another process). Checks the magic and that the slots fit.
    pub fn attach(region: &'r Region) -> Result<Ring<'r>, RingError> {
        let ctl = Ring::control(region)?;
        if ctl.magic.load(Ordering::Acquire) != RingControl::MAGIC {
            return Err(RingError::NotARing);
        }
        let capacity = ctl.capacity.load(Ordering::Relaxed);
        if capacity == 0 {
            return Err(RingError::NotARing);
        }
        Ring::view(region, capacity)
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
        match tail.checked_sub(head) {
            Some(n) if n <= self.capacity => Ok(n),
            _ => Err(RingError::Corrupt {
                head,
                tail,
                capacity: self.capacity,
            }),
        }
    }

    // ANCHOR: push
    /// Producer: puts `value` in if there is room. `Ok(false)` means the
    /// ring is full (nothing was overwritten).
    pub fn try_push(&self, value: u64) -> Result<bool, RingError> {
        let tail = self.ctl.tail.load(Ordering::Relaxed); // ours
        // Acquire: the consumer's reads of the slots it freed are done.
        let head = self.ctl.head.load(Ordering::Acquire);
        if self.in_ring(head, tail)? == self.capacity {
            return Ok(false);
        }
        self.slots[(tail % self.capacity) as usize].store(value, Ordering::Relaxed);
        self.ctl.producer_pid.store(self.me, Ordering::Relaxed);
        // Release: the slot's value is visible before the new tail.
        self.ctl.tail.store(tail + 1, Ordering::Release);
        // The new tail before our look at the flag (pairs with the fence
        // in pop): a consumer going to sleep sees the tail, or we see it.
        fence(Ordering::SeqCst);
        if self.ctl.consumer_sleeping.load(Ordering::Relaxed) != 0 {
            futex_wake(&self.ctl.tail);
        }
        Ok(true)
    }
    // ANCHOR_END: push

    // ANCHOR: pop
    /// Consumer: takes the oldest value, if any.
    pub fn try_pop(&self) -> Result<Option<u64>, RingError> {
        let head = self.ctl.head.load(Ordering::Relaxed); // ours
        // Acquire: pairs with the producer's Release store of tail.
        let tail = self.ctl.tail.load(Ordering::Acquire);
        if self.in_ring(head, tail)? == 0 {
            return Ok(None);
        }
        let value = self.slots[(head % self.capacity) as usize].load(Ordering::Relaxed);
        self.ctl.consumer_pid.store(self.me, Ordering::Relaxed);
        // Release: we are done reading the slot before the producer
        // may write it again.
        self.ctl.head.store(head + 1, Ordering::Release);
        fence(Ordering::SeqCst); // as in try_push
        if self.ctl.producer_sleeping.load(Ordering::Relaxed) != 0 {
            futex_wake(&self.ctl.head);
        }
        Ok(Some(value))
    }
    // ANCHOR_END: pop

    // ANCHOR: blocking_push
    /// Producer: pushes, waiting while the ring is full: a short spin,
    /// then asleep on `head` until the consumer makes room. An error if
    /// the consumer's process has ended while the ring is full.
    pub fn push(&self, value: u64) -> Result<(), RingError> {
        for _ in 0..SPINS {
            if self.try_push(value)? {
                return Ok(());
            }
            std::hint::spin_loop();
        }
        let flag = &self.ctl.producer_sleeping;
        let mut consumer_gone = None;
        loop {
            // Say we may sleep, then look again (the fence pairs with
            // try_pop's): a pop after our look will see the flag.
            flag.store(1, Ordering::Relaxed);
            fence(Ordering::SeqCst);
            let pushed = self.try_push(value);
            if pushed != Ok(false) || consumer_gone.is_some() {
                flag.store(0, Ordering::Relaxed);
                let pid = consumer_gone.unwrap_or(0); // used only if gone
                return if pushed? {
                    Ok(())
                } else {
                    Err(RingError::PeerGone { pid })
                };
            }
            // Full: head == tail - capacity. Sleep while it stays so.
            let full_at = self.ctl.tail.load(Ordering::Relaxed) - self.capacity;
            let waited = futex_wait(&self.ctl.head, full_at, PEER_CHECK);
            flag.store(0, Ordering::Relaxed);
            let consumer = self.ctl.consumer_pid.load(Ordering::Relaxed);
            if waited == Waited::TimedOut && process_is_gone(consumer) {
                consumer_gone = Some(consumer); // one last look, then give up
            }
        }
    }
    // ANCHOR_END: blocking_push

    // ANCHOR: blocking_pop
    /// Consumer: pops, waiting while the ring is empty: a short spin,
    /// then asleep on `tail` until the producer puts a message. Messages
    /// already in the ring are still delivered after the producer's
    /// process has ended; after them, an error instead of a hang.
    pub fn pop(&self) -> Result<u64, RingError> {
        for _ in 0..SPINS {
            if let Some(v) = self.try_pop()? {
                return Ok(v);
            }
            std::hint::spin_loop();
        }
        let flag = &self.ctl.consumer_sleeping;
        let mut producer_gone = None;
        loop {
            flag.store(1, Ordering::Relaxed);
            fence(Ordering::SeqCst); // pairs with try_push's fence
            let popped = self.try_pop();
            if popped != Ok(None) || producer_gone.is_some() {
                flag.store(0, Ordering::Relaxed);
                let pid = producer_gone.unwrap_or(0); // used only if gone
                return popped?.ok_or(RingError::PeerGone { pid });
            }
            // Empty: tail == head. Sleep while it stays so.
            let empty_at = self.ctl.head.load(Ordering::Relaxed);
            let waited = futex_wait(&self.ctl.tail, empty_at, PEER_CHECK);
            flag.store(0, Ordering::Relaxed);
            let producer = self.ctl.producer_pid.load(Ordering::Relaxed);
            if waited == Waited::TimedOut {
                producer_gone = Some(producer); // one last look, then give up
            }
        }
    }
    // ANCHOR_END: blocking_pop
}
