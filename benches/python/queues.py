"""The Python side of the queues chapter's benchmarks. Prints one JSON
object: {"python": version, "results": [{"group", "name", "value"
(seconds), "unit", "note"}]}.

* queues: 10,000 messages of 64 bytes, one way -- from a producer process
  through multiprocessing.Queue and SimpleQueue, and from a producer thread
  through queue.Queue (seconds per 10,000 messages, start-up included, as
  in the Rust benchmark).
* queues: 262,144 items of 8 bytes, batched -- the same items sent 1, 64
  or 4096 per message (a list of ints) through multiprocessing.Queue.
* queues: 3-stage pipeline, 1,000 items -- each item passes three stages of
  1, 10 or 100 µs of CPU each: one loop ("serial"), and three processes
  joined by multiprocessing.Queue. One group per stage cost, so that each
  row's speedup is against the loop with the same work.
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
STAGED = 1_000
MASK = (1 << 64) - 1
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


def busy(rounds, x):
    """Pure CPU: `rounds` rounds of integer mixing."""
    h = x
    for _ in range(rounds):
        h = (h * 0x100000001B3 + 0x5BD1E995) & MASK
    return h


def rounds_per_us():
    """How many rounds of busy() this Python does in a microsecond (the
    Rust side uses a fixed count measured the same way)."""
    rounds = 200_000
    took, _ = best_of(5, busy, rounds, 1)
    return rounds / (took * 1e6)


def stage(k, rounds, x):
    return busy(rounds, x ^ k)


def pipeline_serial(rounds):
    total = 0
    for x in range(STAGED):
        total += stage(3, rounds, stage(2, rounds, stage(1, rounds, x)))
    return total & MASK


def first_stage(out, rounds):
    for x in range(STAGED):
        out.put(stage(1, rounds, x))
    out.put(None)


def middle_stage(inp, out, rounds):
    for x in iter(inp.get, None):
        out.put(stage(2, rounds, x))
    out.put(None)


def pipeline_processes(rounds):
    q1, q2 = CTX.Queue(), CTX.Queue()
    procs = [CTX.Process(target=first_stage, args=(q1, rounds)),
             CTX.Process(target=middle_stage, args=(q1, q2, rounds))]
    for p in procs:
        p.start()
    total = 0
    for x in iter(q2.get, None):  # drain first, then join
        total += stage(3, rounds, x)
    for p in procs:
        p.join()
    return total & MASK


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
    per_us = rounds_per_us()
    for us in [1, 10, 100]:
        rounds = max(1, round(per_us * us))
        group = f"queues: 3-stage pipeline, 1,000 items, {us} µs per stage"
        want = None
        for name, f, note in [
            ("serial", pipeline_serial, f"one loop; {rounds} rounds of busy() per stage"),
            ("3 processes, multiprocessing.Queue", pipeline_processes,
             "stage 1 and 2 in child processes, stage 3 in the parent"),
        ]:
            value, answer = best_of(3, f, rounds)
            if want is not None and answer != want:
                raise SystemExit(f"{name}: got {answer}, want {want}")
            want = answer
            results.append({"group": group, "name": name, "value": value, "unit": "s",
                            "note": f"{note}; best of 3"})
    print(json.dumps({"python": platform.python_version(), "results": results}))


if __name__ == "__main__":
    main()
