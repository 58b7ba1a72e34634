"""Manager(): a server process holding the objects; proxies talk to it."""
import multiprocessing as mp


# ANCHOR: worker
def worker(d):
    d["seen"].append(1)  # changes a copy the proxy handed out: lost
    inner = d["kept"]
    inner.append(1)
    d["kept"] = inner  # assigning back sends the new list to the server


# ANCHOR_END: worker

if __name__ == "__main__":
    mp.set_start_method("fork")
    with mp.Manager() as manager:
        d = manager.dict({"seen": [], "kept": []})
        p = mp.Process(target=worker, args=(d,))
        p.start()
        p.join()
        print("seen:", d["seen"], "kept:", d["kept"])
        assert d["seen"] == [] and d["kept"] == [1]
        v = manager.Value("q", 0)  # every += is two round trips
        v.value += 1
        print("manager Value:", v.value)
