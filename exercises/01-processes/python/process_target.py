"""Process(target=..., args=..., kwargs=..., name=...): start(), join(), pid."""
import os
from multiprocessing import Process


def work(x, power=2):
    print(f"  child: pid {os.getpid()}, parent {os.getppid()}: {x}**{power} = {x ** power}")


# ANCHOR: target
if __name__ == "__main__":
    print(f"parent: pid {os.getpid()}")
    p = Process(target=work, args=(7,), kwargs={"power": 2}, name="worker-1")
    p.start()            # a new process runs work(7, power=2)
    print(f"parent: started {p.name}, pid {p.pid}")
    p.join()             # wait for it to end
    print(f"parent: {p.name} ended with exitcode {p.exitcode}")
    # p.run() would call work(7) right here, in this process: start() is what
    # makes a new process.
# ANCHOR_END: target
