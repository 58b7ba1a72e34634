"""Python counterpart of benches/benches/tree-walk.rs.

List the same generated tree (10 x 10 x 10 leaf folders of 99 empty files:
100 110 entries) into one sorted file, with os.walk on one process and with
a Pool(2) taking one top-level folder per task (the walks of
exercises/08-tree-walk/python/). The tree is made once in a temporary
folder, before the clock starts, so the page cache is warm; each value is
the best of a few runs, in seconds. Prints ONE JSON object:

    {"python": "<version>", "results": [{"group", "name", "value", "unit", "note"}]}
"""

import json
import os
import platform
import sys
import tempfile
import time
from multiprocessing import Pool

FANOUT = 10
FILES = 99
REPEAT = 3


def make_tree(root):
    made = 0
    for i in range(FANOUT):
        for j in range(FANOUT):
            for k in range(FANOUT):
                leaf = os.path.join(root, f"d{i}", f"d{j}", f"d{k}")
                os.makedirs(leaf)
                for f in range(FILES):
                    open(os.path.join(leaf, f"f{f}.txt"), "wb").close()
                made += FILES + 1
            made += 1
        made += 1
    return made


def walk(root):
    """Every path under root, root excluded, as bytes (unsorted)."""
    paths = []
    for folder, dirs, files in os.walk(os.fsencode(root)):
        for name in dirs + files:
            paths.append(os.path.join(folder, name))
    return paths


def save(paths, output):
    with open(output, "wb") as out:
        out.write(b"\n".join(paths))
        out.write(b"\n")


def serial(root, output):
    paths = [os.fsencode(root)] + walk(root)
    paths.sort()
    save(paths, output)
    return len(paths)


def with_pool(pool, root, output):
    paths, folders = [os.fsencode(root)], []
    with os.scandir(root) as entries:
        for e in entries:
            if e.is_dir(follow_symlinks=False):
                folders.append(e.path)
            else:
                paths.append(os.fsencode(e.path))
    for theirs in pool.map(walk, folders):
        paths += theirs
    paths += [os.fsencode(f) for f in folders]
    paths.sort()
    save(paths, output)
    return len(paths)


def best_of(f):
    best, answer = None, None
    for _ in range(REPEAT):
        t = time.perf_counter()
        answer = f()
        took = time.perf_counter() - t
        best = took if best is None else min(best, took)
    return best, answer


def main():
    with tempfile.TemporaryDirectory(prefix="workbook-tree-walk-") as top:
        root = os.path.join(top, "tree")
        os.mkdir(root)
        entries = make_tree(root)
        group = f"tree-walk: list {entries} entries into a sorted file (warm cache)"
        out = os.path.join(top, "listing.txt")
        rows = []
        value, n = best_of(lambda: serial(root, out))
        assert n == entries + 1, (n, entries)
        rows.append({"group": group, "name": "serial", "value": value, "unit": "s",
                     "note": "os.walk, sorted, one file"})
        with Pool(2) as pool:
            value, n = best_of(lambda: with_pool(pool, root, out))
        assert n == entries + 1, (n, entries)
        rows.append({"group": group, "name": "pool-2", "value": value, "unit": "s",
                     "note": "Pool(2).map of os.walk, one task per top-level folder"})
    print(json.dumps({"python": platform.python_version(), "results": rows}))


if __name__ == "__main__":
    sys.exit(main())
