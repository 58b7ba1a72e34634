//! `Pipe(duplex=True)` is a socket pair; `Pipe(duplex=False)` is a pipe.
//! Python: `python/pipe_duplex.py`.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;

use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, fork};

fn main() -> std::io::Result<()> {
    duplex()?;
    one_way()
}

// ANCHOR: duplex
fn duplex() -> std::io::Result<()> {
    // Duplex: one socket per end; each end both sends and receives.
    let (mut parent_end, mut child_end) = UnixStream::pair()?;
    // SAFETY: the program is single-threaded here, so the child may run
    // ordinary code; it leaves with `_exit` and never returns into main.
    match unsafe { fork() }? {
        ForkResult::Child => {
            drop(parent_end);
            let mut line = String::new();
            let _ = BufReader::new(&child_end).read_line(&mut line);
            let _ = child_end.write_all(line.to_uppercase().as_bytes());
            // SAFETY: ends the child at once.
            unsafe { libc::_exit(0) }
        }
        ForkResult::Parent { child } => {
            drop(child_end);
            parent_end.write_all(b"ping over a socket pair\n")?;
            let mut reply = String::new();
            BufReader::new(&parent_end).read_line(&mut reply)?;
            waitpid(child, None)?;
            print!("duplex reply: {reply}");
        }
    }
    Ok(())
}
// ANCHOR_END: duplex

// ANCHOR: one_way
fn one_way() -> std::io::Result<()> {
    // One-way: a pipe has a read end and a write end, nothing more.
    let (mut reader, mut writer) = std::io::pipe()?;
    let sender = std::thread::spawn(move || writer.write_all(b"one way only\n"));
    let mut text = String::new();
    sender.join().unwrap()?; // the writer is dropped when the thread ends
    reader.read_to_string(&mut text)?;
    print!("one-way: {text}");
    Ok(())
}
// ANCHOR_END: one_way
