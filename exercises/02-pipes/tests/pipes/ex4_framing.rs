use std::io::{Cursor, Read};
use std::panic::{self, AssertUnwindSafe, PanicHookInfo, catch_unwind};
use std::sync::{Arc, Mutex};

use pipes::ex4_framing::{FrameError, MAX_FRAME, Message, decode, encode, read_frame, write_frame};

use crate::largest_allocation_during;

fn samples() -> Vec<Message> {
    vec![
        Message::Ping(0xDEAD_BEEF_0102_0304),
        Message::Text("héllo, 世界".into()),
        Message::Text(String::new()),
        Message::Numbers(vec![-1, 0, 1, i64::MAX, i64::MIN]),
        Message::Numbers(vec![]),
        Message::Bye,
    ]
}

fn framed(payload: &[u8]) -> Vec<u8> {
    let mut v = (payload.len() as u32).to_be_bytes().to_vec();
    v.extend_from_slice(payload);
    v
}

/// A reader that counts how many bytes were taken from it.
struct Counted<R> {
    inner: R,
    taken: usize,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.taken += k;
        Ok(k)
    }
}

/// A reader that is interrupted (as a signal interrupts a read) before
/// each byte it gives, then fails for real once its bytes are used up.
struct Interrupted {
    bytes: Vec<u8>,
    at: usize,
    interrupt_next: bool,
}

impl Read for Interrupted {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.interrupt_next = !self.interrupt_next;
        if self.interrupt_next {
            return Err(std::io::ErrorKind::Interrupted.into());
        }
        if self.at == self.bytes.len() {
            return Err(std::io::Error::other("the device is gone"));
        }
        if buf.is_empty() {
            return Ok(0);
        }
        buf[0] = self.bytes[self.at];
        self.at += 1;
        Ok(1)
    }
}

/// Bytes as hex, as a failure message shows them: `[02 00 00 00 09 61]`.
fn hex(bytes: &[u8]) -> String {
    let shown: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("[{}] ({} bytes)", shown.join(" "), bytes.len())
}

type Hook = Box<dyn Fn(&PanicHookInfo<'_>) + Sync + Send + 'static>;

/// Runs `f` once per case with the panic hook silenced, so a panic in the
/// code under test can be caught and reported with the input that caused
/// it. An unfinished `todo!()` still goes to the usual hook.
fn quietly<T>(f: impl FnOnce(&Mutex<Option<String>>) -> T) -> T {
    let seen = Arc::new(Mutex::new(None::<String>));
    let previous: Arc<Hook> = Arc::new(panic::take_hook());
    let (hook_seen, hook_prev) = (Arc::clone(&seen), Arc::clone(&previous));
    panic::set_hook(Box::new(move |info| {
        let text = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        if text.starts_with("not yet implemented") {
            return hook_prev(info);
        }
        let at = info
            .location()
            .map(|l| format!(" (at {}:{})", l.file(), l.line()))
            .unwrap_or_default();
        *hook_seen.lock().unwrap_or_else(|e| e.into_inner()) = Some(format!("{text}{at}"));
    }));
    let out = f(&seen);
    drop(panic::take_hook());
    panic::set_hook(Box::new(move |info| previous(info)));
    out
}

/// A small deterministic random generator (xorshift64*), so a failure can
/// be reproduced.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

support::isolated_tests! {
    /// Every sample message survives write_frame, read_frame and decode.
    fn messages_survive_the_round_trip() {
        let mut wire = Vec::new();
        for m in samples() {
            write_frame(&mut wire, &encode(&m)).expect("write_frame into a Vec should not fail");
        }
        let mut r = Cursor::new(wire);
        for m in samples() {
            let payload = read_frame(&mut r, MAX_FRAME);
            let back = payload.as_ref().ok().and_then(|p| p.as_ref()).map(|p| decode(p));
            support::require!(matches!(&back, Some(Ok(got)) if *got == m),
                expected: format!("{m:?} back"),
                got: format!("{back:?} (frame: {payload:?})"),
                look_at: "write_frame, read_frame and decode in src/ex4_framing.rs: which of the three \
                          changes the bytes? (The frame format is at the top of src/given.rs.)");
        }
        let end = read_frame(&mut r, MAX_FRAME);
        support::require!(matches!(end, Ok(None)),
            expected: "Ok(None) at the clean end of the stream",
            got: format!("{end:?}"),
            look_at: "read_frame in src/ex4_framing.rs: what does it answer when the stream ends \
                      before a new frame starts (0 bytes of the length)?");
    }

    /// A stream that ends inside the length or the payload is an error.
    fn a_truncated_frame_is_an_error() {
        let whole = framed(&encode(&Message::Text("truncated".into())));
        for cut in 1..whole.len() {
            let got = read_frame(&mut Cursor::new(&whole[..cut]), MAX_FRAME);
            support::require!(matches!(got, Err(FrameError::Truncated { .. })),
                expected: format!("Err(Truncated) when the stream stops after {cut} of {} bytes", whole.len()),
                got: format!("{got:?}"),
                look_at: "read_frame in src/ex4_framing.rs: how does it tell a stream that ends \
                          between frames from one that ends inside the length or the payload?");
        }
    }

    /// A length field above the limit is refused before the payload is
    /// read, and without allocating what it asks for.
    fn an_oversized_length_is_refused_without_allocating_it() {
        let mut wire = (64u32 << 20).to_be_bytes().to_vec(); // claims 64 MiB
        wire.extend_from_slice(&[0u8; 100]);
        let mut r = Counted { inner: Cursor::new(wire), taken: 0 };
        let (got, largest) = largest_allocation_during(|| read_frame(&mut r, MAX_FRAME));
        support::require!(matches!(got, Err(FrameError::TooLarge { .. })),
            expected: "Err(TooLarge) for a length field of 64 MiB with a 1 MiB limit",
            got: format!("{got:?}"),
            look_at: "read_frame in src/ex4_framing.rs: what happens between reading the length \
                      field and using it? The length is the other side's claim; the limit is yours.");
        support::require!(largest < MAX_FRAME,
            expected: "no allocation anywhere near the 64 MiB the length field asked for",
            got: format!("an allocation of {largest} bytes"),
            look_at: "read_frame in src/ex4_framing.rs: what was allocated from the length field, \
                      and was anything checked first?");
        support::require!(r.taken == 4,
            expected: "only the 4 bytes of the length to be read",
            got: format!("{} bytes read", r.taken),
            look_at: "read_frame in src/ex4_framing.rs: why read (or skip) a payload that will be \
                      refused anyway?");
        let big = vec![0u8; MAX_FRAME + 1];
        let mut sink = Vec::new();
        let sent = write_frame(&mut sink, &big);
        support::require!(matches!(sent, Err(FrameError::TooLarge { .. })) && sink.is_empty(),
            expected: "write_frame to refuse a payload above MAX_FRAME and write nothing",
            got: format!("{sent:?}, {} bytes written", sink.len()),
            look_at: "write_frame in src/ex4_framing.rs: what does it do with a payload the other \
                      side would refuse?");
    }

    /// Payloads that are not messages give the right error.
    fn garbled_payloads_are_errors() {
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("an empty payload", vec![], "Truncated"),
            ("an unknown tag", vec![99, 1, 2], "Garbled"),
            ("a Ping with 3 of its 8 bytes", vec![1, 0, 0, 0], "Truncated"),
            ("Text that is not UTF-8", vec![2, 0, 0, 0, 2, 0xC3, 0x28], "Garbled"),
            ("Text longer than the payload", vec![2, 0, 0, 0, 9, b'a'], "Truncated"),
            ("Bye with bytes left over", vec![4, 0], "Garbled"),
            ("Numbers claiming 4 billion entries", vec![3, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 1], "Truncated"),
        ];
        for (what, payload, want) in cases {
            let ((got, why), largest) = largest_allocation_during(|| {
                quietly(|seen| {
                    let got = catch_unwind(AssertUnwindSafe(|| decode(&payload)));
                    let why = seen.lock().unwrap_or_else(|e| e.into_inner()).take();
                    (got, why)
                })
            });
            let Ok(got) = got else {
                support::fail(format!("an Err({want}) for {what} {}", hex(&payload)),
                    format!("a panic: {}", why.unwrap_or_default()),
                    "decode in src/ex4_framing.rs: which slice or index goes past the end of the \
                     payload for this input?");
            };
            let name = match &got {
                Err(FrameError::Truncated { .. }) => "Truncated",
                Err(FrameError::Garbled(_)) => "Garbled",
                _ => "something else",
            };
            support::require!(name == want,
                expected: format!("Err({want}) for {what}"),
                got: format!("{got:?}"),
                look_at: "decode in src/ex4_framing.rs: which error does FrameError's documentation \
                          (src/given.rs) give for this input?");
            support::require!(largest < 4096,
                expected: format!("no big allocation while decoding {what}"),
                got: format!("an allocation of {largest} bytes"),
                look_at: "decode in src/ex4_framing.rs: what did it allocate from a count field \
                          before checking that the numbers are really there?");
        }
    }

    /// Two limits: `max` is the caller's (a handshake reads with 256, a
    /// message with MAX_FRAME). A frame just over the caller's limit is
    /// refused although it is far under MAX_FRAME; a frame of exactly the
    /// limit is allowed, on both sides.
    fn the_limit_is_the_callers_and_a_frame_of_exactly_the_limit_passes() {
        let over = framed(&[7u8; 65]);
        let got = read_frame(&mut Cursor::new(&over), 64);
        support::require!(matches!(got, Err(FrameError::TooLarge { len: 65, max: 64 })),
            expected: "Err(TooLarge { len: 65, max: 64 }) for a 65-byte frame read with max = 64 \
                       (far below MAX_FRAME)",
            got: format!("{got:?}"),
            look_at: "read_frame in src/ex4_framing.rs: which limit is the length compared with: \
                      the `max` it was given, or another one?");
        let exact = framed(&[7u8; 64]);
        let got = read_frame(&mut Cursor::new(&exact), 64);
        support::require!(matches!(&got, Ok(Some(p)) if p.len() == 64),
            expected: "a frame of exactly 64 bytes to pass with max = 64",
            got: format!("{:?}", got.as_ref().map(|p| p.as_ref().map(Vec::len))),
            look_at: "read_frame in src/ex4_framing.rs: does the comparison with the limit let a \
                      length equal to it through?");
        let mut sink = Vec::new();
        let sent = write_frame(&mut sink, &vec![0u8; MAX_FRAME]);
        support::require!(sent.is_ok() && sink.len() == 4 + MAX_FRAME,
            expected: "write_frame to send a payload of exactly MAX_FRAME bytes (4 + MAX_FRAME on the wire)",
            got: format!("{sent:?}, {} bytes written", sink.len()),
            look_at: "write_frame in src/ex4_framing.rs: does the comparison with MAX_FRAME let a \
                      length equal to it through?");
    }

    /// Thousands of random, truncated and bit-flipped inputs: always an
    /// answer, never a panic; a truncated message is always an error. A
    /// failure shows the input that caused it, as bytes.
    fn random_garbage_never_panics() {
        let mut rng = Rng(0x5EED_2024_0002_0001);
        let valid: Vec<Vec<u8>> = samples().iter().map(encode).collect();
        let failure = quietly(|seen| {
            for case in 0..20_000 {
                let base = &valid[rng.below(valid.len())];
                let mut input = match case % 3 {
                    0 => base[..rng.below(base.len())].to_vec(),
                    1 => {
                        let mut v = base.clone();
                        let i = rng.below(v.len());
                        v[i] ^= 1 << rng.below(8);
                        v
                    }
                    _ => (0..rng.below(40)).map(|_| rng.next() as u8).collect(),
                };
                if case % 7 == 0 {
                    input = framed(&input);
                    input.truncate(rng.below(input.len() + 1));
                    let r = catch_unwind(AssertUnwindSafe(|| read_frame(&mut Cursor::new(&input), 64)));
                    if r.is_err() {
                        let why = seen.lock().unwrap_or_else(|e| e.into_inner()).take().unwrap_or_default();
                        return Some((case, "read_frame(.., 64)", input, format!("a panic: {why}")));
                    }
                    continue;
                }
                match catch_unwind(AssertUnwindSafe(|| decode(&input))) {
                    Err(_) => {
                        let why = seen.lock().unwrap_or_else(|e| e.into_inner()).take().unwrap_or_default();
                        return Some((case, "decode", input, format!("a panic: {why}")));
                    }
                    Ok(Ok(m)) if case % 3 == 0 => {
                        return Some((case, "decode (of a payload cut short)", input, format!("Ok({m:?})")));
                    }
                    Ok(_) => {}
                }
            }
            None
        });
        if let Some((case, what, input, got)) = failure {
            support::fail(
                format!("{what} to return an answer (an error for a cut-short payload), never a \
                         panic; input of case {case}: {}", hex(&input)),
                got,
                "decode and read_frame in src/ex4_framing.rs: follow that input field by field. \
                 Which length is used before it is checked against the bytes that are left?",
            );
        }
    }

    /// An interrupted read (`ErrorKind::Interrupted`, what a signal
    /// arriving during read(2) gives) is not an error: it is tried again.
    /// A real error is passed on, not retried forever.
    fn an_interrupted_read_is_retried_and_a_failing_one_is_an_error() {
        let whole = framed(b"abc");
        let mut r = Interrupted { bytes: whole.clone(), at: 0, interrupt_next: false };
        support::step("reading a frame from a reader that is interrupted before every byte",
            "read_frame does not return: is it retrying a read that keeps failing?");
        let got = read_frame(&mut r, 64);
        support::require!(matches!(&got, Ok(Some(p)) if p == b"abc"),
            expected: "Ok(Some(b\"abc\")): an interrupted read is tried again",
            got: format!("{got:?}"),
            look_at: "read_frame in src/ex4_framing.rs: what does it do with \
                      ErrorKind::Interrupted from read()? (std's read_exact retries it.)");
        let mut r = Interrupted { bytes: whole[..5].to_vec(), at: 0, interrupt_next: false };
        support::step("reading a frame from a reader that fails for good after 5 bytes",
            "read_frame does not return: does it retry every error, even one that will never \
             go away?");
        let got = read_frame(&mut r, 64);
        support::require!(matches!(got, Err(FrameError::Io(_))),
            expected: "Err(Io(..)) when the reader fails for good in the middle of a frame",
            got: format!("{got:?}"),
            look_at: "read_frame in src/ex4_framing.rs: which errors of read() end the frame?");
    }
}
