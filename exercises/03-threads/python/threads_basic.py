"""Threads in Python: the `threading` API that `multiprocessing` copies.

Run with `python3 threads_basic.py`. Compare with examples/spawn_join.rs and
examples/builder_locals.rs.
"""

import os
import threading


# ANCHOR: spawn
def square(i, results):
    # A thread's target cannot return a value to join(): results go into a
    # shared list, one slot per thread.
    results[i] = i * i


def spawn_and_join():
    results = [None] * 3
    threads = [threading.Thread(target=square, args=(i, results)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("squares from 3 threads:", results)
# ANCHOR_END: spawn


# ANCHOR: panic
def failing_worker():
    raise ValueError("bad input in worker")


def exception_in_thread():
    # An exception ends the thread and is printed by threading.excepthook;
    # join() returns normally and the caller never learns of it.
    seen = []
    threading.excepthook = lambda args: seen.append(str(args.exc_value))
    t = threading.Thread(target=failing_worker)
    t.start()
    t.join()
    threading.excepthook = threading.__excepthook__
    print("join() returned normally; the hook saw:", seen)
# ANCHOR_END: panic


# ANCHOR: local
calls = threading.local()  # every thread sees its own attributes


def handle_request():
    calls.count = getattr(calls, "count", 0) + 1


def worker(k, out):
    for _ in range(k + 1):
        handle_request()
    out.append(f"{threading.current_thread().name} handled {calls.count}")


def named_threads_and_locals():
    print("cpu count:", os.cpu_count())
    out = []
    threads = [threading.Thread(target=worker, args=(k, out), name=f"worker-{k}")
               for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("\n".join(sorted(out)))
    print("main handled", getattr(calls, "count", 0))
# ANCHOR_END: local


if __name__ == "__main__":
    spawn_and_join()
    exception_in_thread()
    named_threads_and_locals()
