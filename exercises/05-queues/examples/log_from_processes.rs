//! Logging from several processes into one collector, through the `log`
//! facade: each record becomes one line, written to a shared pipe with a
//! single `write` of at most PIPE_BUF bytes, so lines never interleave.
//! The parent is the only one that prints.
//!
//! Run with `cargo run -p queues-exercise --example log_from_processes`.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::os::fd::OwnedFd;

use log::{Level, Log, Metadata, Record, info};
use nix::unistd::write;
use queues::given::{fork_child, make_pipe, wait_for};

// ANCHOR: logger
/// A `log::Log` whose records travel over a pipe: Python's `QueueHandler`.
struct PipeLogger {
    pipe: OwnedFd,
}

impl Log for PipeLogger {
    fn enabled(&self, m: &Metadata) -> bool {
        m.level() <= Level::Info
    }

    fn log(&self, r: &Record) {
        let pid = std::process::id();
        let text = r.args().to_string().replace('\n', " ");
        let mut line = format!("[{pid}] {} {text}", r.level());
        // One write of at most PIPE_BUF bytes is never split or mixed
        // with another process's write: cut longer lines.
        line.truncate(libc::PIPE_BUF - 1);
        line.push('\n');
        let _ = write(&self.pipe, line.as_bytes());
    }

    fn flush(&self) {}
}
// ANCHOR_END: logger

fn main() {
    // ANCHOR: collector
    let (read_end, write_end) = make_pipe().unwrap();
    // Installed before the fork: every worker inherits the logger.
    log::set_boxed_logger(Box::new(PipeLogger { pipe: write_end })).unwrap();
    log::set_max_level(log::LevelFilter::Info);
    // A panic becomes a log record too, sent like any other line.
    std::panic::set_hook(Box::new(|p| log::error!("panic: {p}")));
    let workers: Vec<_> = (0..3)
        .map(|n| {
            fork_child(move || {
                for i in 0..3 {
                    info!("worker {n}, line {i}");
                }
                if n == 2 {
                    panic!("worker 2 fails"); // its lines are already sent
                }
                0
            })
            .unwrap()
        })
        .collect();
    info!("parent: 3 workers started");
    // The parent's logger holds a write end too, so the pipe never ends:
    // here we count lines (9 + the parent's + the panic); a real collector
    // is a thread that stops at a shutdown record, like QueueListener.
    let lines = BufReader::new(File::from(read_end)).lines();
    for line in lines.take(11) {
        println!("{}", line.unwrap());
    }
    let codes: Vec<i32> = workers.iter().map(|&w| wait_for(w).unwrap()).collect();
    println!("exit codes {codes:?}");
    // ANCHOR_END: collector
}
