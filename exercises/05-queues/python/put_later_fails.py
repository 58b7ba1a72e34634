"""put() of an object that cannot be pickled "succeeds": the error comes
later, in the feeder thread, and the item is simply never delivered."""
import multiprocessing as mp
import queue

if __name__ == "__main__":
    q = mp.Queue()
    q.put(lambda: 42)  # no error here: put only appends to a buffer
    print("put returned")
    q.put("next item")  # the feeder thread prints a traceback to stderr
    print("got:", q.get(timeout=5))  # 'next item': the lambda is gone
    try:
        q.get(timeout=0.2)
    except queue.Empty:
        print("the lambda never arrived")
    q.close()
    q.join_thread()

    s = mp.SimpleQueue()  # no feeder thread: put pickles at once
    try:
        s.put(lambda: 42)
    except Exception as e:  # PicklingError or AttributeError
        print("SimpleQueue.put raised at once:", type(e).__name__)
