"""A Value reaches pool workers by inheritance, never as a task argument."""
import multiprocessing as mp

counter = None


# ANCHOR: initializer
def init(shared):
    global counter
    counter = shared  # each worker keeps the Value it inherited


def work(x):
    with counter.get_lock():
        counter.value += x
    return x


# ANCHOR_END: initializer

if __name__ == "__main__":
    mp.set_start_method("fork")
    total = mp.Value("q", 0)
    with mp.Pool(2, initializer=init, initargs=(total,)) as pool:
        pool.map(work, range(100))
        # ANCHOR: as_argument
        try:
            pool.apply(print, (total,))  # pickling a Value for a task
        except RuntimeError as e:
            print("as an argument:", e)
        # ANCHOR_END: as_argument
    print("total:", total.value)
    assert total.value == sum(range(100))
