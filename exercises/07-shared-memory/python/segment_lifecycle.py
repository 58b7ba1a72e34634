"""SharedMemory: create once, close everywhere, unlink exactly once."""
import multiprocessing as mp
from multiprocessing import shared_memory


# ANCHOR: child
def child(name):
    seg = shared_memory.SharedMemory(name=name)  # attach by name
    seg.buf[0] = 42
    seg.close()  # this process's mapping; the segment lives on


# ANCHOR_END: child

if __name__ == "__main__":
    mp.set_start_method("fork")
    # ANCHOR: parent
    seg = shared_memory.SharedMemory(create=True, size=100)
    try:
        p = mp.Process(target=child, args=(seg.name,))
        p.start()
        p.join()
        print(seg.name, "byte 0 =", seg.buf[0], "size", seg.size)
        assert seg.buf[0] == 42
    finally:
        seg.close()
        seg.unlink()  # once, by the creator
    # ANCHOR_END: parent
    # ANCHOR: shareable_list
    sl = shared_memory.ShareableList([1, 2.5, "abc"])
    try:
        sl[2] = "xyz"  # fine: fits the 3 characters reserved (rounded up)
        try:
            sl[2] = "a much longer string than before"
        except ValueError as e:
            print("ShareableList:", e)
        print("length fixed at", len(sl), "- no append:", hasattr(sl, "append"))
    finally:
        sl.shm.close()
        sl.shm.unlink()
    # ANCHOR_END: shareable_list
