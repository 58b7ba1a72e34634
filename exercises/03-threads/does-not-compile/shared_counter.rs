// ANCHOR: race
// Two threads add to one counter with no lock: a data race.
// Rust rejects it: both closures would need `&mut hits` at once (E0499).
fn main() {
    let mut hits = 0;
    std::thread::scope(|s| {
        s.spawn(|| {
            for _ in 0..1000 {
                hits += 1;
            }
        });
        s.spawn(|| {
            for _ in 0..1000 {
                hits += 1;
            }
        });
    });
    println!("{hits}");
}
// ANCHOR_END: race
