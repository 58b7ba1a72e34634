//! Threads in one process: spawn, join, move, scope, Arc, and a panic that
//! is reported instead of lost. Run with
//! `cargo run -p threads-exercise --example spawn_join`.

use std::sync::Arc;
use std::thread;

fn main() {
    // ANCHOR: spawn
    // Start three threads; each returns a value through its JoinHandle.
    let mut handles = Vec::new();
    for i in 0..3u64 {
        // `move`: the closure takes its own copy of `i` with it.
        handles.push(thread::spawn(move || i * i));
    }
    // Only now wait for them, in the order they were started.
    let squares: Vec<u64> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    println!("squares from 3 threads: {squares:?}");
    // ANCHOR_END: spawn

    // ANCHOR: panic
    // A panic ends only its own thread; join hands it to us as an Err.
    let handle = thread::spawn(|| -> u64 { panic!("bad input in worker") });
    match handle.join() {
        Ok(v) => println!("worker returned {v}"),
        Err(payload) => {
            let msg = payload.downcast_ref::<&str>().copied().unwrap_or("?");
            println!("worker panicked: {msg}");
        }
    }
    // ANCHOR_END: panic

    // ANCHOR: scope
    // Scoped threads may borrow local data: the scope joins them all
    // before it returns, so the borrow cannot outlive `data`.
    let data: Vec<u64> = (1..=1000).collect();
    let (left, right) = data.split_at(data.len() / 2);
    let total = thread::scope(|s| {
        let a = s.spawn(|| left.iter().sum::<u64>());
        let b = s.spawn(|| right.iter().sum::<u64>());
        a.join().unwrap() + b.join().unwrap()
    });
    println!("sum of 1..=1000 by two scoped threads: {total}");
    // ANCHOR_END: scope

    // ANCHOR: arc
    // Threads from thread::spawn must own what they use ('static). An Arc
    // gives each one a handle to the same Vec: cloning it copies a pointer.
    let words = Arc::new(vec!["pipe", "fork", "thread", "lock"]);
    let handles: Vec<_> = (0..2)
        .map(|w| {
            let words = Arc::clone(&words);
            thread::spawn(move || {
                words
                    .iter()
                    .skip(w)
                    .step_by(2)
                    .map(|s| s.len())
                    .sum::<usize>()
            })
        })
        .collect();
    let letters: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    println!("{letters} letters, counted by 2 threads sharing one Vec");
    // ANCHOR_END: arc
}
