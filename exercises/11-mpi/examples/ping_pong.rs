//! Ping-pong: rank 0 sends a message to rank 1, which sends it straight
//! back, many times over, for messages from 8 bytes to 4 MiB. As in the
//! Pipes chapter, the time of one round trip is the price of talking:
//! for small messages it is all latency, for large ones all bandwidth.
//!
//! ```text
//! cargo run --example ping_pong          # starts itself on 2 ranks
//! mpirun -np 2 target/debug/examples/ping_pong
//! ```

use std::process::ExitCode;
use std::time::{Duration, Instant};

use mpi::traits::*;
use ranks::given;

fn main() -> ExitCode {
    if !given::started_by_mpirun() {
        return given::relaunch(2);
    }
    let Some(universe) = mpi::initialize() else {
        eprintln!("MPI could not be started");
        return ExitCode::FAILURE;
    };
    let world = universe.world();
    if world.size() != 2 {
        if world.rank() == 0 {
            eprintln!("ping-pong needs exactly two ranks: mpirun -np 2 ...");
        }
        return ExitCode::FAILURE;
    }
    if world.rank() == 0 {
        println!("{:>9}  {:>14}  {:>12}", "bytes", "round trip", "bandwidth");
    }
    // A first exchange sets the connection up; it is not measured.
    round_trips(&world, 8, 100);
    for bytes in SIZES {
        // Fewer rounds for large messages: about 4 MiB each way in all.
        let rounds = (4 << 20) / bytes.max(4096) + 10;
        let Some((per_trip, got)) = round_trips(&world, bytes, rounds as u32) else {
            continue;
        };
        if got != pattern(bytes) {
            eprintln!("the {bytes}-byte message came back changed");
            return ExitCode::FAILURE;
        }
        // Each round trip moves the message twice.
        let mb_per_s = 2.0 * bytes as f64 / per_trip.as_secs_f64() / 1e6;
        println!("{bytes:>9}  {per_trip:>14.1?}  {mb_per_s:>7.0} MB/s");
    }
    ExitCode::SUCCESS
}

/// The message sizes, in bytes: 8 bytes to 4 MiB.
pub const SIZES: [usize; 8] = [8, 64, 512, 4096, 32768, 262_144, 1 << 20, 1 << 22];

/// A message of `bytes` bytes that shows whether it came back unchanged.
pub fn pattern(bytes: usize) -> Vec<u8> {
    (0..bytes).map(|i| (i % 251) as u8).collect()
}

// ANCHOR: ping_pong
/// Rank 0 sends `bytes` bytes to rank 1, which sends them back, `rounds`
/// times. On rank 0: the time of one round trip, and the message as it
/// came back the last time; on rank 1: `None`.
pub fn round_trips<C: Communicator>(
    world: &C,
    bytes: usize,
    rounds: u32,
) -> Option<(Duration, Vec<u8>)> {
    let mut buf = pattern(bytes);
    let other = world.process_at_rank(1 - world.rank());
    world.barrier(); // both ranks start together
    let start = Instant::now();
    for _ in 0..rounds {
        if world.rank() == 0 {
            other.send(&buf[..]);
            other.receive_into(&mut buf[..]);
        } else {
            other.receive_into(&mut buf[..]);
            other.send(&buf[..]);
        }
    }
    let per_trip = start.elapsed() / rounds.max(1);
    (world.rank() == 0).then_some((per_trip, buf))
}
// ANCHOR_END: ping_pong
