"""The threading primitives the exercises rebuild in Rust."""

import threading

if __name__ == "__main__":
    # Event: threads wait until someone sets the flag; set() wakes them all.
    ready = threading.Event()
    woke = []
    waiters = [threading.Thread(target=lambda i=i: (ready.wait(), woke.append(i)))
               for i in range(3)]
    for t in waiters:
        t.start()
    ready.set()
    for t in waiters:
        t.join()
    print("Event woke", sorted(woke))

    # Semaphore: at most 2 threads inside at once.
    sem = threading.Semaphore(2)
    inside, most, count_lock = [0], [0], threading.Lock()

    def work():
        with sem:
            with count_lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            with count_lock:
                inside[0] -= 1

    ts = [threading.Thread(target=work) for _ in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print("Semaphore(2): most threads inside at once =", most[0])

    # BoundedSemaphore: releasing more than acquired is an error.
    b = threading.BoundedSemaphore(1)
    try:
        b.release()
    except ValueError as e:
        print("BoundedSemaphore:", e)

    # RLock: the owner may acquire again.
    r = threading.RLock()
    with r:
        with r:
            print("RLock: acquired twice by one thread")

    # Condition: wait in a loop, because the condition may be false again
    # by the time the waiter runs.
    items, cond = [], threading.Condition()

    def consumer():
        with cond:
            while not items:
                cond.wait()
            print("Condition: got", items.pop())

    c = threading.Thread(target=consumer)
    c.start()
    with cond:
        items.append(42)
        cond.notify()
    c.join()
