"""The fork and spawn start methods, and why the __main__ guard matters."""
import multiprocessing as mp
import os

print(f"module body runs in pid {os.getpid()} as {__name__!r}")


def where():
    print(f"  child pid {os.getpid()}, parent {os.getppid()}")


# ANCHOR: methods
if __name__ == "__main__":
    # fork: the child is a copy of this process; the module is not run again.
    # spawn: a fresh interpreter imports this file again (as '__mp_main__'),
    # so the line at the top prints once more. Without this guard the child
    # would reach p.start() too, and CPython stops it with a RuntimeError
    # ("... before the current process has finished its bootstrapping
    # phase"). forkserver (Linux default since 3.14) imports it the same
    # way. spawn also needs a file to import:
    # in the interactive interpreter, spawn cannot find `where`.
    for method in ["fork", "spawn"]:
        ctx = mp.get_context(method)
        p = ctx.Process(target=where)
        print(f"{method}:")
        p.start()
        p.join()
# ANCHOR_END: methods
