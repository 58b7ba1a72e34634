"""JoinableQueue: join() waits until every item put has been task_done()."""
import multiprocessing as mp


def worker(q, results):
    while True:
        item = q.get()
        if item is None:
            q.task_done()
            return
        results.put(item * item)
        q.task_done()


if __name__ == "__main__":
    q, results = mp.JoinableQueue(), mp.Queue()
    workers = [mp.Process(target=worker, args=(q, results)) for _ in range(2)]
    for w in workers:
        w.start()
    for i in range(10):
        q.put(i)
    q.join()  # every one of the 10 items has been task_done()
    print("sum of squares:", sum(results.get() for _ in range(10)))
    for _ in workers:
        q.put(None)
    for w in workers:
        w.join()

    q = mp.JoinableQueue()
    q.put("only")
    q.get()
    q.task_done()
    try:
        q.task_done()  # one too many
    except ValueError as e:
        print("ValueError:", e)
