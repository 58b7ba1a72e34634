"""The tutorial's program, cleaned up: save the name of every folder and
file under a path into one file, so that you know what was there if the
disk dies.

The tutorial (seed 001) gives only the idea; this is the usual way to write
it, with what it got wrong set right:

* os.walk skips a folder it cannot read without a word; onerror records it.
* The output is sorted (as bytes), so two runs over the same tree give the
  same file, whatever order the file system returns names in.
* Names are written as bytes (os.fsencode): a name that is not UTF-8 does
  not crash the program with UnicodeEncodeError.
* Symbolic links are listed, not followed (os.walk's default).

Run: python3 walk_serial.py [ROOT [OUTPUT]]. Without arguments it makes a
small tree in a temporary folder, lists it, and removes it.
"""

import os
import sys
import tempfile


# ANCHOR: walk
def walk(root):
    """Every path under root (root included) as bytes, and the errors."""
    paths, errors = [os.fsencode(root)], []

    def record(err):
        errors.append(b"error: %s: %s" % (os.fsencode(err.filename), err.strerror.encode()))

    for folder, dirs, files in os.walk(root, onerror=record):
        for name in dirs + files:
            paths.append(os.fsencode(os.path.join(folder, name)))
    return sorted(paths), sorted(errors)


def save(root, output):
    paths, errors = walk(root)
    with open(output, "wb") as out:
        for line in paths + errors:
            out.write(line + b"\n")
    return len(paths), len(errors)
# ANCHOR_END: walk


def small_tree(top):
    for folder in ("a/deep", "b/sub"):
        os.makedirs(os.path.join(top, folder))
    for name in ("a/a1.txt", "a/deep/d1.txt", "b/b1.txt", "top.txt"):
        open(os.path.join(top, name), "w").close()
    open(os.path.join(os.fsencode(top), b"b/caf\xe9.txt"), "w").close()


if __name__ == "__main__":
    if len(sys.argv) > 1:
        out = sys.argv[2] if len(sys.argv) > 2 else "listing.txt"
        print(save(sys.argv[1], out))
    else:
        with tempfile.TemporaryDirectory() as top:
            small_tree(top)
            listed, failed = save(top, os.path.join(top, "listing.txt"))
            # The listing file itself did not exist yet when the walk ran.
            assert (listed, failed) == (10, 0), (listed, failed)
            print(f"{listed} paths, {failed} errors")
