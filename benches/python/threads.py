"""Python counterpart of benches/benches/threads.rs.

Counts the primes below N serially, with 2 threads, and with 2 processes,
and prints ONE JSON object:

    {"python": "<version>", "results": [{"group", "name", "value", "unit", "note"}]}

The job is the Rust benchmark's, step for step: the same N, the same trial
division (2, then the odd numbers up to the square root; see is_prime in
benches/src/processes.rs) and the same work split (many small chunks dealt
out in turn; see share there). processes.py does the same for the
Processes chapter. Each value is the best of a few runs, in seconds. Takes
well under a minute.
"""

import json
import multiprocessing
import platform
import threading
import time

N = 500_000
# As in the Rust workload: each worker gets about this many small chunks.
CHUNKS_PER_WORKER = 64
REPEAT = 3
GROUP = f"threads: count primes below {N}"


def is_prime(m):
    # Trial division by 2 and the odd numbers up to the square root of m.
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
    """Worker w's part: every workers-th small chunk, starting with chunk w.

    The same split as the Rust workload. Testing a large number costs more
    than testing a small one, so one contiguous block per worker would leave
    the last worker the most to do; small chunks dealt out in turn give every
    worker nearly the same mix.
    """
    chunk = max(1, -(-n // (workers * CHUNKS_PER_WORKER)))
    total = 0
    start = w * chunk
    while start < n:
        total += count_primes(start, min(start + chunk, n))
        start += workers * chunk
    return total


def serial():
    return count_primes(0, N)


def with_threads(workers=2):
    counts = [0] * workers

    def work(w):
        counts[w] = share(N, workers, w)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts)


def with_processes(workers=2):
    # The pool's start-up is inside the measured time.
    with multiprocessing.Pool(workers) as pool:
        return sum(pool.starmap(share, [(N, workers, w) for w in range(workers)]))


def best_of(f):
    best, answer = None, None
    for _ in range(REPEAT):
        t = time.perf_counter()
        answer = f()
        took = time.perf_counter() - t
        best = took if best is None else min(best, took)
    return best, answer


def main():
    results = []
    answers = set()
    for name, f, note in [
        ("serial", serial, "CPython, one thread"),
        ("threads-2", with_threads, "2 threading.Thread; the GIL lets one run Python code at a time"),
        ("processes-2", with_processes, "multiprocessing.Pool(2), pool start-up included"),
    ]:
        value, answer = best_of(f)
        answers.add(answer)
        results.append({"group": GROUP, "name": name, "value": value, "unit": "s", "note": note})
    if len(answers) != 1:
        raise SystemExit(f"the versions disagree: {answers}")
    print(json.dumps({"python": platform.python_version(), "results": results}))


if __name__ == "__main__":
    main()
