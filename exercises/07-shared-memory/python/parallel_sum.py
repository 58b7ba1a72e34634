"""The tutorials' parallel sum, and the same sum over shared memory."""
import multiprocessing as mp
from multiprocessing import shared_memory

import array

N, WORKERS = 1_000_000, 4


# ANCHOR: tutorial
def part_sum(args):
    data, lo, hi = args  # the whole list was pickled for this one task
    return sum(data[lo:hi])


def tutorial(data):
    step = -(-len(data) // WORKERS)
    tasks = [(data, i, min(i + step, len(data))) for i in range(0, len(data), step)]
    with mp.Pool(WORKERS) as pool:
        return sum(pool.map(part_sum, tasks))


# ANCHOR_END: tutorial
# ANCHOR: shared
def shm_part(args):
    name, n, lo, hi = args  # only a name and two indices travel
    seg = shared_memory.SharedMemory(name=name)
    try:
        return sum(seg.buf.cast("Q")[lo:hi])
    finally:
        seg.close()


def shared(data):
    seg = shared_memory.SharedMemory(create=True, size=8 * len(data))
    try:
        seg.buf.cast("Q")[:] = array.array("Q", data)
        step = -(-len(data) // WORKERS)
        tasks = [(seg.name, len(data), i, min(i + step, len(data)))
                 for i in range(0, len(data), step)]
        with mp.Pool(WORKERS) as pool:
            return sum(pool.map(shm_part, tasks))
    finally:
        seg.close()
        seg.unlink()


# ANCHOR_END: shared

if __name__ == "__main__":
    mp.set_start_method("fork")
    data = list(range(N))
    assert tutorial(data) == shared(data) == sum(data)
    print("both sums:", sum(data))
