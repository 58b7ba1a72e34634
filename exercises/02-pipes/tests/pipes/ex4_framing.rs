use std::io::{Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};

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
                look_at: "write_frame (4-byte big-endian length, then payload), read_frame and decode");
        }
        let end = read_frame(&mut r, MAX_FRAME);
        support::require!(matches!(end, Ok(None)),
            expected: "Ok(None) at the clean end of the stream",
            got: format!("{end:?}"),
            look_at: "read_frame: a stream that ends before a frame starts is not an error");
    }

    /// A stream that ends inside the length or the payload is an error.
    fn a_truncated_frame_is_an_error() {
        let whole = framed(&encode(&Message::Text("truncated".into())));
        for cut in 1..whole.len() {
            let got = read_frame(&mut Cursor::new(&whole[..cut]), MAX_FRAME);
            support::require!(matches!(got, Err(FrameError::Truncated { .. })),
                expected: format!("Err(Truncated) when the stream stops after {cut} of {} bytes", whole.len()),
                got: format!("{got:?}"),
                look_at: "read_frame: read_exact's UnexpectedEof, or a short read, means Truncated");
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
            look_at: "read_frame: compare the length field with `max` before anything else");
        support::require!(largest < MAX_FRAME,
            expected: "no allocation anywhere near the 64 MiB the length field asked for",
            got: format!("an allocation of {largest} bytes"),
            look_at: "read_frame: the length field is the other side's claim; check it against max BEFORE allocating");
        support::require!(r.taken == 4,
            expected: "only the 4 bytes of the length to be read",
            got: format!("{} bytes read", r.taken),
            look_at: "read_frame: refuse the frame before reading its payload");
        let big = vec![0u8; MAX_FRAME + 1];
        let mut sink = Vec::new();
        let sent = write_frame(&mut sink, &big);
        support::require!(matches!(sent, Err(FrameError::TooLarge { .. })) && sink.is_empty(),
            expected: "write_frame to refuse a payload above MAX_FRAME and write nothing",
            got: format!("{sent:?}, {} bytes written", sink.len()),
            look_at: "write_frame: check the payload's length first");
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
            let (got, largest) = largest_allocation_during(|| {
                catch_unwind(AssertUnwindSafe(|| decode(&payload)))
            });
            let Ok(got) = got else {
                support::fail(format!("an Err({want}) for {what}"), "a panic",
                    "decode: check every length against the bytes that are left, with no indexing past the end");
            };
            let name = match &got {
                Err(FrameError::Truncated { .. }) => "Truncated",
                Err(FrameError::Garbled(_)) => "Garbled",
                _ => "something else",
            };
            support::require!(name == want,
                expected: format!("Err({want}) for {what}"),
                got: format!("{got:?}"),
                look_at: "decode: Truncated when a field runs past the end, Garbled for a bad tag, bad UTF-8 or leftovers");
            support::require!(largest < 4096,
                expected: format!("no big allocation while decoding {what}"),
                got: format!("an allocation of {largest} bytes"),
                look_at: "decode: check count * 8 against the bytes left BEFORE Vec::with_capacity(count)");
        }
    }

    /// Thousands of random, truncated and bit-flipped inputs: always an
    /// answer, never a panic; a truncated message is always an error.
    fn random_garbage_never_panics() {
        let mut rng = Rng(0x5EED_2024_0002_0001);
        let valid: Vec<Vec<u8>> = samples().iter().map(encode).collect();
        let mut panics = Vec::new();
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
                if r.is_err() { panics.push(format!("read_frame({input:?})")); }
                continue;
            }
            match catch_unwind(AssertUnwindSafe(|| decode(&input))) {
                Err(_) => panics.push(format!("decode({input:?})")),
                Ok(Ok(m)) if case % 3 == 0 => support::fail(
                    format!("an error for a truncated payload {input:?}"),
                    format!("Ok({m:?})"),
                    "decode: every field must be complete"),
                Ok(_) => {}
            }
            if panics.len() > 5 { break; }
        }
        support::require!(panics.is_empty(),
            expected: "no panic on any input",
            got: format!("panics on {}", panics.join(", ")),
            look_at: "slicing or indexing past the end in decode or read_frame; use checked lengths");
    }
}
