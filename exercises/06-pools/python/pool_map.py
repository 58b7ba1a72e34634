"""Pool.map and friends: order, chunksize, and what each one returns."""

import multiprocessing as mp
import os
import time


def square(x):
    return x * x


def slow_first(x):
    # Task 0 is the slowest, so it finishes last.
    time.sleep(0.2 if x == 0 else 0.01)
    return x


def power(base, exp):
    return base**exp


# ANCHOR: chunksize
def default_chunksize(n, workers):
    """What Pool.map computes when you give no chunksize (pool.py)."""
    chunksize, extra = divmod(n, workers * 4)
    if extra:
        chunksize += 1
    return chunksize  # 0 for an empty input; map then sends nothing


# ANCHOR_END: chunksize


def main():
    # ANCHOR: map
    with mp.get_context("fork").Pool(processes=2) as pool:
        # map: the whole input becomes a list, cut into chunks; the result
        # is a list in input order, whichever chunk finished first.
        print(pool.map(square, range(10)))  # [0, 1, 4, ..., 81]
        print(pool.map(slow_first, range(5), chunksize=1))  # [0, 1, 2, 3, 4]
        # starmap: each item is a tuple of arguments.
        print(pool.starmap(power, [(2, 3), (3, 2)]))  # [8, 9]
        # imap: lazy, results one by one, in input order (chunksize=1).
        print(list(pool.imap(square, range(5))))  # [0, 1, 4, 9, 16]
        # imap_unordered: each result as soon as it is ready.
        print(list(pool.imap_unordered(slow_first, range(5))))  # 0 comes last
    # ANCHOR_END: map
    sizes = [default_chunksize(n, 4) for n in (100, 10, 0)]
    print(sizes)  # [7, 1, 0]
    assert (default_chunksize(100, 4), default_chunksize(10, 4)) == (7, 1)
    print("cpus:", os.cpu_count())


if __name__ == "__main__":
    main()
