"""Start several children, then join them all: the total is about the
longest, not the sum. Then start and join each in turn: about the sum."""
import time
from multiprocessing import Process

TIMES = [0.1, 0.2, 0.3]

# ANCHOR: timing
if __name__ == "__main__":
    t = time.perf_counter()
    procs = [Process(target=time.sleep, args=(s,)) for s in TIMES]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    print(f"start all, then join all: {time.perf_counter() - t:.2f} s (about the longest)")

    t = time.perf_counter()
    for s in TIMES:
        p = Process(target=time.sleep, args=(s,))
        p.start()
        p.join()        # joining inside the loop: one at a time
    print(f"start and join each:      {time.perf_counter() - t:.2f} s (about the sum)")
# ANCHOR_END: timing
