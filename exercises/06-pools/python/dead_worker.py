"""A worker that dies mid-task: Pool waits forever, ProcessPoolExecutor
reports BrokenProcessPool."""

import multiprocessing as mp
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool


def dies_on_3(x):
    if x == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return x


def main():
    ctx = mp.get_context("fork")
    # ANCHOR: pool
    with ctx.Pool(2) as pool:
        result = pool.map_async(dies_on_3, range(6), chunksize=1)
        try:
            # Without a timeout this would wait forever: the Pool starts a
            # new worker, but nobody ever answers for task 3.
            result.get(timeout=2)
        except mp.TimeoutError:
            print("Pool.map: still waiting after 2 s; task 3 is lost")
    # ANCHOR_END: pool

    # ANCHOR: executor
    with ProcessPoolExecutor(2, mp_context=ctx) as ex:
        try:
            list(ex.map(dies_on_3, range(6)))
        except BrokenProcessPool as e:
            # Every pending future fails, and the executor is unusable.
            print("ProcessPoolExecutor:", type(e).__name__)
    # ANCHOR_END: executor


if __name__ == "__main__":
    main()
