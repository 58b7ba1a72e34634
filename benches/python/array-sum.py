"""Python counterparts of the Summing-a-large-array case study's benchmarks.

Prints ONE JSON object: {"python": version, "results": [...]}, each result
{"group", "name", "value", "unit", "note"}. Runs in well under a minute on
a quiet machine and leaves nothing in /dev/shm (every segment is unlinked
in a finally).

Every parallel version creates its Pool inside the timed call, as the
tutorial does, so they pay the same start-up; what differs is what each
task carries: the whole array (pickled, piped, unpickled per task), two
indices into data the workers inherited at fork, or a segment's name and
two indices.
"""

import array
import json
import multiprocessing as mp
import platform
import statistics
import time
from multiprocessing import shared_memory

N = 10_000_000
WORKERS = 2
REPEATS = 3
GROUP = "array-sum: sum of 10^7 u64"


def split(n, k):
    return [(i * n // k, (i + 1) * n // k) for i in range(k)]


def median_time(f, *args):
    """The median of REPEATS timed calls, and the last call's answer."""
    times, out = [], None
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        out = f(*args)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


# --- the tutorial: the whole array is an argument of every task
def sum_array(arr, start, end):
    return sum(arr[start:end])


def tutorial(arr):
    tasks = [(arr, lo, hi) for lo, hi in split(len(arr), WORKERS)]
    with mp.Pool(WORKERS) as pool:
        return sum(pool.starmap(sum_array, tasks))


# --- fix 1: the workers inherit the data at fork; tasks are two indices
DATA = None


def part_of_inherited(lo, hi):
    return sum(DATA[lo:hi])


def inherited(arr):
    global DATA
    DATA = arr
    try:
        with mp.Pool(WORKERS) as pool:
            return sum(pool.starmap(part_of_inherited, split(len(arr), WORKERS)))
    finally:
        DATA = None


# --- fix 2: the data are in a SharedMemory segment; tasks are its name
def part_of_segment(name, lo, hi):
    seg = shared_memory.SharedMemory(name=name)
    try:
        view = seg.buf.cast("Q")
        try:
            return sum(view[lo:hi])
        finally:
            view.release()
    finally:
        seg.close()


def over_segment(seg, n):
    tasks = [(seg.name, lo, hi) for lo, hi in split(n, WORKERS)]
    with mp.Pool(WORKERS) as pool:
        return sum(pool.starmap(part_of_segment, tasks))


def fill(seg, arr):
    view = seg.buf.cast("Q")
    try:
        view[:] = arr
    finally:
        view.release()


def new_segment_each_time(arr):
    seg = shared_memory.SharedMemory(create=True, size=8 * len(arr))
    try:
        fill(seg, arr)
        return over_segment(seg, len(arr))
    finally:
        seg.close()
        seg.unlink()


def main():
    mp.set_start_method("fork")
    arr = array.array("Q", range(N))
    results = []

    def add(name, seconds, note):
        results.append({"group": GROUP, "name": name, "value": seconds,
                        "unit": "s", "note": note})

    t, want = median_time(sum, arr)
    add("serial", t, f"sum() over an array('Q') of 10^7; median of {REPEATS}")
    t, got = median_time(tutorial, arr)
    assert got == want
    add("Pool.starmap, the whole array in every task", t,
        f"{WORKERS} workers, the tutorial's version; pool made per sum, median of {REPEATS}")
    t, got = median_time(inherited, arr)
    assert got == want
    add("Pool.starmap, index ranges, data inherited at fork", t,
        f"{WORKERS} workers; pool made per sum, median of {REPEATS}")
    # Made before any pool, so the workers share the parent's resource
    # tracker (see the Shared memory chapter).
    seg = shared_memory.SharedMemory(create=True, size=8 * N)
    try:
        fill(seg, arr)
        t, got = median_time(over_segment, seg, N)
        assert got == want
        add("Pool.starmap over SharedMemory, segment made once", t,
            f"{WORKERS} workers; pool made per sum, median of {REPEATS}")
    finally:
        seg.close()
        seg.unlink()
    t, got = median_time(new_segment_each_time, arr)
    assert got == want
    add("Pool.starmap over SharedMemory, new segment for each sum", t,
        f"{WORKERS} workers; segment made, filled and unlinked per sum, median of {REPEATS}")

    print(json.dumps({"python": platform.python_version(), "results": results}))


if __name__ == "__main__":
    main()
