//! Channels between threads in std: disconnection ends the loop, and
//! `sync_channel(0)` is a rendezvous.
//!
//! Run with `cargo run -p queues-exercise --example rendezvous`.

use std::sync::mpsc;
use std::thread;

fn main() {
    // ANCHOR: disconnect
    let (tx, rx) = mpsc::channel();
    for id in 0..3 {
        let tx = tx.clone(); // one Sender per producer
        thread::spawn(move || {
            for i in 0..3 {
                tx.send((id, i)).unwrap();
            }
        }); // this producer's Sender is dropped here
    }
    drop(tx); // and ours: now only the producers hold one
    let all: Vec<(i32, i32)> = rx.iter().collect(); // ends by itself
    println!("{} items from 3 producers, no sentinel", all.len());
    // ANCHOR_END: disconnect

    // ANCHOR: rendezvous
    let (tx, rx) = mpsc::sync_channel::<&str>(0);
    let handoff = thread::spawn(move || {
        // Returns only once the main thread has taken the item.
        tx.send("hand to hand").unwrap();
        println!("send returned: the item was taken");
    });
    println!("received: {}", rx.recv().unwrap());
    handoff.join().unwrap();
    // ANCHOR_END: rendezvous
}
