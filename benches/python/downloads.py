"""Python counterpart of benches/benches/downloads.rs.

N files of 16 KiB from the same local server as the Rust bench (the
`downloads-server` program of the benches crate, built with cargo and
started here), which waits 2 ms before each answer: one after another,
then with ThreadPoolExecutor at several sizes. Prints ONE JSON object:

    {"python": "<version>", "results": [{"group", "name", "value", "unit", "note"}]}

Each value is the best of a few runs, in seconds. Takes well under a
minute (after the server's build, which the Rust bench has already done).
"""

import concurrent.futures
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

DELAY_MS = 2
SIZE = 16 * 1024
REPEAT = 3
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def group(n):
    return f"downloads: {n} files of 16 KiB, {DELAY_MS} ms delay each"


def start_server(files):
    """Builds (if needed) and starts the Rust server; returns (process, base URL)."""
    cmd = ["cargo", "run", "--release", "--quiet", "-p", "workbook-benches",
           "--bin", "downloads-server", "--", str(files), str(SIZE), str(DELAY_MS)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    base = proc.stdout.readline().strip()
    if not base.startswith("http://"):
        proc.kill()
        proc.wait()
        sys.exit("downloads-server did not start")
    return proc, base


def download(url, dest):
    """The cleaned-up download of exercises/09-downloads/python/download_pool.py."""
    part = dest + ".part"
    with urllib.request.urlopen(url, timeout=30) as r:
        with open(part, "wb") as f:
            n = 0
            while chunk := r.read(64 * 1024):
                f.write(chunk)
                n += len(chunk)
    os.rename(part, dest)
    return n


def serial(jobs):
    return sum(download(url, dest) == SIZE for url, dest in jobs)


def pooled(jobs, workers):
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(download, url, dest) for url, dest in jobs]
        return sum(f.result() == SIZE for f in futures)


def best_of(f, want):
    best = None
    for _ in range(REPEAT):
        t = time.perf_counter()
        got = f()
        took = time.perf_counter() - t
        if got != want:
            sys.exit(f"saved {got} of {want} files")
        best = took if best is None else min(best, took)
    return best


def main():
    results = []
    for n in (10, 100, 1000):
        proc, base = start_server(n)
        d = tempfile.mkdtemp(prefix="workbook-bench-downloads-py-")
        try:
            jobs = [(f"{base}/files/{i}", os.path.join(d, f"file-{i}.bin")) for i in range(n)]
            results.append({"group": group(n), "name": "serial", "value": best_of(lambda: serial(jobs), n),
                            "unit": "s", "note": f"urllib, one after another, best of {REPEAT}"})
            for k in [k for k in (4, 16, 64, 256) if k < n] + [n]:
                value = best_of(lambda: pooled(jobs, k), n)
                results.append({"group": group(n), "name": f"ThreadPoolExecutor({k})", "value": value,
                                "unit": "s", "note": f"urllib in {k} threads, best of {REPEAT}"})
        finally:
            proc.stdin.close()
            proc.wait()
            shutil.rmtree(d, ignore_errors=True)
    print(json.dumps({"python": platform.python_version(), "results": results}))


if __name__ == "__main__":
    main()
