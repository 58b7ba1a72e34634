"""The Python side of the queues chapter's benchmarks. Prints one JSON
object: {"python": version, "results": [{"group", "name", "value"
(seconds), "unit", "note"}]}.

* queues: 10,000 messages of 64 bytes, one way -- from a producer process
  through multiprocessing.Queue and SimpleQueue, and from a producer thread
  through queue.Queue (seconds per 10,000 messages, start-up included, as
  in the Rust benchmark).
* queues: 262,144 items of 8 bytes, batched -- the same items sent 1, 64
  or 4096 per message (a list of ints) through multiprocessing.Queue.
"""
import json
import multiprocessing as mp
import platform
import queue
import threading
import time

MESSAGES = 10_000
ITEMS = 262_144
RATE_GROUP = "queues: 10,000 messages of 64 bytes, one way"
BATCH_GROUP = "queues: 262,144 items of 8 bytes, batched"
CTX = mp.get_context("fork")


def produce(q, n):
    for i in range(n):
        q.put(i.to_bytes(8, "little") * 8)


def consume(q, n):
    total = 0
    for _ in range(n):
        total += int.from_bytes(q.get()[:8], "little")
    return total


def across_processes(make_queue):
    q = make_queue()
    p = CTX.Process(target=produce, args=(q, MESSAGES))
    p.start()
    total = consume(q, MESSAGES)  # drain first, then join
    p.join()
    return total


def across_threads():
    q = queue.Queue()
    t = threading.Thread(target=produce, args=(q, MESSAGES))
    t.start()
    total = consume(q, MESSAGES)
    t.join()
    return total


def produce_batches(q, batch):
    for start in range(0, ITEMS, batch):
        q.put(list(range(start, start + batch)))


def batched(batch):
    q = CTX.Queue()
    p = CTX.Process(target=produce_batches, args=(q, batch))
    p.start()
    total = 0
    for _ in range(ITEMS // batch):
        total += sum(q.get())
    p.join()
    return total


def best_of(repeat, f, *args):
    best, answer = None, None
    for _ in range(repeat):
        t = time.perf_counter()
        answer = f(*args)
        took = time.perf_counter() - t
        best = took if best is None else min(best, took)
    return best, answer


def main():
    results = []
    want = MESSAGES * (MESSAGES - 1) // 2
    for name, f, args, note in [
        ("Python multiprocessing.Queue, producer process", across_processes, (CTX.Queue,),
         "feeder thread, pickle, pipe; best of 3"),
        ("Python SimpleQueue, producer process", across_processes, (CTX.SimpleQueue,),
         "pickle and write in put, no feeder thread; best of 3"),
        ("Python queue.Queue, producer thread", across_threads, (),
         "between threads, no pickling; best of 3"),
    ]:
        value, answer = best_of(3, f, *args)
        if answer != want:
            raise SystemExit(f"{name}: got {answer}, want {want}")
        results.append({"group": RATE_GROUP, "name": name, "value": value, "unit": "s", "note": note})
    want = ITEMS * (ITEMS - 1) // 2
    for batch in [1, 64, 4096]:
        value, answer = best_of(1 if batch == 1 else 3, batched, batch)
        if answer != want:
            raise SystemExit(f"batch {batch}: got {answer}, want {want}")
        results.append({"group": BATCH_GROUP,
                        "name": f"Python multiprocessing.Queue, {batch} per message",
                        "value": value, "unit": "s",
                        "note": "a list of ints per message, producer process"})
    print(json.dumps({"python": platform.python_version(), "results": results}))


if __name__ == "__main__":
    main()
