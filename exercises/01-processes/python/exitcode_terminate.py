"""exitcode: None while running, the code after exit, -N after signal N."""
import sys
import time
from multiprocessing import Process


def exit_3():
    sys.exit(3)


def forever():
    while True:
        time.sleep(1)


# ANCHOR: exitcode
if __name__ == "__main__":
    p = Process(target=exit_3)
    p.start()
    p.join()
    print(f"sys.exit(3):      exitcode {p.exitcode}")          # 3

    p = Process(target=forever)
    p.start()
    print(f"running:          is_alive {p.is_alive()}, exitcode {p.exitcode}")  # True, None
    p.terminate()      # SIGTERM: no finally blocks, no atexit, locks stay taken
    p.join()
    print(f"after terminate:  is_alive {p.is_alive()}, exitcode {p.exitcode}")  # False, -15
    assert p.exitcode == -15
# ANCHOR_END: exitcode
