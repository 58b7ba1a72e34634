"""concurrent.futures.ThreadPoolExecutor: submit, Future, as_completed;
and the three ways of asking how many CPUs there are."""

import os
import time
from concurrent.futures import ThreadPoolExecutor, as_completed


def slow_first(x):
    time.sleep(0.2 if x == 0 else 0.01)
    if x == 4:
        raise ValueError("four")
    return x * 10


def main():
    # ANCHOR: futures
    with ThreadPoolExecutor(max_workers=2) as ex:
        futures = {ex.submit(slow_first, x): x for x in range(5)}
        for f in as_completed(futures):  # in the order they finish
            x = futures[f]
            try:
                print(x, "->", f.result())  # result() re-raises
            except ValueError as e:
                print(x, "raised", e)
    # leaving `with` waits for every job: shutdown(wait=True)
    # ANCHOR_END: futures

    # ANCHOR: cpus
    print("os.cpu_count():", os.cpu_count())  # CPUs in the machine
    # CPUs this process may run on (affinity, cpusets); Python 3.13+:
    count = getattr(os, "process_cpu_count", None)
    print("os.process_cpu_count():", count() if count else "needs 3.13")
    print("len(os.sched_getaffinity(0)):", len(os.sched_getaffinity(0)))
    # ANCHOR_END: cpus


if __name__ == "__main__":
    main()
