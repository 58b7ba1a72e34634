"""The Python side of the pipes chapter's benchmarks. Prints one JSON object:
{"python": version, "results": [{"group", "name", "value" (seconds), "unit", "note"}]}.

* pipes: round trip -- a 64-byte message to an echoing child Process and
  back, over multiprocessing.Pipe() (duplex, a socket pair) with
  send_bytes/recv_bytes, and with send/recv (pickled bytes object).
* pipes: bulk throughput -- 64 MiB through an os.pipe() in 64 KiB writes,
  from a forked child to the parent (seconds per 64 MiB).
"""
import json
import os
import platform
import time
from multiprocessing import Pipe, get_context

MESSAGE = b"\x07" * 64
ROUNDS = 5000
TOTAL = 64 << 20
CHUNK = 64 << 10


def echo_bytes(conn, parents_end):
    parents_end.close()  # the fork copied it; keep it and EOF never comes
    while True:
        try:
            conn.send_bytes(conn.recv_bytes())
        except EOFError:
            break


def echo_objects(conn, parents_end):
    parents_end.close()
    while True:
        try:
            conn.send(conn.recv())
        except EOFError:
            break


def round_trip(target, send, recv):
    ctx = get_context("fork")
    ours, theirs = Pipe()
    p = ctx.Process(target=target, args=(theirs, ours))
    p.start()
    theirs.close()
    for _ in range(200):  # warm up
        getattr(ours, send)(MESSAGE)
        getattr(ours, recv)()
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(ROUNDS):
            getattr(ours, send)(MESSAGE)
            getattr(ours, recv)()
        best = min(best, (time.perf_counter() - t0) / ROUNDS)
    ours.close()
    p.join()
    return best


def bulk():
    best = float("inf")
    chunk = b"\0" * CHUNK
    for _ in range(3):
        r, w = os.pipe()
        t0 = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            left = TOTAL
            while left > 0:
                left -= os.write(w, chunk[:min(left, CHUNK)])
            os._exit(0)
        os.close(w)
        got = 0
        while True:
            b = os.read(r, CHUNK)
            if not b:
                break
            got += len(b)
        os.close(r)
        os.waitpid(pid, 0)
        assert got == TOTAL
        best = min(best, time.perf_counter() - t0)
    return best


def main():
    results = [
        {"group": "pipes: round trip", "name": "Python Pipe send_bytes/recv_bytes, child process",
         "value": round_trip(echo_bytes, "send_bytes", "recv_bytes"), "unit": "s",
         "note": f"64-byte message, best of 5 runs of {ROUNDS}"},
        {"group": "pipes: round trip", "name": "Python Pipe send/recv (pickle), child process",
         "value": round_trip(echo_objects, "send", "recv"), "unit": "s",
         "note": f"64-byte bytes object, best of 5 runs of {ROUNDS}"},
        {"group": "pipes: bulk throughput", "name": "Python os.pipe, 64 KiB writes",
         "value": bulk(), "unit": "s",
         "note": "64 MiB from a forked child, best of 3"},
    ]
    print(json.dumps({"python": platform.python_version(), "results": results}))


if __name__ == "__main__":
    main()
