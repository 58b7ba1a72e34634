"""Two producers, one consumer, stopped by sentinels ("poison pills").

With several producers the consumer must count one sentinel per producer:
stopping at the first one loses the other producer's later items. Order
holds per producer, not across producers.
"""
import multiprocessing as mp

DONE = None


def producer(q, name, n):
    for i in range(n):
        q.put((name, i))
    q.put(DONE)


if __name__ == "__main__":
    q = mp.Queue()
    procs = [mp.Process(target=producer, args=(q, name, 1000)) for name in "ab"]
    for p in procs:
        p.start()
    got, done = [], 0
    while done < len(procs):  # one sentinel per producer
        item = q.get()
        if item is DONE:
            done += 1
        else:
            got.append(item)
    for p in procs:
        p.join()
    for name in "ab":
        mine = [i for (who, i) in got if who == name]
        assert mine == list(range(1000)), "per-producer order holds"
    print("items:", len(got), "first ten:", got[:10])
