"""Value and Array: shared ctypes objects, and the increment that is not atomic."""
import multiprocessing as mp

N, PROCS = 20_000, 4


# ANCHOR: unlocked
def add_unlocked(v):
    for _ in range(N):
        v.value += 1  # read, add, write: three steps, another process between


# ANCHOR_END: unlocked
# ANCHOR: locked
def add_locked(v):
    for _ in range(N):
        with v.get_lock():  # the lock that Value('q', 0) carries
            v.value += 1


# ANCHOR_END: locked


def run(target, v):
    procs = [mp.Process(target=target, args=(v,)) for _ in range(PROCS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    return v.value


if __name__ == "__main__":
    mp.set_start_method("fork")
    # ANCHOR: kinds
    locked = mp.Value("q", 0)  # shared, with a recursive lock
    bare = mp.RawValue("q", 0)  # shared, no lock at all
    slots = mp.Array("d", 8)  # 8 doubles, shared, one lock for all
    raw_slots = mp.RawArray("d", 8)  # the same without a lock
    # ANCHOR_END: kinds
    print("RawValue, no lock: ", run(add_unlocked, bare), "of", N * PROCS)
    print("Value, get_lock(): ", run(add_locked, locked), "of", N * PROCS)
    assert locked.value == N * PROCS
    slots[0] = raw_slots[0] = 1.5
    print("Array:", slots[:2], "RawArray:", raw_slots[:2])
