"""Two processes add to one shared Value, with and without its lock."""

import multiprocessing as mp

PROCS = 2
PER_PROC = 200_000


def add(v, n, start, use_lock):
    start.wait()  # begin together
    for _ in range(n):
        if use_lock:
            with v.get_lock():
                v.value += 1
        else:
            v.value += 1  # read, add, write: another process can slip in


def run(use_lock):
    v = mp.Value("i", 0, lock=use_lock)
    start = mp.Barrier(PROCS)
    ps = [mp.Process(target=add, args=(v, PER_PROC, start, use_lock)) for _ in range(PROCS)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    return v.value


if __name__ == "__main__":
    want = PROCS * PER_PROC
    got = run(use_lock=False)
    print(f"Value(lock=False): {got} of {want} ({100 * (want - got) / want:.0f}% lost)")
    print(f"with get_lock():   {run(use_lock=True)} of {want}")
