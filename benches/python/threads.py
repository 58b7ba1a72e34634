"""Python counterpart of benches/benches/threads.rs.

Counts the primes below N (the same N and the same trial division as the
Rust benchmark) serially, with 2 threads, and with 2 processes, and prints
ONE JSON object:

    {"python": "<version>", "results": [{"group", "name", "value", "unit", "note"}]}

Each value is the best of a few runs, in seconds. Takes well under a minute.
"""

import json
import multiprocessing
import platform
import threading
import time

N = 500_000
REPEAT = 3
GROUP = f"threads: count primes below {N}"


def is_prime(n):
    if n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True


def count_primes(lo, hi):
    return sum(1 for k in range(lo, hi) if is_prime(k))


def bounds(n, workers, w):
    # The same split as the Rust workload: contiguous ranges.
    return n * w // workers, n * (w + 1) // workers


def serial():
    return count_primes(0, N)


def with_threads(workers=2):
    counts = [0] * workers

    def work(w):
        counts[w] = count_primes(*bounds(N, workers, w))

    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts)


def with_processes(workers=2):
    with multiprocessing.Pool(workers) as pool:
        return sum(pool.starmap(count_primes, [bounds(N, workers, w) for w in range(workers)]))


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
        ("python-serial", serial, "CPython, one thread"),
        ("python-threads-2", with_threads, "2 threading.Thread; the GIL lets one run Python code at a time"),
        ("python-processes-2", with_processes, "multiprocessing.Pool(2), pool start-up included"),
    ]:
        value, answer = best_of(f)
        answers.add(answer)
        results.append({"group": GROUP, "name": name, "value": value, "unit": "s", "note": note})
    if len(answers) != 1:
        raise SystemExit(f"the versions disagree: {answers}")
    print(json.dumps({"python": platform.python_version(), "results": results}))


if __name__ == "__main__":
    main()
