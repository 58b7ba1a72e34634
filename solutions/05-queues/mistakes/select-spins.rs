//! Exercise 5, solved: fan-in from two channels with `select!`.

use crossbeam_channel::{Receiver, select};

/// One item out of [`merge`], tagged with the input it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merged<A, B> {
    A(A),
    B(B),
}

// ANCHOR: merge
/// Hands every item of `a` and of `b` to `sink`, in the order they become
/// ready, until both inputs are disconnected and empty. Returns how many
/// times the loop woke up (one `select!` per wake-up).
pub fn merge<A, B, F>(a: Receiver<A>, b: Receiver<B>, mut sink: F) -> usize
where
    F: FnMut(Merged<A, B>),
{
    let (mut a_open, mut b_open) = (true, true);
    let mut wakeups = 0;
    while a_open || b_open {
        wakeups += 1;
        select! {
            recv(a) -> msg => match msg {
                Ok(item) => sink(Merged::A(item)),
                Err(_) => a_open = false,
            },
            recv(b) -> msg => match msg {
                Ok(item) => sink(Merged::B(item)),
                Err(_) => b_open = false,
            },
        }
    }
    wakeups
}
// ANCHOR_END: merge
