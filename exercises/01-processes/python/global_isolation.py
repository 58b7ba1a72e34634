"""A child that changes a global leaves the parent's copy alone."""
from multiprocessing import Process

# ANCHOR: isolation
n = 100


def change():
    global n
    n = 0
    print(f"child:  n = {n}")


if __name__ == "__main__":
    p = Process(target=change)
    p.start()
    p.join()
    print(f"parent: n = {n}")   # still 100
    assert n == 100
# ANCHOR_END: isolation
