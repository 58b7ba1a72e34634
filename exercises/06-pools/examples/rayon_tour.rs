//! rayon in one page: parallel iterators, chunks, join, scope, a pool of
//! your own, chunk lengths, and panics. Run with
//! `cargo run -p pools-exercise --example rayon_tour`.

use std::panic;

use rayon::prelude::*;

fn main() {
    // ANCHOR: par_iter
    let xs: Vec<u64> = (0..1_000).collect();
    // Pool.map(square, xs): the order of the results is kept.
    let squares: Vec<u64> = xs.par_iter().map(|x| x * x).collect();
    let total: u64 = xs.par_iter().sum();
    // ANCHOR_END: par_iter
    assert_eq!(squares[999], 998_001);
    assert_eq!(total, 499_500);

    // ANCHOR: par_chunks
    let mut pixels = vec![1u8; 1 << 16];
    // Each chunk is a &mut [u8] of its own: no Arc, no Mutex, no copy.
    pixels.par_chunks_mut(4096).for_each(|chunk| {
        for p in chunk {
            *p *= 2;
        }
    });
    let sums: Vec<u32> = pixels
        .par_chunks(4096)
        .map(|c| c.iter().map(|&p| p as u32).sum())
        .collect();
    // ANCHOR_END: par_chunks
    assert!(sums.iter().all(|&s| s == 8192));

    // ANCHOR: join
    fn fib(n: u32) -> u64 {
        if n < 20 {
            return (1..=n).fold((0, 1), |(a, b), _| (b, a + b)).0;
        }
        // Run the first closure here; offer the second to idle threads.
        let (a, b) = rayon::join(|| fib(n - 1), || fib(n - 2));
        a + b
    }
    // ANCHOR_END: join
    assert_eq!(fib(30), 832_040);

    // ANCHOR: scope
    let words = ["pool", "map", "chunk"];
    let mut lengths = vec![0; words.len()];
    rayon::scope(|s| {
        for (word, len) in words.iter().zip(lengths.iter_mut()) {
            // Borrows `words` and `lengths`: the scope waits for every spawn.
            s.spawn(move |_| *len = word.len());
        }
    });
    // ANCHOR_END: scope
    assert_eq!(lengths, [4, 3, 5]);

    // ANCHOR: install
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("a pool of 2 threads");
    let n = pool.install(|| {
        // Everything in here runs on the pool's 2 threads.
        assert_eq!(rayon::current_num_threads(), 2);
        xs.par_iter().filter(|&&x| x % 3 == 0).count()
    });
    // ANCHOR_END: install
    assert_eq!(n, 334);

    // ANCHOR: lengths
    // Like chunksize: pieces of at least 100 items (less splitting)...
    let a: u64 = xs.par_iter().with_min_len(100).sum();
    // ...or at most 1 item each (a task per item, like chunksize=1).
    let b: u64 = xs.par_iter().with_max_len(1).sum();
    // ANCHOR_END: lengths
    assert_eq!(a, b);

    // ANCHOR: panic
    panic::set_hook(Box::new(|_| {})); // keep the demo's output quiet
    let caught = panic::catch_unwind(|| {
        xs.par_iter().for_each(|&x| assert!(x != 500, "item 500"));
    });
    // The panic reaches the caller once the other pieces have stopped.
    assert!(caught.is_err());
    // ANCHOR_END: panic
    let _ = panic::take_hook();
    println!("rayon tour: all checks passed");
}
