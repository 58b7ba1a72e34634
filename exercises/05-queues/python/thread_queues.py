"""queue.Queue between threads: a bound makes put() wait (backpressure),
and empty()/qsize() are only a snapshot."""
import queue
import threading

q = queue.Queue(maxsize=2)
high = 0


def consumer():
    global high
    while (item := q.get()) is not None:
        high = max(high, q.qsize() + 1)


t = threading.Thread(target=consumer)
t.start()
for i in range(1000):
    q.put(i)  # waits while 2 items are in the queue
q.put(None)
t.join()
print("most items ever seen at once by the consumer:", high)  # <= 3
print("empty() now:", q.empty(), "(true now, maybe false a moment later)")
