"""The prime count both Python bench scripts measure (processes.py and
threads.py), written once so they measure the same job.

It is the Rust workload step for step (see benches/src/processes.rs): trial
division by 2 and the odd numbers up to the square root, and the same work
split, many small chunks dealt out to the workers in turn. Testing a large
number costs more than testing a small one, so one contiguous block per
worker would leave the last worker the most to do; small chunks dealt out in
turn give every worker nearly the same mix.

A module of its own also lets multiprocessing's workers import `share`.
"""

import multiprocessing as mp
import threading

# As in the Rust workload: each worker gets about this many small chunks.
CHUNKS_PER_WORKER = 64


def is_prime(m):
    if m < 2:
        return False
    if m < 4:
        return True
    if m % 2 == 0:
        return False
    d = 3
    while d * d <= m:
        if m % d == 0:
            return False
        d += 2
    return True


def count_primes(lo, hi):
    return sum(1 for m in range(lo, hi) if is_prime(m))


def share(n, workers, w):
    """Worker w's part of 0..n: every workers-th small chunk, from chunk w."""
    chunk = max(1, -(-n // (workers * CHUNKS_PER_WORKER)))
    total = 0
    start = w * chunk
    while start < n:
        total += count_primes(start, min(start + chunk, n))
        start += workers * chunk
    return total


def in_threads(n, workers):
    """The count on `workers` threading.Threads (the GIL lets one run at a time)."""
    counts = [0] * workers

    def work(w):
        counts[w] = share(n, workers, w)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts)


def in_pool(n, workers):
    """The count on a fork Pool of `workers` processes, the pool's start-up
    included, as the forks are in the Rust primes_processes."""
    with mp.get_context("fork").Pool(workers) as pool:
        return sum(pool.starmap(share, [(n, workers, w) for w in range(workers)]))
