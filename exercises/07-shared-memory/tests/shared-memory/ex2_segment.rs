//! Exercise 2: a named segment's life (`src/ex2_segment.rs`).

use std::io::Write;
use std::os::unix::fs::PermissionsExt;

use nix::fcntl::OFlag;
use nix::sys::mman::shm_open;
use nix::sys::stat::Mode;
use shared_memory::ex2_segment::{Segment, SegmentError};
use shared_memory::given::{Header, fork_child};
use support::require;

use crate::Unlink;

/// Makes a segment `name` of `bytes` (not through `Segment`), as another
/// program might have.
fn foreign_segment(name: &str, bytes: &[u8]) {
    let fd = shm_open(
        name,
        OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_RDWR,
        Mode::from_bits_truncate(0o600),
    )
    .expect("shm_open for a test segment");
    std::fs::File::from(fd)
        .write_all(bytes)
        .expect("writing a test segment");
}

fn header_bytes(magic: u64, version: u32, data_len: u64, file_len: usize) -> Vec<u8> {
    let mut b = vec![0u8; file_len];
    b[..8].copy_from_slice(&magic.to_ne_bytes());
    b[8..12].copy_from_slice(&version.to_ne_bytes());
    b[16..24].copy_from_slice(&data_len.to_ne_bytes());
    b
}

support::isolated_tests! {
    fn creating_a_segment_gives_it_room_and_does_not_crash() {
        let g = Unlink::new("room");
        let name = g.name().to_string();
        support::step("waiting for a child that creates a segment and writes to it",
            "the child never _exits");
        let child = fork_child(|| {
            let seg = Segment::create(&name, 100).expect("create");
            seg.write(92, &7u64).expect("write at the end of the data");
            std::mem::forget(seg); // keep the name for the parent to look at
        }).expect("fork");
        let ended = child.wait();
        require!(ended.is_ok(),
            expected: "Segment::create(name, 100) and a write to its data to work in a child",
            got: format!("{}", ended.as_ref().unwrap_err()),
            look_at: "Segment::create. SIGBUS means a touched page lies beyond the end of the \
                      file it maps: how long is a segment that shm_open has just created?");
        let len = std::fs::metadata(g.path()).map(|m| m.len()).unwrap_or(0);
        require!(len >= (Header::LEN + 100) as u64,
            expected: format!("{} to hold the {}-byte header and 100 data bytes", g.path().display(), Header::LEN),
            got: format!("{len} bytes"),
            look_at: "Segment::create: the segment's size is set once, right after shm_open");
    }

    fn create_then_attach_share_the_same_bytes() {
        let g = Unlink::new("share");
        let a = Segment::create(g.name(), 64).expect("create");
        a.write(0, &0xfeed_u64).expect("write through the creator");
        let b = Segment::attach(g.name()).expect("attach");
        let seen: u64 = b.read(0).expect("read through the attached mapping");
        require!(seen == 0xfeed,
            expected: "the attached mapping to read 0xfeed, written through the creator",
            got: format!("{seen:#x}"),
            look_at: "Segment::create / attach: both must map the segment shared, data after the header");
        b.write(8, &[1u32, 2]).expect("write through the attached mapping");
        let back: [u32; 2] = a.read(8).expect("read through the creator");
        require!(a.name() == g.name() && b.name() == g.name(),
            expected: format!("both Segments to be named {}", g.name()),
            got: format!("{} and {}", a.name(), b.name()),
            look_at: "Segment::name");
        require!(back == [1, 2] && b.data_len() == 64 && !b.is_owner() && a.is_owner(),
            expected: "writes through either mapping to be seen by the other; data_len 64; \
                       only the creator the owner",
            got: format!("{back:?}, data_len {}, owners {} / {}", b.data_len(), a.is_owner(), b.is_owner()),
            look_at: "Segment::attach: map the whole segment, and record that this value did not create it");
    }

    fn a_child_attaches_by_name_and_its_write_is_seen() {
        let g = Unlink::new("child");
        let seg = Segment::create(g.name(), 16).expect("create");
        let name = g.name().to_string();
        support::step("waiting for a child that attaches and writes", "the child never _exits");
        fork_child(|| {
            let mine = Segment::attach(&name).expect("attach in the child");
            mine.write(0, &99u64).expect("write in the child");
        }).expect("fork").wait().expect("the child should attach, write and exit 0");
        let seen: u64 = seg.read(0).expect("read");
        require!(seen == 99 && g.exists(),
            expected: "the child's 99 to be seen, and the name to still exist after the child dropped its Segment",
            got: format!("{seen}, name exists: {}", g.exists()),
            look_at: "Segment's Drop: which process removes the name?");
    }

    fn the_segment_is_private_to_its_user() {
        let g = Unlink::new("mode");
        let _seg = Segment::create(g.name(), 8).expect("create");
        let mode = std::fs::metadata(g.path()).expect("the segment's file").permissions().mode() & 0o777;
        require!(mode == 0o600,
            expected: "mode 0600 (read and write for this user only)",
            got: format!("{mode:o}"),
            look_at: "Segment::create: the mode given to shm_open");
    }

    fn dropping_the_creator_removes_the_name() {
        let g = Unlink::new("drop");
        let seg = Segment::create(g.name(), 8).expect("create");
        drop(seg);
        require!(!g.exists(),
            expected: format!("{} to be gone once its creator dropped the Segment", g.path().display()),
            got: "it is still there: every run leaves one more segment behind until the machine reboots",
            look_at: "Segment's Drop: unmapping is not removing the name");
        let again = Segment::attach(g.name());
        require!(matches!(again, Err(SegmentError::Missing(_))),
            expected: "attach after the creator dropped to say Missing",
            got: format!("{:?}", again.err()),
            look_at: "Segment's Drop");
    }

    fn an_attached_mapping_still_reads_after_the_creator_unlinks() {
        let g = Unlink::new("outlive");
        let creator = Segment::create(g.name(), 8).expect("create");
        creator.write(0, &7u64).expect("write");
        let attached = Segment::attach(g.name()).expect("attach");
        drop(creator);
        let seen: u64 = attached.read(0).expect("read after the creator dropped");
        require!(seen == 7 && !g.exists(),
            expected: "the name gone, and the attached mapping still reading 7",
            got: format!("read {seen}, name exists: {}", g.exists()),
            look_at: "Segment's Drop: the creator removes the name; a mapping elsewhere lives on");
    }

    fn dropping_an_attached_segment_keeps_the_name() {
        let g = Unlink::new("keep");
        let _creator = Segment::create(g.name(), 8).expect("create");
        drop(Segment::attach(g.name()).expect("first attach"));
        let second = Segment::attach(g.name());
        require!(second.is_ok() && g.exists(),
            expected: "a second attach to work after a first attacher dropped its Segment",
            got: format!("{:?}; name exists: {}", second.err(), g.exists()),
            look_at: "Segment's Drop: which process removes the name? If any process that \
                      attached removed it, who could attach after that one left?");
    }

    fn creating_an_existing_name_is_an_error() {
        let g = Unlink::new("twice");
        let first = Segment::create(g.name(), 8).expect("first create");
        first.write(0, &5u64).expect("write");
        let second = Segment::create(g.name(), 8);
        require!(matches!(second, Err(SegmentError::Exists(_))),
            expected: "the second create of one name to fail with Exists",
            got: format!("{:?}", second.as_ref().err()),
            look_at: "Segment::create: shm_open's flags; should create ever open a segment someone else made?");
        let still: u64 = first.read(0).expect("read");
        require!(still == 5 && g.exists(),
            expected: "the failed create to leave the first segment alone",
            got: format!("it reads {still}, name exists: {}", g.exists()),
            look_at: "Segment::create's error path");
    }

    fn attaching_a_missing_name_is_an_error() {
        let g = Unlink::new("missing");
        let got = Segment::attach(g.name());
        require!(matches!(got, Err(SegmentError::Missing(_))),
            expected: "attach to a name nobody created to fail with Missing",
            got: format!("{:?}", got.err()),
            look_at: "Segment::attach: which errno does shm_open give?");
    }

    fn attaching_a_foreign_segment_is_an_error_not_undefined_behaviour() {
        let cases = [
            ("tiny", vec![1u8; 10]),
            ("magic", header_bytes(0x1234, Header::VERSION, 8, Header::LEN + 8)),
            ("version", header_bytes(Header::MAGIC, Header::VERSION + 1, 8, Header::LEN + 8)),
            ("size", header_bytes(Header::MAGIC, Header::VERSION, 1 << 40, Header::LEN + 8)),
        ];
        for (what, bytes) in cases {
            let g = Unlink::new(what);
            foreign_segment(g.name(), &bytes);
            let got = Segment::attach(g.name());
            require!(matches!(got, Err(SegmentError::BadHeader { .. })),
                expected: format!("attach to a segment with a wrong {what} to fail with BadHeader"),
                got: format!("{:?}", got.as_ref().map(|s| s.data_len())),
                look_at: "Segment::attach: check the header (size first, then magic, version and \
                          data length) before trusting a byte of it");
        }
    }

    fn reads_and_writes_stay_inside_the_data() {
        let g = Unlink::new("bounds");
        let seg = Segment::create(g.name(), 16).expect("create");
        for offset in [9, 16, usize::MAX - 2] {
            let got = seg.write(offset, &1u64);
            require!(matches!(got, Err(SegmentError::OutOfBounds { .. })),
                expected: format!("writing 8 bytes at offset {offset} of 16 data bytes to fail with OutOfBounds"),
                got: format!("{got:?}"),
                look_at: "Segment::write / read: offset + size must fit, and the sum must not overflow");
            let back = seg.read::<u64>(offset);
            require!(back.is_err(),
                expected: format!("reading 8 bytes at offset {offset} to fail"),
                got: format!("{back:?}"),
                look_at: "Segment::read: the same check as write");
        }
        seg.write(8, &3u64).expect("the last 8 bytes are inside");
        require!(seg.read::<u64>(8).ok() == Some(3),
            expected: "the last 8 data bytes to be usable",
            got: format!("{:?}", seg.read::<u64>(8)),
            look_at: "Segment::write / read: the bound is offset + size <= data_len");
    }

    fn a_failed_create_leaves_no_name_behind() {
        let g = Unlink::new("huge");
        let got = Segment::create(g.name(), 1 << 62);
        require!(got.is_err() && !g.exists(),
            expected: "create of a 4-exbibyte segment to fail, and to take its new name away again",
            got: format!("{}; name exists: {}", if got.is_ok() { "Ok" } else { "Err" }, g.exists()),
            look_at: "Segment::create: when a step after shm_open fails, who removes the name?");
    }

    fn a_segment_with_no_data_attaches() {
        let g = Unlink::new("empty");
        let _a = Segment::create(g.name(), 0).expect("create with 0 data bytes");
        let b = Segment::attach(g.name());
        require!(b.as_ref().is_ok_and(|b| b.data_len() == 0),
            expected: "a segment that is only a header to attach, with data_len 0",
            got: format!("{:?}", b.as_ref().map(|b| b.data_len())),
            look_at: "Segment::attach: a file exactly as long as the header is whole");
    }

    fn errors_say_what_happened() {
        let g = Unlink::new("words");
        let _a = Segment::create(g.name(), 8).expect("create");
        let exists = Segment::create(g.name(), 8).err().map(|e| e.to_string()).unwrap_or_default();
        let missing = Segment::attach("/workbook-surely-missing").err().map(|e| e.to_string()).unwrap_or_default();
        require!(exists.contains(g.name()) && exists.contains("exists")
                 && missing.contains("/workbook-surely-missing"),
            expected: "error messages that name the segment and say what is wrong",
            got: format!("{exists:?} and {missing:?}"),
            look_at: "SegmentError's Display");
    }
}
