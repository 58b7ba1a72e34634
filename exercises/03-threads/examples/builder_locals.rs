//! Thread options and per-thread state: Builder (name, stack size),
//! thread_local!, available_parallelism. Run with
//! `cargo run -p threads-exercise --example builder_locals`.

use std::cell::Cell;
use std::thread;

// ANCHOR: local
thread_local! {
    // Every thread gets its own counter, starting at 0. No lock needed:
    // no other thread can see it.
    static CALLS: Cell<u32> = const { Cell::new(0) };
}

fn handle_request() {
    CALLS.with(|c| c.set(c.get() + 1));
}
// ANCHOR_END: local

fn main() -> std::io::Result<()> {
    // ANCHOR: builder
    // How many threads can truly run at once here (Python: os.cpu_count()).
    let cpus = thread::available_parallelism().map_or(1, |n| n.get());
    println!("available parallelism: {cpus}");

    let mut handles = Vec::new();
    for k in 0..2 {
        let handle = thread::Builder::new()
            .name(format!("worker-{k}")) // shown in panics and debuggers
            .stack_size(256 * 1024) // the default is 2 MiB
            .spawn(move || {
                for _ in 0..=k {
                    handle_request();
                }
                let calls = CALLS.with(Cell::get);
                format!(
                    "{} handled {calls}",
                    thread::current().name().unwrap_or("?")
                )
            })?; // spawning can fail (no memory, too many threads)
        handles.push(handle);
    }
    for h in handles {
        println!("{}", h.join().expect("worker panicked"));
    }
    // The main thread's own counter never moved.
    println!("main handled {}", CALLS.with(Cell::get));
    // ANCHOR_END: builder
    Ok(())
}
