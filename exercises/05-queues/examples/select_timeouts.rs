//! crossbeam-channel: a multi-consumer channel, `select!`, timeouts and
//! tickers.
//!
//! Run with `cargo run -p queues-exercise --example select_timeouts`.

use std::thread;
use std::time::Duration;

use crossbeam_channel::{after, bounded, select, tick, unbounded};

fn main() {
    // ANCHOR: mpmc
    // Both ends clone: two consumers share one queue of jobs.
    let (jobs, inbox) = bounded::<u32>(16);
    let consumers: Vec<_> = (0..2)
        .map(|_| {
            let inbox = inbox.clone();
            thread::spawn(move || inbox.iter().map(|n| n * n).sum::<u32>())
        })
        .collect();
    for n in 1..=10 {
        jobs.send(n).unwrap();
    }
    drop(jobs); // both consumers' loops end
    let total: u32 = consumers.into_iter().map(|c| c.join().unwrap()).sum();
    println!("sum of squares 1..=10: {total}");
    // ANCHOR_END: mpmc

    // ANCHOR: select
    let (results, from_worker) = unbounded();
    thread::spawn(move || {
        thread::sleep(Duration::from_millis(30));
        results.send("done").unwrap();
    });
    let ticker = tick(Duration::from_millis(10));
    let deadline = after(Duration::from_secs(2));
    loop {
        select! {
            recv(from_worker) -> msg => {
                println!("worker says {:?}", msg);
                break;
            }
            recv(ticker) -> _ => println!("still waiting..."),
            recv(deadline) -> _ => {
                println!("gave up");
                break;
            }
        }
    }
    // ANCHOR_END: select
}
