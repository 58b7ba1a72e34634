"""Python counterpart of benches/benches/pools.rs.

The cost of a tiny task on Python's pools (multiprocessing.Pool.map at
chunksize 1 and at its default chunksize, ProcessPoolExecutor.map,
ThreadPoolExecutor.map), Pool.map's chunksize sweep for tasks of about 1 us
and 100 us, and what starting a Pool(2) costs under each start method.
Prints ONE JSON object:

    {"python": "<version>", "results": [{"group", "name", "value", "unit", "note"}]}

The tiny task is the Rust one: one round of the same integer mixing. Pools
are started before the clock starts, as in the Rust bench; each value is the
best of a few runs, in seconds. Takes well under a minute.
"""

import json
import multiprocessing as mp
import platform
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

TINY = 10_000
WORKERS = 2
REPEAT = 3
MASK = (1 << 64) - 1
TINY_GROUP = f"pools: {TINY} tiny tasks"
# The sweeps: as many tasks as the Rust ones, under the same group names.
SWEEP_1US = 4_000
SWEEP_100US = 200
START_GROUP = "pools: start and stop a pool of 2"


def rotl5(h):
    return ((h << 5) | (h >> 59)) & MASK


def tiny(x):
    """One round of busy() from benches/src/pools.rs."""
    h = x ^ 0x9E3779B97F4A7C15
    return ((rotl5(h) * 0x0100000001B3) & MASK) ^ 0x5BD1E995


def best_of(f, repeat=REPEAT):
    best, answer = None, None
    for _ in range(repeat):
        t = time.perf_counter()
        answer = f()
        took = time.perf_counter() - t
        best = took if best is None else min(best, took)
    return best, answer


def checksum(results):
    return sum(results) & MASK


def busy(rounds, x):
    """busy() from benches/src/pools.rs: `rounds` rounds of the mixing."""
    h = x ^ 0x9E3779B97F4A7C15
    for _ in range(rounds):
        h = ((rotl5(h) * 0x0100000001B3) & MASK) ^ 0x5BD1E995
    return h


def rounds_for(seconds):
    """How many rounds of busy() take about `seconds` here: Python runs a
    round far slower than Rust, so its tasks get fewer rounds, and the
    sweep compares tasks of the same duration, not the same work."""
    n = 20_000
    t = time.perf_counter()
    busy(n, 1)
    per_round = (time.perf_counter() - t) / n
    return max(1, round(seconds / per_round))


class Task:
    """A picklable task of a fixed number of rounds (Pool pickles the
    function it sends; a bound method of a module-level class pickles)."""

    def __init__(self, rounds):
        self.rounds = rounds

    def __call__(self, x):
        return busy(self.rounds, x)


def sweep_rows(n, label, seconds):
    group = f"pools: chunksize sweep, {n} tasks of about {label}"
    task = Task(rounds_for(seconds))
    xs = list(range(n))
    took, want = best_of(lambda: checksum(map(task, xs)), repeat=2)
    note = f"{task.rounds} rounds of busy(): {took / n * 1e6:.1f} us a task here"
    rows = [{"group": group, "name": "serial", "value": took, "unit": "s", "note": note}]
    default = -(-n // (4 * WORKERS))
    with mp.get_context("fork").Pool(WORKERS) as pool:
        pool.map(abs, range(WORKERS))
        for size in [1, 10, 100, default]:
            value, answer = best_of(lambda: checksum(pool.map(task, xs, chunksize=size)), repeat=2)
            if answer != want:
                raise SystemExit(f"{group}: chunksize {size} disagrees")
            what = "the default" if size == default else "chunksize"
            rows.append({"group": group, "name": f"Pool(2).map chunksize={size}", "value": value,
                         "unit": "s", "note": f"multiprocessing.Pool, fork; {what}"})
    return rows


def tiny_rows(xs):
    rows, answers = [], set()

    def add(name, f, note, repeat=REPEAT):
        value, answer = best_of(f, repeat)
        answers.add(answer)
        rows.append({"group": TINY_GROUP, "name": name, "value": value, "unit": "s", "note": note})

    add("serial", lambda: checksum(map(tiny, xs)), "a plain loop")
    default = -(-len(xs) // (4 * WORKERS))
    with mp.get_context("fork").Pool(WORKERS) as pool:
        pool.map(abs, range(WORKERS))
        add("Pool(2).map chunksize=1", lambda: checksum(pool.map(tiny, xs, chunksize=1)),
            "multiprocessing.Pool, fork; one pickled task per item", repeat=2)
        add(f"Pool(2).map chunksize={default}", lambda: checksum(pool.map(tiny, xs)),
            "multiprocessing.Pool, fork; its default chunksize")
    with ProcessPoolExecutor(WORKERS, mp_context=mp.get_context("fork")) as ex:
        list(ex.map(abs, range(WORKERS)))
        add("ProcessPoolExecutor(2).map", lambda: checksum(ex.map(tiny, xs)),
            "concurrent.futures, fork; chunksize 1 by default", repeat=2)
    with ThreadPoolExecutor(WORKERS) as ex:
        add("ThreadPoolExecutor(2).map", lambda: checksum(ex.map(tiny, xs)),
            "threads: no pickling, but the GIL", repeat=2)
    if len(answers) != 1:
        raise SystemExit(f"the versions disagree: {answers}")
    return rows


def start_and_stop(method):
    def run():
        with mp.get_context(method).Pool(WORKERS) as pool:
            # One task per worker: the pool is only ready once they answer.
            pool.map(abs, range(WORKERS), chunksize=1)
            pool.close()
            pool.join()
    return run


def start_rows():
    rows = []
    for method in ["fork", "forkserver", "spawn"]:
        value, _ = best_of(start_and_stop(method), repeat=2)
        rows.append({"group": START_GROUP, "name": f"Pool(2) {method}", "value": value, "unit": "s",
                     "note": "start, one task per worker, close, join"})
    return rows


def main():
    xs = list(range(TINY))
    results = tiny_rows(xs)
    results += sweep_rows(SWEEP_1US, "1 µs", 1e-6)
    results += sweep_rows(SWEEP_100US, "100 µs", 100e-6)
    results += start_rows()
    print(json.dumps({"python": platform.python_version(), "results": results}))


if __name__ == "__main__":
    main()
