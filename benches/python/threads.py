"""Python counterpart of benches/benches/threads.rs.

Counts the primes below N serially, with 2 threads, and with 2 processes,
and prints ONE JSON object:

    {"python": "<version>", "results": [{"group", "name", "value", "unit", "note"}]}

The job is the Rust benchmark's, step for step: the same N, and the prime
count of primes.py (the Rust workload's trial division and work split),
which processes.py uses too. Each value is the best of a few runs, in seconds. Takes
well under a minute.
"""

import json
import platform
import time

from primes import count_primes, in_pool, in_threads

N = 500_000
REPEAT = 3
GROUP = f"threads: count primes below {N}"


def serial():
    return count_primes(0, N)


def with_threads(workers=2):
    return in_threads(N, workers)


def with_processes(workers=2):
    return in_pool(N, workers)


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
        results.append({"group": GROUP, "name": name, "value": value, "unit": "s",
                        "note": f"{note}; best of {REPEAT} runs"})
    if len(answers) != 1:
        raise SystemExit(f"the versions disagree: {answers}")
    print(json.dumps({"python": platform.python_version(), "results": results}))


if __name__ == "__main__":
    main()
