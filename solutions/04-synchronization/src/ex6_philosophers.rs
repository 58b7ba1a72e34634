//! Exercise 6: dining philosophers, without the deadlock.

use crate::given::Table;

// ANCHOR: dine
/// Seats one philosopher per fork of `table`; each eats `meals` times and
/// needs both neighbouring forks for every meal. Returns the meals each ate.
pub fn dine(table: &Table, meals: usize) -> Vec<usize> {
    let n = table.seats();
    std::thread::scope(|s| {
        let philosophers: Vec<_> = (0..n)
            .map(|me| {
                s.spawn(move || {
                    let (left, right) = (me, (me + 1) % n);
                    // Lock ordering: every philosopher takes the
                    // lower-numbered fork first. Then the last philosopher
                    // reaches for fork 0 first, like philosopher 0, and the
                    // ring of "each holds one and waits for the next" can
                    // never close.
                    let (first, second) = (left.min(right), left.max(right));
                    let mut eaten = 0;
                    for _ in 0..meals {
                        let _a = table.take(me, first);
                        let _b = table.take(me, second);
                        eaten += 1;
                    }
                    eaten
                })
            })
            .collect();
        philosophers
            .into_iter()
            .map(|p| p.join().unwrap())
            .collect()
    })
}
// ANCHOR_END: dine
