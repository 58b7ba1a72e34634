//! Given: the program every rank runs in the tests. You need not change it.
//!
//! `mpirun -np 3 target/debug/ranks primes 10000` starts three copies of
//! it; each calls your function for the exercise named by the first
//! argument and prints what happened, one line per fact, starting with
//! `WB <rank>`. The tests read those lines. (They start their own test
//! binary as the ranks, which runs [`run`] from this file: a binary of its
//! own would be shared by every build of the tests.) You can run it
//! yourself (as root, add `--allow-run-as-root`; with more ranks than
//! cores, `--oversubscribe`):
//!
//! ```text
//! mpirun -np 3 target/debug/ranks primes 10000
//! mpirun -np 3 target/debug/ranks ring 1048576 3
//! mpirun -np 3 target/debug/ranks scatter 999
//! mpirun -np 3 target/debug/ranks farm 10
//! ```

use std::process::ExitCode;

use mpi::traits::*;
use ranks::{ex1_primes, ex2_ring, ex3_scatter, ex4_farm, given};

fn main() -> ExitCode {
    let code = run(std::env::args().skip(1).collect());
    ExitCode::from(code)
}

/// One rank's whole run, with `args` (`primes 10000`); returns the exit
/// status. A panic ends the process at once with status 101.
pub fn run(args: Vec<String>) -> u8 {
    // ANCHOR: start
    let Some(universe) = mpi::initialize() else {
        eprintln!("MPI could not be started (was it started twice?)");
        return 1;
    };
    let world = universe.world();
    let rank = world.rank();
    // ANCHOR_END: start
    // A panic on one rank must end the whole job at once: the other ranks
    // may be waiting for this one, and would wait forever. Exiting without
    // MPI's finalize (the universe is not dropped) makes mpirun stop every
    // rank. A panic that the exercise's code catches itself (exercise 4
    // catches a task's panic) is not one of those: the hook only notes it.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map_or("?".to_string(), |l| format!("{}:{}", l.file(), l.line()));
        let msg = given::panic_message(info.payload());
        *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = format!("{at}: {msg}");
    }));
    let body = std::panic::AssertUnwindSafe(|| exercise(&world, &args));
    match std::panic::catch_unwind(body) {
        Ok(code) => code,
        Err(_) => {
            let last = LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()).clone();
            println!("WB {rank} panicked at {}", last.replace('\n', " "));
            std::process::exit(101);
        }
    }
}

/// Where the last panic on this rank happened, and its message.
static LAST_PANIC: std::sync::Mutex<String> = std::sync::Mutex::new(String::new());

/// Runs the exercise named by `args[0]`; returns the exit status.
fn exercise<C: Communicator>(world: &C, args: &[String]) -> u8 {
    let rank = world.rank();
    let arg = |i: usize| -> u64 {
        args.get(i)
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("argument {i} should be a number: {args:?}"))
    };
    match args.first().map(String::as_str) {
        // ANCHOR: primes
        Some("primes") => {
            let total = ex1_primes::count_primes(world, arg(1));
            println!("WB {rank} result {total:?}");
            println!("WB {rank} counted {:?}", given::counted());
        }
        // ANCHOR_END: primes
        Some("ring") => ring(world, arg(1) as usize, arg(2)),
        Some("scatter") => {
            let data: Vec<u64> = (1..=arg(1)).collect();
            let mine = (rank == 0).then_some(&data[..]);
            let total = ex3_scatter::scatter_sum(world, mine);
            println!("WB {rank} result {total:?}");
            println!("WB {rank} summed {:?}", given::summed());
        }
        Some("farm") => {
            let special = args.get(2).map(String::as_str).unwrap_or("");
            let at = if special.is_empty() || special == "hold" {
                u64::MAX
            } else {
                arg(3)
            };
            farm(world, arg(1), special, at)
        }
        _ => {
            eprintln!(
                "usage: ranks primes N | ring BYTES ROUNDS | scatter N \
                 | farm N [hold | fail K | panic K | die K]"
            );
            return 2;
        }
    }
    0
}

/// Passes blocks round the ring `rounds` times, saying where each came from.
fn ring<C: Communicator>(world: &C, bytes: usize, rounds: u64) {
    let (rank, size) = (world.rank(), world.size());
    let mut block = given::block_of(rank, bytes);
    for round in 1..=rounds {
        println!("WB {rank} entered {round}");
        block = ex2_ring::pass_right(world, &block);
        let from = given::owner_of(&block, size).unwrap_or(-1);
        println!("WB {rank} got {round} {from} {}", block.len());
    }
}

/// The task farm on tasks 0, 1, ..., n - 1, with work(t) = t * t + 1.
///
/// With `hold`, worker 1's first task cannot finish until worker 2 has
/// finished three tasks (a message on a communicator of their own says so):
/// only a master that serves whichever worker is free gets through.
/// With `fail K`, task K returns an error; with `panic K`, it panics; with
/// `die K`, the worker that runs it exits at once, without MPI's finalize.
fn farm<C: Communicator>(world: &C, n: u64, special: &str, at: u64) {
    let rank = world.rank();
    let side = world.duplicate();
    let tasks: Vec<u64> = (0..n).collect();
    let mut done: Vec<u64> = Vec::new();
    let mut waited = false;
    let mut sent = false;
    let holding = special == "hold" && world.size() >= 3;
    let results = ex4_farm::farm(world, &tasks, |t| {
        done.push(t);
        if holding && rank == 1 && !waited {
            println!("WB {rank} holds task {t} until worker 2 has done 3 tasks");
            let _: (u64, _) = side.process_at_rank(2).receive();
            waited = true;
        }
        if holding && rank == 2 && done.len() == 3 && !sent {
            side.process_at_rank(1).send(&1u64);
            sent = true;
        }
        if t == at {
            match special {
                "fail" => {
                    println!("WB {rank} fails task {t}");
                    return Err(format!("task {t} refused: it is the one that fails"));
                }
                "panic" => {
                    println!("WB {rank} panics in task {t}");
                    panic!("task {t} panics on purpose");
                }
                "die" => {
                    println!("WB {rank} dies in task {t}");
                    let _ = std::io::Write::flush(&mut std::io::stdout());
                    std::process::exit(3);
                }
                _ => {}
            }
        }
        println!("WB {rank} finished task {t}");
        Ok(t * t + 1)
    });
    // Whatever happened, the side messages are matched before the end.
    if holding && rank == 2 && !sent {
        side.process_at_rank(1).send(&1u64);
    }
    if holding && rank == 1 && !waited {
        let _: (u64, _) = side.process_at_rank(2).receive();
    }
    match &results {
        Some(outcomes) => {
            println!("WB {rank} result Some");
            for (i, outcome) in outcomes.iter().enumerate() {
                match outcome {
                    Ok(v) => println!("WB {rank} task {i} ok {v}"),
                    Err(why) => println!("WB {rank} task {i} failed {}", why.replace('\n', " ")),
                }
            }
        }
        None => println!("WB {rank} result None"),
    }
    println!("WB {rank} did {done:?}");
}
