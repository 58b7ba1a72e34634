"""The tree walk with a Pool: one task per top-level folder, the results
merged and sorted in the parent (what exercise 4 does with fork and pipes).

Each task returns its whole list of paths, which the Pool pickles and sends
back through a pipe: for a tree of 100 000 names that copy is a large part
of the time (see the Measured page).

Run: python3 walk_pool.py [ROOT]. Without an argument it makes a small tree
in a temporary folder, lists it both ways, and checks they agree.
"""

import os
import sys
import tempfile
from multiprocessing import Pool

from walk_serial import small_tree, walk


# ANCHOR: pool
def walk_with_pool(root, workers=2):
    """walk(root), with each folder directly under root walked by a task."""
    paths, errors, folders = [os.fsencode(root)], [], []
    with os.scandir(root) as entries:
        for e in entries:
            if e.is_dir(follow_symlinks=False):
                folders.append(e.path)  # listed by its own task
            else:
                paths.append(os.fsencode(e.path))
    with Pool(workers) as pool:
        for their_paths, their_errors in pool.map(walk, folders):
            paths += their_paths
            errors += their_errors
    return sorted(paths), sorted(errors)
# ANCHOR_END: pool


if __name__ == "__main__":
    if len(sys.argv) > 1:
        paths, errors = walk_with_pool(sys.argv[1])
        print(len(paths), len(errors))
    else:
        with tempfile.TemporaryDirectory() as top:
            small_tree(top)
            assert walk_with_pool(top) == walk(top)
            print(f"{len(walk(top)[0])} paths, the same both ways")
