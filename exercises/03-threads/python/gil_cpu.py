"""The CPU-bound job (count primes by trial division) serially, on two
threads and on two processes. Under CPython's GIL the two threads take
turns, so they are no faster than one; the two processes each have their
own interpreter and run at once. Run with `python3 gil_cpu.py`.

benches/python/threads.py measures the same thing for the book's table;
this script is the short version to read.
"""

import multiprocessing
import threading
import time


def is_prime(n):
    if n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True


def count_primes(start, n, step):
    return sum(1 for k in range(start, n, step) if is_prime(k))


# ANCHOR: threads
def with_threads(n, workers):
    counts = [0] * workers

    def work(w):
        counts[w] = count_primes(w, n, workers)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts)
# ANCHOR_END: threads


# ANCHOR: processes
def with_processes(n, workers):
    with multiprocessing.Pool(workers) as pool:
        return sum(pool.starmap(count_primes, [(w, n, workers) for w in range(workers)]))
# ANCHOR_END: processes


def timed(label, f):
    t = time.perf_counter()
    result = f()
    print(f"{label:<12} {result} primes in {time.perf_counter() - t:.2f} s")
    return result


if __name__ == "__main__":
    n = 300_000
    a = timed("serial", lambda: count_primes(0, n, 1))
    b = timed("2 threads", lambda: with_threads(n, 2))
    c = timed("2 processes", lambda: with_processes(n, 2))
    assert a == b == c
