"""The tutorial's program, as it was (with urllib instead of requests, and
a local server instead of the internet). Run it: it reports success while
one of the three files is an error page.
"""

import multiprocessing
import os
import tempfile
import urllib.request

import local_server


# ANCHOR: tutorial
def download_image(url, filepath):
    r = urllib.request.urlopen(url)
    with open(filepath, "wb") as f:
        f.write(r.read())


def main(urls, filenames):
    pool = multiprocessing.Pool(processes=3)
    for i in range(3):
        pool.apply_async(download_image, args=(urls[i], filenames[i]))
    pool.close()
    pool.join()
# ANCHOR_END: tutorial


if __name__ == "__main__":
    base, stop = local_server.start(files=3, missing={2})
    with tempfile.TemporaryDirectory() as d:
        urls = [f"{base}/files/{i}" for i in range(3)]
        names = [os.path.join(d, f"image{i + 1}.jpg") for i in range(3)]
        main(urls, names)
        # The 404 raised an exception in a worker, and nobody called
        # .get(): nothing was reported, and image3.jpg is simply missing.
        print("saved:", sorted(os.listdir(d)), "(3 asked for, no error shown)")
    stop()
