"""daemon=True: the child is ended when the parent ends. It must be set
before start(), and a daemonic process may not start children."""
import time
from multiprocessing import Process


def forever():
    while True:
        time.sleep(1)


def try_to_have_a_child():
    try:
        Process(target=forever).start()
    except AssertionError as e:
        print(f"  daemon: cannot start a child: {e}")


# ANCHOR: daemon
if __name__ == "__main__":
    p = Process(target=try_to_have_a_child, daemon=True)
    p.start()
    p.join()

    d = Process(target=forever)
    d.daemon = True            # before start(); afterwards it raises
    d.start()
    try:
        d.daemon = False
    except AssertionError as e:
        print(f"parent: {e}")
    print("parent: exiting; multiprocessing terminates the daemon on the way out")
# ANCHOR_END: daemon
