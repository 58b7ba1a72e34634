"""Python counterparts of the synchronization chapter's benchmarks.

Prints ONE JSON object: {"python": version, "results": [...]}, each result
{"group", "name", "value", "unit", "note"}. Runs in well under a minute.
"""

import json
import multiprocessing as mp
import platform
import time

PROCS = 2
PER_PROC = 200_000


def add_locked(v, n, start):
    start.wait()  # begin together, so the processes really overlap
    for _ in range(n):
        with v.get_lock():
            v.value += 1


def add_unlocked(v, n, start):
    start.wait()
    for _ in range(n):
        v.value += 1  # read, add, write: three steps, another process can slip in


def run_counter(locked):
    """PROCS processes each add PER_PROC to one shared Value.
    Returns (seconds per increment, fraction of increments lost)."""
    v = mp.Value("i", 0, lock=locked)
    target = add_locked if locked else add_unlocked
    start = mp.Barrier(PROCS + 1)
    procs = [mp.Process(target=target, args=(v, PER_PROC, start)) for _ in range(PROCS)]
    for p in procs:
        p.start()
    start.wait()
    t0 = time.perf_counter()
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - t0
    total = PROCS * PER_PROC
    return elapsed / total, (total - v.value) / total


def lock_round_trip(n=200_000):
    """Uncontended acquire + release of a multiprocessing.Lock."""
    lock = mp.Lock()
    t0 = time.perf_counter()
    for _ in range(n):
        lock.acquire()
        lock.release()
    return (time.perf_counter() - t0) / n


def main():
    results = []
    group = "synchronization: contended counter"
    per_inc, lost = run_counter(locked=True)
    results.append({"group": group, "name": "Value with lock", "value": per_inc, "unit": "s",
                    "note": f"{PROCS} processes x {PER_PROC} increments; time per increment, "
                            f"{lost:.0%} lost; one run"})
    per_inc, lost = run_counter(locked=False)
    results.append({"group": group, "name": "Value(lock=False)", "value": per_inc, "unit": "s",
                    "note": f"{PROCS} processes x {PER_PROC} increments; time per increment; one run"})
    results.append({"group": group, "name": "Value(lock=False) lost", "value": lost,
                    "unit": "fraction", "note": "fraction of the increments that were lost; one run"})
    results.append({"group": "synchronization: lock", "name": "Lock acquire+release",
                    "value": lock_round_trip(), "unit": "s",
                    "note": f"one process, uncontended; mean of {200_000} in one run"})
    print(json.dumps({"python": platform.python_version(), "results": results}))


if __name__ == "__main__":
    main()
