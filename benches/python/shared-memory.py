"""Python counterparts of the shared-memory chapter's benchmarks.

Prints ONE JSON object: {"python": version, "results": [...]}, each result
{"group", "name", "value", "unit", "note"}. Runs in well under a minute and
leaves nothing in /dev/shm (every segment is unlinked in a finally).
"""

import array
import json
import multiprocessing as mp
import platform
import time
from multiprocessing import shared_memory

N = 10_000_000
WORKERS = 2
INCREMENTS = 200_000
MANAGER_INCREMENTS = 1_000


def timed(f, *args):
    t0 = time.perf_counter()
    out = f(*args)
    return time.perf_counter() - t0, out


def spans(n):
    step = -(-n // WORKERS)
    return [(i, min(i + step, n)) for i in range(0, n, step)]


# --- the sum: the tutorials' version sends the whole array with every task
def part_of_copy(args):
    data, lo, hi = args
    return sum(data[lo:hi])


def sum_tutorial(pool, data):
    return sum(pool.map(part_of_copy, [(data, lo, hi) for lo, hi in spans(len(data))]))


def part_of_shared(args):
    name, lo, hi = args
    seg = shared_memory.SharedMemory(name=name)
    try:
        view = seg.buf.cast("Q")
        try:
            return sum(view[lo:hi])
        finally:
            view.release()
    finally:
        seg.close()


def sum_shared(pool, name, n):
    return sum(pool.map(part_of_shared, [(name, lo, hi) for lo, hi in spans(n)]))


# --- the counter
def add_locked(v, n, start):
    start.wait()
    for _ in range(n):
        with v.get_lock():
            v.value += 1


def add_managed(v, lock, n, start):
    start.wait()
    for _ in range(n):
        with lock:
            v.value += 1


def run_procs(target, args_of, start):
    procs = [mp.Process(target=target, args=args_of()) for _ in range(WORKERS)]
    for p in procs:
        p.start()
    start.wait()
    t0 = time.perf_counter()
    for p in procs:
        p.join()
    return time.perf_counter() - t0


# --- messages through a Pipe
def sender(conn, size, count):
    msg = bytes(size)
    for _ in range(count):
        conn.send_bytes(msg)
    conn.close()


def pipe_messages(size, count):
    r, w = mp.Pipe(duplex=False)
    p = mp.Process(target=sender, args=(w, size, count))
    t0 = time.perf_counter()
    p.start()
    w.close()
    for _ in range(count):
        r.recv_bytes()
    p.join()
    return time.perf_counter() - t0


# --- handing 100 MB to another process
HANDOVER = 100_000_000


def receive_from_queue(q, out):
    b = q.get()
    out.value = len(b) << 8 | b[-1]


def hand_over_queue(payload):
    q, out = mp.Queue(), mp.RawValue("Q", 0)
    p = mp.Process(target=receive_from_queue, args=(q, out))
    t0 = time.perf_counter()
    p.start()
    q.put(payload)
    p.join()
    t = time.perf_counter() - t0
    q.close()
    q.join_thread()
    assert out.value == len(payload) << 8 | payload[-1]
    return t


def receive_segment(name, out):
    seg = shared_memory.SharedMemory(name=name)
    try:
        out.value = seg.size << 8 | seg.buf[HANDOVER - 1]
    finally:
        seg.close()


def hand_over_segment(seg):
    out = mp.RawValue("Q", 0)
    p = mp.Process(target=receive_segment, args=(seg.name, out))
    t0 = time.perf_counter()
    p.start()
    p.join()
    t = time.perf_counter() - t0
    assert out.value >> 8 >= HANDOVER and out.value & 0xFF == (HANDOVER - 1) % 256
    return t


def best_of(runs, f, *args):
    return min(f(*args) for _ in range(runs))


def main():
    mp.set_start_method("fork")
    results = []
    group = "shared-memory: sum of 10^7 u64"
    data = array.array("Q", range(N))
    t, want = timed(sum, data)
    results.append({"group": group, "name": "serial", "value": t, "unit": "s",
                    "note": "sum() over an array('Q') of 10^7"})
    # The segment is made BEFORE the pool, so the workers inherit the
    # parent's resource tracker. Made after, each worker that attaches
    # starts a tracker of its own, which "cleans up" (unlinks) the segment
    # when the worker exits and warns about a leak.
    seg = shared_memory.SharedMemory(create=True, size=8 * N)
    try:
        view = seg.buf.cast("Q")
        view[:] = data
        view.release()
        with mp.Pool(WORKERS) as pool:
            pool.map(abs, range(WORKERS))  # start the workers before timing
            t, got = timed(sum_tutorial, pool, data)
            assert got == want
            results.append({"group": group, "name": "Pool.map, whole array in every task",
                            "value": t, "unit": "s",
                            "note": f"{WORKERS} workers; the tutorials' version"})
            t, got = timed(sum_shared, pool, seg.name, N)
            assert got == want
            results.append({"group": group, "name": "Pool.map over SharedMemory",
                            "value": t, "unit": "s",
                            "note": f"{WORKERS} workers; each task sends a name and two indices"})
    finally:
        seg.close()
        seg.unlink()
    del data

    group = "shared-memory: 200,000 increments"
    v = mp.Value("q", 0)
    start = mp.Barrier(WORKERS + 1)
    t = run_procs(add_locked, lambda: (v, INCREMENTS // WORKERS, start), start)
    assert v.value == INCREMENTS
    results.append({"group": group, "name": "Value with its lock", "value": t, "unit": "s",
                    "note": f"{WORKERS} processes x {INCREMENTS // WORKERS}"})
    with mp.Manager() as manager:
        mv, lock = manager.Value("q", 0), manager.Lock()
        start = mp.Barrier(WORKERS + 1)
        t = run_procs(add_managed, lambda: (mv, lock, MANAGER_INCREMENTS // WORKERS, start),
                      start)
        assert mv.value == MANAGER_INCREMENTS
        results.append({"group": group, "name": "Manager().Value with a Manager Lock",
                        "value": t * INCREMENTS / MANAGER_INCREMENTS, "unit": "s",
                        "note": f"measured on {MANAGER_INCREMENTS} increments, "
                                f"scaled to {INCREMENTS}"})

    group = "shared-memory: messages between two processes"
    for size, count, label in [(64, 100_000, "64 B"), (4096, 20_000, "4 KiB")]:
        results.append({"group": group, "name": f"Pipe send_bytes, {label}",
                        "value": pipe_messages(size, count), "unit": "s",
                        "note": f"{count} messages"})

    group = "shared-memory: handing 100 MB to another process"
    payload = bytes(i % 256 for i in range(256)) * (HANDOVER // 256) + bytes(range(HANDOVER % 256))
    results.append({"group": group, "name": "Queue.put of a bytes object",
                    "value": best_of(3, hand_over_queue, payload), "unit": "s",
                    "note": "pickled, through a pipe; best of 3, a new Process each"})
    seg = shared_memory.SharedMemory(create=True, size=HANDOVER)
    try:
        seg.buf[:] = payload
        results.append({"group": group, "name": "SharedMemory, attached by name",
                        "value": best_of(3, hand_over_segment, seg), "unit": "s",
                        "note": "the child attaches and reads the last byte; best of 3"})
    finally:
        seg.close()
        seg.unlink()
    del payload
    print(json.dumps({"python": platform.python_version(), "results": results}))


if __name__ == "__main__":
    main()
