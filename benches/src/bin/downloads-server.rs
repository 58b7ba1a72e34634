//! The downloads bench's file server as a program, for the Python side
//! (`benches/python/downloads.py`): `downloads-server FILES SIZE DELAY_MS`
//! prints the server's base URL (`http://127.0.0.1:PORT`) on a line of its
//! own, serves until its standard input is closed, then stops.

use std::io::{self, Read};
use std::time::Duration;

use workloads::downloads::{Server, ServerConfig};

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("FILES SIZE DELAY_MS are whole numbers"))
        .collect();
    let [files, size, delay_ms] = args[..] else {
        eprintln!("usage: downloads-server FILES SIZE DELAY_MS");
        std::process::exit(2);
    };
    let server = Server::start(ServerConfig {
        files,
        size,
        delay: Duration::from_millis(delay_ms as u64),
        ..ServerConfig::default()
    })
    .expect("the server starts on 127.0.0.1");
    println!("http://{}", server.addr());
    // Serve until whoever started us closes our stdin (or exits).
    let _ = io::stdin().read_to_end(&mut Vec::new());
    drop(server);
}
