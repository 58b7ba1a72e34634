"""A child defined by a class: subclass Process and override run()."""
import os
from multiprocessing import Process


# ANCHOR: subclass
class Greeter(Process):
    def __init__(self, who):
        super().__init__(name="greeter")
        self.who = who
        self.runs = 0

    def run(self):           # runs in the child after start()
        self.runs += 1       # changes the child's copy only
        print(f"  {self.name} (pid {os.getpid()}): hello, {self.who}; runs = {self.runs}")


if __name__ == "__main__":
    p = Greeter("world")
    p.start()
    p.join()
    print(f"parent: exitcode {p.exitcode}; the parent's copy still has runs = {p.runs}")
# ANCHOR_END: subclass
