//! Exercise 6, solved: a bounded channel by hand, from one Mutex and two
//! Condvars, that disconnects when the last Sender or the Receiver goes.

use std::collections::VecDeque;

use crate::given::sync::{Arc, Condvar, Mutex};

/// `send` failed because the receiver is gone; the item comes back.
#[derive(Debug, PartialEq, Eq)]
pub struct SendError<T>(pub T);

/// `recv` failed because the channel is empty and every sender is gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecvError;

// ANCHOR: shared
struct State<T> {
    items: VecDeque<T>,
    senders: usize,
    receiver_alive: bool,
}

struct Shared<T> {
    state: Mutex<State<T>>,
    /// Receivers wait here for an item (or for the last sender to go).
    not_empty: Condvar,
    /// Senders wait here for room (or for the receiver to go).
    not_full: Condvar,
    capacity: usize,
}
// ANCHOR_END: shared

pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
}

/// A channel that holds at most `capacity` items. Panics if `capacity`
/// is 0.
pub fn channel<T>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    assert!(capacity > 0, "a bounded channel needs room for one item");
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            items: VecDeque::with_capacity(capacity),
            senders: 1,
            receiver_alive: true,
        }),
        not_empty: Condvar::new(),
        not_full: Condvar::new(),
        capacity,
    });
    (
        Sender {
            shared: Arc::clone(&shared),
        },
        Receiver { shared },
    )
}

// ANCHOR: send
impl<T> Sender<T> {
    /// Adds `item`, waiting while the channel is full. Fails (giving the
    /// item back) if the receiver is gone, even while waiting.
    pub fn send(&self, item: T) -> Result<(), SendError<T>> {
        let mut s = self.shared.state.lock().unwrap();
        loop {
            if !s.receiver_alive {
                return Err(SendError(item));
            }
            if s.items.len() < self.shared.capacity {
                break;
            }
            s = self.shared.not_full.wait(s).unwrap();
        }
        s.items.push_back(item);
        drop(s);
        self.shared.not_empty.notify_one();
        Ok(())
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        self.shared.state.lock().unwrap().senders += 1;
        Sender {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let mut s = self.shared.state.lock().unwrap();
        s.senders -= 1;
        let last = s.senders == 0;
        drop(s);
        if last {
            // A receiver may be asleep waiting for an item that will now
            // never come: wake it so that it sees the disconnection.
            self.shared.not_empty.notify_all();
        }
    }
}
// ANCHOR_END: send

// ANCHOR: recv
impl<T> Receiver<T> {
    /// Takes the oldest item, waiting while the channel is empty. Fails
    /// once the channel is empty and every sender is gone.
    pub fn recv(&self) -> Result<T, RecvError> {
        let mut s = self.shared.state.lock().unwrap();
        loop {
            if let Some(item) = s.items.pop_front() {
                drop(s);
                self.shared.not_full.notify_one();
                return Ok(item);
            }
            if s.senders == 0 {
                return Err(RecvError);
            }
            s = self.shared.not_empty.wait(s).unwrap();
        }
    }

    /// How many items are waiting in the channel right now.
    pub fn len(&self) -> usize {
        self.shared.state.lock().unwrap().items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        self.shared.state.lock().unwrap().receiver_alive = false;
        // Every blocked sender must fail now, not wait for room forever.
        self.shared.not_full.notify_all();
    }
}
// ANCHOR_END: recv

/// `for item in &receiver`: every item until the channel disconnects.
impl<'a, T> IntoIterator for &'a Receiver<T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        Iter { rx: self }
    }
}

pub struct Iter<'a, T> {
    rx: &'a Receiver<T>,
}

impl<T> Iterator for Iter<'_, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        self.rx.recv().ok()
    }
}
