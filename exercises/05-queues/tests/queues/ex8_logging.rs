// Processes and pipes only: nothing here for the model-checked run.
#![cfg(not(feature = "model"))]

use std::io::{self, Write};
use std::os::fd::OwnedFd;
use std::sync::{Arc, Mutex};

use log::Level;
use nix::fcntl::OFlag;
use nix::unistd::{Pid, pipe2, read, write};
use queues::ex8_logging::{GOODBYE, Listener, PipeLogger, one_line};
use queues::given::{fork_child, make_pipe, wait_for};

const PIPE_BUF: usize = libc::PIPE_BUF;

/// How a producer process ends.
#[derive(Clone, Copy)]
enum End {
    /// It sends its goodbye, then exits.
    Goodbye,
    /// It exits without a goodbye.
    Exit,
    /// It kills itself (SIGKILL) before its goodbye.
    Killed,
}

/// Forks a producer process. It installs a `PipeLogger` on its own copy of
/// `pipe` as the process's logger, waits at `gate` (one byte or
/// end-of-file) if given, logs `lines` records "producer {n} line {i}"
/// with `log::info!`, and ends as `end` says. It keeps `hold` open until
/// it exits.
fn producer(
    pipe: &OwnedFd,
    n: usize,
    lines: usize,
    end: End,
    gate: Option<OwnedFd>,
    hold: Option<OwnedFd>,
) -> Pid {
    let mine = pipe.try_clone().expect("dup of the log pipe");
    fork_child(move || {
        let _hold = hold;
        let logger: &'static PipeLogger = Box::leak(Box::new(PipeLogger::new(mine)));
        if log::set_logger(logger).is_err() {
            return 2;
        }
        log::set_max_level(log::LevelFilter::Info);
        if let Some(g) = &gate {
            let mut b = [0u8; 1];
            while read(g, &mut b) == Err(nix::errno::Errno::EINTR) {}
        }
        for i in 0..lines {
            log::info!("producer {n} line {i}");
        }
        match end {
            End::Goodbye => {
                if logger.goodbye().is_err() {
                    return 1;
                }
            }
            End::Exit => {}
            End::Killed => {
                // SAFETY: kill and getpid have no memory-safety preconditions.
                unsafe { libc::kill(libc::getpid(), libc::SIGKILL) };
            }
        }
        0
    })
    .expect("fork failed")
}

/// `[pid] INFO producer n line i`, or None for anything else.
fn parse(line: &str) -> Option<(i32, usize, usize)> {
    let rest = line.strip_suffix('\n')?.strip_prefix('[')?;
    let (pid, rest) = rest.split_once("] INFO producer ")?;
    let (n, i) = rest.split_once(" line ")?;
    Some((pid.parse().ok()?, n.parse().ok()?, i.parse().ok()?))
}

/// Checks the log: every line one whole record, and for each producer
/// `n` (with its expected count of lines and its pid) its lines 0..count,
/// each once, in the order it logged them.
fn check_log(out: &[u8], want: &[(usize, Pid)], look_at: &str) {
    let text = String::from_utf8_lossy(out);
    let mut seen: Vec<Vec<usize>> = vec![Vec::new(); want.len()];
    for line in text.split_inclusive('\n') {
        let record = parse(line).filter(|&(pid, n, _)| n < want.len() && pid == want[n].1.as_raw());
        let Some((_, n, i)) = record else {
            support::fail(
                "only whole records in the log, one per line, each \
                 `[pid] INFO producer n line i` from producer n's process",
                format!("the line {line:?}"),
                "PipeLogger::log: a line sent in more than one write can have another \
                 process's line land in the middle of it. How many writes does one record take?",
            );
        };
        seen[n].push(i);
    }
    for (n, &(count, _)) in want.iter().enumerate() {
        let first_wrong = seen[n].iter().enumerate().find(|&(k, &i)| k != i);
        support::require!(seen[n].len() == count && first_wrong.is_none(),
            expected: format!("producer {n}'s {count} lines, each once, in the order it logged them"),
            got: format!("{} lines of producer {n}; first out of place: {:?}",
                seen[n].len(), first_wrong.map(|(k, &i)| format!("line {i} at place {k}"))),
            look_at: look_at);
    }
}

/// A `Write` that remembers whether everything written was flushed, and
/// can be told to fail.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<SinkState>>);

#[derive(Default)]
struct SinkState {
    data: Vec<u8>,
    unflushed: bool,
    fail: bool,
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut s = self.0.lock().unwrap();
        if s.fail {
            return Err(io::Error::other("the disk is full (the test's sink)"));
        }
        s.data.extend_from_slice(buf);
        s.unflushed = true;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.lock().unwrap().unflushed = false;
        Ok(())
    }
}

support::isolated_tests! {
    fn a_record_becomes_one_line_of_at_most_pipe_buf_bytes() {
        let two = one_line("[1] INFO two\nlines");
        support::require!(two == b"[1] INFO two lines\n",
            expected: "\"[1] INFO two lines\\n\": a newline inside a record would make it two lines",
            got: format!("{:?}", String::from_utf8_lossy(&two)),
            look_at: "one_line: newlines inside become spaces, one newline at the end");
        let fits = one_line(&"x".repeat(PIPE_BUF - 1));
        let long = one_line(&"x".repeat(10_000));
        support::require!(fits.len() == PIPE_BUF && long == fits,
            expected: format!("a text of {} bytes kept whole, and one of 10,000 bytes cut to the \
                               same {PIPE_BUF}-byte line (newline included)", PIPE_BUF - 1),
            got: format!("lines of {} and {} bytes", fits.len(), long.len()),
            look_at: "one_line: a write of more than PIPE_BUF bytes is not atomic; cut the text \
                      to PIPE_BUF - 1 bytes, then add the newline");
        let wide = one_line(&"é".repeat(3000)); // 2 bytes each
        let whole = std::str::from_utf8(&wide).is_ok();
        support::require!(whole && wide.len() == PIPE_BUF - 1 && wide.ends_with(b"\n"),
            expected: format!("valid UTF-8 of {} bytes: 2047 two-byte characters and the \
                               newline (a cut inside a character is not text)", PIPE_BUF - 1),
            got: format!("{} bytes, valid UTF-8: {whole}", wide.len()),
            look_at: "one_line: str::is_char_boundary, going back from the limit");
    }

    /// Each write to a pipe in packet mode (O_DIRECT) is read back as one
    /// packet, so the test can count the logger's writes.
    fn each_record_goes_out_in_one_write() {
        let (r, w) = pipe2(OFlag::O_DIRECT).expect("a packet-mode pipe");
        let logger = PipeLogger::new(w);
        use log::Log;
        let trace = log::Metadata::builder().level(Level::Trace).build();
        support::require!(logger.enabled(&trace),
            expected: "the logger to take records of every level (filtering is \
                       log::set_max_level's job)",
            got: "enabled() false for a TRACE record", look_at: "PipeLogger's enabled");
        logger.log(&log::Record::builder()
            .args(format_args!("first\nrecord")).level(Level::Warn).build());
        let long = "y".repeat(10_000);
        logger.log(&log::Record::builder()
            .args(format_args!("{long}")).level(Level::Info).build());
        logger.goodbye().expect("goodbye on an open pipe");
        drop(logger);
        let mut packets = Vec::new();
        let mut buf = vec![0u8; 4 * PIPE_BUF];
        loop {
            let k = read(&r, &mut buf).expect("read from the test's pipe");
            if k == 0 {
                break;
            }
            packets.push(buf[..k].to_vec());
        }
        let pid = std::process::id();
        let first = format!("[{pid}] WARN first record\n").into_bytes();
        let ok = packets.len() == 3
            && packets[0] == first
            && packets[1].len() == PIPE_BUF
            && packets[1].starts_with(format!("[{pid}] INFO yyy").as_bytes())
            && packets[2] == GOODBYE;
        let shown: Vec<String> = packets.iter()
            .map(|p| format!("{} bytes: {:?}", p.len(), String::from_utf8_lossy(&p[..p.len().min(30)])))
            .collect();
        support::require!(ok,
            expected: format!("3 writes: {:?}, a line of {PIPE_BUF} bytes, and the goodbye {:?}",
                String::from_utf8_lossy(&first), String::from_utf8_lossy(GOODBYE)),
            got: format!("{} writes: {shown:?}", packets.len()),
            look_at: "PipeLogger::log and goodbye: one record, one line, one write. Between two \
                      writes of one line, another process's line can land in the middle");
    }

    /// Three producer processes log 200 records each; the parent keeps its
    /// own write end open (as a parent that logs too would).
    fn records_from_three_processes_arrive_once_whole_and_in_order() within 10 s {
        let (r, w) = make_pipe().unwrap();
        let pids: Vec<Pid> = (0..3).map(|n| producer(&w, n, 200, End::Goodbye, None, None)).collect();
        let listener = Listener::start(r, 3, Vec::new());
        support::step("waiting for the listener after 3 producers said goodbye",
            "the listener does not stop: the parent still holds a write end, so the pipe never \
             ends. What tells the listener that every producer is done?");
        let out = listener.wait().expect("the listener's result");
        for &pid in &pids {
            support::require!(wait_for(pid).unwrap() == 0,
                expected: "each producer to log and say goodbye, exit code 0",
                got: "a producer that failed (1: goodbye failed, 101: a panic)",
                look_at: "PipeLogger::log and goodbye");
        }
        check_log(&out, &[(200, pids[0]), (200, pids[1]), (200, pids[2])],
            "Listener: write every line that is not a goodbye, until 3 goodbyes");
        drop(w);
    }

    /// Producer 0 logs 3 lines, says goodbye and exits; only then does
    /// producer 1 begin. The parent keeps the pipe open.
    fn one_goodbye_is_one_producer_done_not_all() within 10 s {
        let (r, w) = make_pipe().unwrap();
        let (gate_r, gate_w) = make_pipe().unwrap();
        // Producer 0 holds the gate's only write end: it opens when 0 exits.
        let p0 = producer(&w, 0, 3, End::Goodbye, None, Some(gate_w));
        let p1 = producer(&w, 1, 3, End::Goodbye, Some(gate_r), None);
        let listener = Listener::start(r, 2, Vec::new());
        support::step("waiting for the listener of 2 producers, which say goodbye one after the other",
            "the listener does not stop after the second goodbye");
        let out = listener.wait().expect("the listener's result");
        let _ = (wait_for(p0), wait_for(p1));
        check_log(&out, &[(3, p0), (3, p1)],
            "Listener: the listener stopped at the first goodbye? One producer done is not every \
             producer done: how many goodbyes must it count?");
        drop(w);
    }

    /// Producer 1 is killed after 5 records, before its goodbye. The
    /// parent closed its write end.
    fn a_killed_producer_does_not_stop_the_others() within 10 s {
        let (r, w) = make_pipe().unwrap();
        let p0 = producer(&w, 0, 50, End::Goodbye, None, None);
        let p1 = producer(&w, 1, 5, End::Killed, None, None);
        let p2 = producer(&w, 2, 50, End::Goodbye, None, None);
        drop(w); // only the producers hold write ends now
        let listener = Listener::start(r, 3, Vec::new());
        support::step("waiting for the listener of 3 producers, one killed before its goodbye",
            "the listener waits for a goodbye that a killed producer never sends. When every \
             producer's end of the pipe is closed, what does a read return?");
        let out = listener.wait().expect("the listener's result");
        let killed = wait_for(p1).unwrap();
        let _ = (wait_for(p0), wait_for(p2));
        support::require!(killed == 128 + libc::SIGKILL,
            expected: "producer 1 killed by SIGKILL", got: killed, look_at: "the test's setup");
        check_log(&out, &[(50, p0), (5, p1), (50, p2)],
            "Listener: a producer that dies loses only what it never sent");
    }

    fn everything_is_written_and_flushed_before_wait_returns() within 10 s {
        let (r, w) = make_pipe().unwrap();
        let p = producer(&w, 0, 3, End::Goodbye, None, None);
        let sink = Sink::default();
        let listener = Listener::start(r, 1, sink.clone());
        support::step("waiting for the listener of 1 producer", "the listener does not stop after its goodbye");
        let _out = listener.wait().expect("the listener's result");
        let _ = wait_for(p);
        let s = sink.0.lock().unwrap();
        let lines = s.data.iter().filter(|&&b| b == b'\n').count();
        support::require!(lines == 3 && !s.unflushed,
            expected: "all 3 lines written to `out`, and `out` flushed after the last one",
            got: format!("{lines} lines, flushed after the last write: {}", !s.unflushed),
            look_at: "the end of the listener: lines still queued in the listener when it stops \
                      are lost. Is everything written, and out flushed, before wait() returns?");
        check_log(&s.data, &[(3, p)], "Listener");
        drop(w);
    }

    fn a_failed_write_to_the_log_is_an_error_from_wait() within 10 s {
        let (r, w) = make_pipe().unwrap();
        let p = producer(&w, 0, 1, End::Goodbye, None, None);
        drop(w);
        let sink = Sink::default();
        sink.0.lock().unwrap().fail = true;
        let listener = Listener::start(r, 1, sink);
        support::step("waiting for a listener whose `out` fails", "the listener does not stop");
        let got = listener.wait();
        let _ = wait_for(p);
        support::require!(got.is_err(),
            expected: "Err from wait(): the log could not be written", got: "Ok",
            look_at: "Listener: pass write errors on (`?`), do not swallow them");
    }

    /// A process writes part of a line straight into the pipe and exits,
    /// after producer 0's two records.
    fn a_piece_of_a_line_is_not_a_record() within 10 s {
        let (r, w) = make_pipe().unwrap();
        let (gate_r, gate_w) = make_pipe().unwrap();
        let p0 = producer(&w, 0, 2, End::Exit, None, Some(gate_w));
        let raw_end = w.try_clone().unwrap();
        let raw = fork_child(move || {
            let mut b = [0u8; 1];
            while read(&gate_r, &mut b) == Err(nix::errno::Errno::EINTR) {}
            i32::from(write(&raw_end, b"[7] INFO half a li").is_err())
        })
        .unwrap();
        drop(w);
        let listener = Listener::start(r, 2, Vec::new());
        support::step("waiting for the listener until the pipe ends (nobody says goodbye)",
            "the listener does not stop when every write end is closed");
        let out = listener.wait().expect("the listener's result");
        let _ = (wait_for(p0), wait_for(raw));
        check_log(&out, &[(2, p0)],
            "Listener: a last piece without a newline is not a record: do not write it");
    }
}
