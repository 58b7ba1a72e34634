"""Joining a producer before draining its queue: the process cannot exit.

The child puts 1 MB on a multiprocessing.Queue. put() returns at once (a
feeder thread writes into the pipe later), but the child cannot exit until
the feeder has flushed everything, and a pipe holds only 64 KiB. So a
parent that joins first waits; here it gives up after half a second,
drains the queue, and only then can the child exit.
"""
import multiprocessing as mp


def producer(q):
    q.put(b"x" * 1_000_000)  # returns before anything is in the pipe


if __name__ == "__main__":
    q = mp.Queue()
    p = mp.Process(target=producer, args=(q,))
    p.start()
    p.join(timeout=0.5)  # without the timeout: waits forever
    print("after join(0.5): producer alive?", p.is_alive())  # True
    data = q.get()  # drain first ...
    p.join()  # ... then join: returns at once
    print("drained", len(data), "bytes; exit code", p.exitcode)
