"""apply vs apply_async, callbacks, where exceptions surface, and the
pool's life cycle: initializer, maxtasksperchild, close/join/terminate."""

import multiprocessing as mp
import os

INIT_COUNT = 0


def init(tag):
    # Runs once in each worker, before its first task.
    global INIT_COUNT
    INIT_COUNT += 1


def whoami(x):
    return (x, os.getpid(), INIT_COUNT)


def fails(x):
    raise ValueError(f"task {x} failed")


def main():
    ctx = mp.get_context("fork")
    # ANCHOR: apply
    with ctx.Pool(2) as pool:
        print(pool.apply(abs, (-3,)))  # blocks, returns 3
        done = []
        r = pool.apply_async(abs, (-4,), callback=done.append)
        print(r.get(timeout=5), done)  # 4 [4]: the callback ran first
        bad = pool.apply_async(fails, (7,), error_callback=print)
        try:
            bad.get(timeout=5)  # the exception surfaces only here
        except ValueError as e:
            print("get() raised:", e)
    # ANCHOR_END: apply

    # ANCHOR: lifecycle
    pool = ctx.Pool(2, initializer=init, initargs=("w",), maxtasksperchild=3)
    results = pool.map(whoami, range(12), chunksize=1)
    pool.close()  # no more tasks
    pool.join()  # wait for the workers to exit
    pids = {pid for _, pid, _ in results}
    # 12 tasks, at most 3 per worker: at least 4 different workers,
    # and every one of them ran init exactly once.
    print(len(pids), "workers;", "init counts:", {n for _, _, n in results})
    assert len(pids) >= 4 and {n for _, _, n in results} == {1}
    # ANCHOR_END: lifecycle

    # ANCHOR: with_terminates
    with ctx.Pool(2) as pool:
        r = pool.apply_async(abs, (-5,))
    # Leaving `with` called terminate(), not close() + join(): a task that
    # had not finished by then is lost.
    # ANCHOR_END: with_terminates
    print("ready after terminate?", r.ready())


if __name__ == "__main__":
    main()
