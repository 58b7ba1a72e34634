"""Manager(): a dict in a server process; += on a proxy is two requests."""
import multiprocessing as mp

N, PER = 4, 200


# ANCHOR: workers
def add_unlocked(d):
    for _ in range(PER):
        d["x"] += 1  # d.__getitem__("x"), then d.__setitem__("x", ...)


def add_locked(d, lock):
    for _ in range(PER):
        with lock:  # a Lock in the same server: two more round trips
            d["x"] += 1


# ANCHOR_END: workers


def run(target, *args):
    procs = [mp.Process(target=target, args=args) for _ in range(N)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()


if __name__ == "__main__":
    mp.set_start_method("fork")
    # ANCHOR: main
    with mp.Manager() as manager:  # starts the server process
        d = manager.dict({"x": 0})  # a proxy: the dict lives in the server
        run(add_unlocked, d)
        print("without a lock:", d["x"], "of", N * PER)
        d["x"] = 0
        run(add_locked, d, manager.Lock())
        print("with the manager's lock:", d["x"], "of", N * PER)
        assert d["x"] == N * PER
    # ANCHOR_END: main
