"""Logging from several processes into one place: each worker's records go
through a queue (QueueHandler) to one listener (QueueListener) in the
parent, which is the only one writing the log."""
import logging
import logging.handlers
import multiprocessing as mp
import sys


def worker(q, n):
    log = logging.getLogger("worker")
    log.addHandler(logging.handlers.QueueHandler(q))
    log.setLevel(logging.INFO)
    for i in range(3):
        log.info("worker %d, line %d", n, i)


if __name__ == "__main__":
    q = mp.Queue()
    out = logging.StreamHandler(sys.stdout)
    out.setFormatter(logging.Formatter("%(processName)s %(message)s"))
    listener = logging.handlers.QueueListener(q, out)
    listener.start()
    procs = [mp.Process(target=worker, args=(q, n)) for n in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()  # fine here: the listener thread keeps draining the queue
    listener.stop()  # handles what is left, then stops
