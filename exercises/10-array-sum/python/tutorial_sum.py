"""The tutorial's parallel sum, cleaned up: the whole array goes to every task.

The original used numpy (np.random.rand and np.sum); this copy uses
array('Q') of integers, which pickles the same way (its bytes, in one
piece) and gives an exact answer to compare with.
"""
import array
import multiprocessing as mp
import time

N = 1_000_000


# ANCHOR: tutorial
def sum_array(arr, start, end):
    return sum(arr[start:end])


def tutorial_sum(arr):
    ncpus = mp.cpu_count()
    step = len(arr) // ncpus
    indices = [(i * step, (i + 1) * step) for i in range(ncpus - 1)]
    indices.append(((ncpus - 1) * step, len(arr)))
    with mp.Pool(processes=ncpus) as pool:
        # Every task tuple holds `arr` itself: the pool pickles the whole
        # array once per task and sends it through a pipe to a worker.
        result = pool.starmap(sum_array, [(arr, s, e) for s, e in indices])
    return sum(result)
# ANCHOR_END: tutorial


if __name__ == "__main__":
    mp.set_start_method("fork")
    arr = array.array("Q", range(N))
    t0 = time.perf_counter()
    plain = sum(arr)
    t1 = time.perf_counter()
    parallel = tutorial_sum(arr)
    t2 = time.perf_counter()
    assert plain == parallel
    print(f"sum() {t1 - t0:.3f} s, the tutorial's pool {t2 - t1:.3f} s")
