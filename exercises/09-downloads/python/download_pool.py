"""The tutorial's program, cleaned up: threads for waiting, a timeout, the
status checked, a temporary name renamed only when the file is whole, and
every outcome reported.
"""

import concurrent.futures
import os
import tempfile
import urllib.error
import urllib.request

import local_server


# ANCHOR: download
def download(url, dest, timeout=10):
    """Saves url as dest; returns the bytes saved or raises."""
    part = dest + ".part"
    try:
        # urlopen raises HTTPError for a 4xx or 5xx status.
        with urllib.request.urlopen(url, timeout=timeout) as r:
            with open(part, "wb") as f:
                n = 0
                while chunk := r.read(64 * 1024):
                    f.write(chunk)
                    n += len(chunk)
        # http.client raises IncompleteRead on a short body.
        os.rename(part, dest)
        return n
    except BaseException:
        if os.path.exists(part):
            os.remove(part)
        raise
# ANCHOR_END: download


# ANCHOR: pool
def download_all(jobs, workers=8):
    """Downloads (url, dest) pairs; returns one outcome per job, in order."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(download, url, dest) for url, dest in jobs]
        outcomes = []
        for f in futures:
            try:
                outcomes.append(f.result())
            except (OSError, urllib.error.URLError) as e:
                outcomes.append(e)
        return outcomes
# ANCHOR_END: pool


if __name__ == "__main__":
    base, stop = local_server.start(files=10, missing={3})
    with tempfile.TemporaryDirectory() as d:
        jobs = [(f"{base}/files/{i}", os.path.join(d, f"file-{i}.bin")) for i in range(10)]
        outcomes = download_all(jobs)
        for (url, _), outcome in zip(jobs, outcomes):
            if isinstance(outcome, Exception):
                print(f"{url}: failed: {outcome}")
        saved = sorted(os.listdir(d))
        assert len(saved) == 9 and "file-3.bin" not in saved, saved
        assert not any(name.endswith(".part") for name in saved), saved
        print(f"saved {len(saved)} of {len(jobs)} files")
    stop()
