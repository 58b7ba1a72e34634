"""Two fixes for the tutorial's sum: send index ranges, not the array.

1. The data are inherited: a global set before the pool forks its
   workers, so each task carries two integers.
2. The data are in a SharedMemory segment: each task carries its name
   and two integers, and the worker maps the segment.
"""
import array
import multiprocessing as mp
from multiprocessing import shared_memory

N, WORKERS = 1_000_000, 2


# ANCHOR: split
def split(n, k):
    """k ranges covering 0..n; lengths differ by at most one."""
    return [(i * n // k, (i + 1) * n // k) for i in range(k)]
# ANCHOR_END: split


# ANCHOR: inherited
DATA = None  # set by the parent before the pool forks


def part_of_inherited(lo, hi):
    return sum(DATA[lo:hi])


def inherited_sum(arr):
    global DATA
    DATA = arr  # the workers, forked below, see it without a copy
    with mp.Pool(WORKERS) as pool:
        return sum(pool.starmap(part_of_inherited, split(len(arr), WORKERS)))
# ANCHOR_END: inherited


# ANCHOR: shared
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


def shared_sum(seg, n):
    tasks = [(seg.name, lo, hi) for lo, hi in split(n, WORKERS)]
    with mp.Pool(WORKERS) as pool:
        return sum(pool.starmap(part_of_segment, tasks))
# ANCHOR_END: shared


if __name__ == "__main__":
    mp.set_start_method("fork")
    arr = array.array("Q", range(N))
    # Made before the pool, so that the workers share the parent's
    # resource tracker (see the Shared memory chapter).
    seg = shared_memory.SharedMemory(create=True, size=8 * N)
    try:
        view = seg.buf.cast("Q")
        view[:] = arr
        view.release()
        assert inherited_sum(arr) == shared_sum(seg, N) == sum(arr)
        print("all three sums agree:", sum(arr))
    finally:
        seg.close()
        seg.unlink()
