"""Python counterpart of the Processes chapter's benchmarks.

Measures what the Rust bench measures, the Python way:

* start + join of a multiprocessing.Process that does nothing, under each
  start method (fork, forkserver, spawn);
* counting primes by trial division (the same algorithm and the same work
  split as the Rust workload): serially, with 2 threads, and with a Pool of
  2 processes.

Prints ONE JSON object to stdout (the runner, `cargo workbook bench
processes`, reads it):

    {"python": "3.11.7", "results": [{"group": ..., "name": ..., "value": <s>,
     "unit": "s", "note": ...}, ...]}

Runs in well under a minute. Run it alone with `python3 processes.py`.
"""

import json
import multiprocessing as mp
import platform
import statistics
import sys
import time

from primes import count_primes, in_pool, in_threads

START = "processes: start and finish"
PRIMES = "processes: count primes"

# Pure Python is far slower than Rust at trial division, so the Python job is
# smaller than the Rust one; compare speedups, not times, across languages.
N = 300_000
REPEATS = {"fork": 30, "forkserver": 20, "spawn": 10}
PRIME_REPEATS = 5


def nothing():
    pass


def median_time(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def start_join(ctx):
    p = ctx.Process(target=nothing)
    p.start()
    p.join()
    if p.exitcode != 0:
        raise RuntimeError(f"child exited with {p.exitcode}")


def main():
    results = []

    def add(group, name, value, note):
        results.append(
            {"group": group, "name": name, "value": value, "unit": "s", "note": note}
        )

    for method in ("fork", "forkserver", "spawn"):
        ctx = mp.get_context(method)
        start_join(ctx)  # warm-up: forkserver starts its server on first use
        value = median_time(lambda: start_join(ctx), REPEATS[method])
        add(
            START,
            f"Process start + join ({method})",
            value,
            f"median of {REPEATS[method]}",
        )

    expected = count_primes(0, N)
    variants = (
        ("serial", lambda: count_primes(0, N)),
        ("threads (2)", lambda: in_threads(N, 2)),
        ("Pool(2) processes", lambda: in_pool(N, 2)),
    )
    for name, fn in variants:
        if fn() != expected:
            raise RuntimeError(f"{name} counted wrong")
    # Take turns, one run of each variant per round, so that a burst of
    # load from other programs hits all of them alike.
    times = {name: [] for name, _ in variants}
    for _ in range(PRIME_REPEATS):
        for name, fn in variants:
            times[name].append(median_time(fn, 1))
    for name, _ in variants:
        value = statistics.median(times[name])
        add(PRIMES, name, value, f"n = {N}, median of {PRIME_REPEATS}")

    json.dump({"python": platform.python_version(), "results": results}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
