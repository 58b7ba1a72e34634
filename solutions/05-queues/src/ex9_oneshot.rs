//! Exercise 9, solved: a one-shot channel. `send` and `recv` take `self`,
//! so the compiler refuses a second send or a second receive; what is
//! left to check at run time is a partner that went away.

use crate::given::sync::{Arc, Condvar, Mutex};

/// `recv` failed: the `Sender` was dropped without sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Canceled;

// ANCHOR: shared
struct State<T> {
    value: Option<T>,
    sender_gone: bool,
    receiver_gone: bool,
}

struct Shared<T> {
    state: Mutex<State<T>>,
    /// The receiver waits here for the value, or for the sender to go.
    changed: Condvar,
}

/// The sending half: used once, by value.
pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

/// The receiving half: used once, by value.
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
}
// ANCHOR_END: shared

/// A channel for exactly one value.
pub fn oneshot<T>() -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            value: None,
            sender_gone: false,
            receiver_gone: false,
        }),
        changed: Condvar::new(),
    });
    let sender = Sender {
        shared: Arc::clone(&shared),
    };
    (sender, Receiver { shared })
}

// ANCHOR: send
impl<T> Sender<T> {
    /// Sends `value`, or gives it back if the receiver is gone. `send`
    /// takes the sender by value, so there is no second send:
    ///
    /// ```compile_fail
    /// let (tx, rx) = queues::ex9_oneshot::oneshot::<u8>();
    /// tx.send(1).unwrap();
    /// tx.send(2).unwrap(); // error[E0382]: use of moved value: `tx`
    /// # drop(rx);
    /// ```
    pub fn send(self, value: T) -> Result<(), T> {
        let mut s = self.shared.state.lock().unwrap();
        if s.receiver_gone {
            return Err(value);
        }
        s.value = Some(value);
        Ok(())
        // `self` is dropped here, and Drop wakes the receiver.
    }
}

impl<T> Drop for Sender<T> {
    /// Runs whichever way the sender goes (at the end of `send`, or
    /// dropped unused), so this is the one place that wakes the receiver.
    fn drop(&mut self) {
        self.shared.state.lock().unwrap().sender_gone = true;
        self.shared.changed.notify_one();
    }
}
// ANCHOR_END: send

// ANCHOR: recv
impl<T> Receiver<T> {
    /// Waits for the value. `Err(Canceled)` if the sender was dropped
    /// without sending. Takes the receiver by value: one value, one
    /// receive.
    pub fn recv(self) -> Result<T, Canceled> {
        let mut s = self.shared.state.lock().unwrap();
        loop {
            // The value first: a sender that sent is always gone too.
            if let Some(value) = s.value.take() {
                return Ok(value);
            }
            if s.sender_gone {
                return Err(Canceled);
            }
            s = self.shared.changed.wait(s).unwrap();
        }
    }

    /// Would `recv` return at once (a value is there, or the sender is
    /// gone)?
    pub fn is_ready(&self) -> bool {
        let s = self.shared.state.lock().unwrap();
        s.value.is_some() || s.sender_gone
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        self.shared.state.lock().unwrap().receiver_gone = true;
    }
}
// ANCHOR_END: recv
